package nn

import (
	"context"
	"fmt"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// TrainOptions configures Train.
type TrainOptions struct {
	// Objective configures the loss (NewObjective); its Loss (or Cost) is
	// required.
	Objective ObjectiveOptions
	// Solver is the L-BFGS state's options; nil means
	// solver.DefaultOptions().
	Solver *solver.Options
	// Stop says when training stops; nil means
	// solver.DefaultStopOptions(). Its Hook, if any, is called after every
	// iteration, after the history has recorded it.
	Stop *solver.StopOptions
	// Validation, when non-nil, tracks the loss on validation data along
	// the run: MATLAB's ValidationData, ValidationFrequency,
	// ValidationPatience and OutputNetwork (see Validation).
	Validation *Validation
}

// TrainResult is what Train returns.
type TrainResult struct {
	// Result is the solver's: why the run stopped, iterations, loss
	// evaluations, the final loss and gradient norm.
	solver.Result
	// History holds the state after each iteration, in order (the solver
	// Recorder's records: loss, gradient and step norms, line search).
	History []trace.Record
	// State is the solver state at the end, to continue with
	// state.Update or solver.Minimize on Params.
	State *solver.LBFGSState
	// Objective is the loss the network was trained on.
	Objective *Objective
	// Validation is what the validation tracked; nil without
	// TrainOptions.Validation.
	Validation *ValidationResult
}

// Train minimises the loss of net on the batch (x, t) with L-BFGS, from
// net's current learnables, moving Params in place: afterwards Predict,
// Classify and Save use the trained values (with a Validation whose
// OutputNetwork is BestValidationLoss, the values of the lowest validation
// loss). It is NewObjective,
// solver.NewLBFGSState and solver.Minimize in one call, and gives bit for
// bit the result of that MATLAB-style loop (one state.Update per
// iteration on net.Params() and obj.Evaluate) for the same network.
//
// Errors: those of NewObjective and of invalid solver or stop options
// (before anything runs), and those of solver.Minimize, with a result
// filled as far as training went.
func Train(ctx context.Context, net *Network, x, t []float64, opts TrainOptions) (TrainResult, error) {
	obj, err := net.NewObjective(x, t, opts.Objective)
	if err != nil {
		return TrainResult{}, err
	}
	val, err := newValidationRun(net, opts)
	if err != nil {
		return TrainResult{}, err
	}
	sopts, stop := solver.DefaultOptions(), solver.DefaultStopOptions()
	if opts.Solver != nil {
		sopts = *opts.Solver
	}
	if opts.Stop != nil {
		stop = *opts.Stop
	}
	state, err := solver.NewLBFGSState(sopts)
	if err != nil {
		return TrainResult{}, fmt.Errorf("nn: train: %w", err)
	}
	rec, err := trace.NewRecorder(nil, state)
	if err != nil {
		return TrainResult{}, fmt.Errorf("nn: train: %w", err)
	}
	stop.Hook = solver.ChainHooks(rec.Record, val.hook(net.Params()), stop.Hook)
	res, err := solver.Minimize(ctx, net.Params(), obj.Evaluate, state, stop)
	out := TrainResult{Result: res, History: rec.Records(), State: state, Objective: obj}
	if err == nil {
		out.Validation, err = val.finish(net, state.Iteration)
	}
	if err == nil {
		err = net.FitStatistics(x) // BatchNorm's statistics at the parameters kept
	}
	if err != nil {
		return out, fmt.Errorf("nn: train: %w", err)
	}
	return out, nil
}
