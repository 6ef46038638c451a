package nn

import (
	"fmt"
	"slices"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Validation configures the validation of a Train run, under the names of
// MATLAB's trainingOptions: the loss of the network on (X, T), rows of
// validation data shaped as Train's x and t, evaluated with Train's loss
// (Objective.Loss or Cost, without the L2 term).
type Validation struct {
	// X and T are the validation data (MATLAB's ValidationData): rows ×
	// InputSize and rows × OutputSize, row-major, as Train's x and t.
	X, T []float64
	// Options are ValidationFrequency (default 1), ValidationPatience
	// (default 0, infinite) and OutputNetwork (default LastIteration); the
	// zero value means solver.DefaultValidationOptions().
	Options solver.ValidationOptions
}

// ValidationResult is what the validation of a Train run saw.
type ValidationResult struct {
	// History holds every validation, in order; Extra is the objective's
	// Metrics (accuracy for the classification losses, RMSE for mean
	// squared error).
	History []solver.Validation
	// Best is the validation with the lowest loss (Iteration −1 if no
	// loss was finite).
	Best solver.Validation
	// LastParams is a copy of the parameters of the last iteration when
	// the network was set to the best ones (OutputNetwork
	// BestValidationLoss), so that a run can be continued from the
	// solver's state (which belongs to them); nil otherwise.
	LastParams []float64
}

// validationRun is the validation of one Train call; a nil one does
// nothing.
type validationRun struct {
	v       *solver.Validator
	history []solver.Validation
}

// newValidationRun builds the validation objective and the Validator, or
// returns nil without opts.Validation.
func newValidationRun(net *Network, opts TrainOptions) (*validationRun, error) {
	val := opts.Validation
	if val == nil {
		return nil, nil
	}
	vo := val.Options
	if vo == (solver.ValidationOptions{}) {
		vo = solver.DefaultValidationOptions()
	}
	oo := opts.Objective
	oo.L2, oo.Metrics = 0, oo.Cost == nil
	obj, err := net.NewObjective(val.X, val.T, oo)
	if err != nil {
		return nil, fmt.Errorf("nn: train: validation data: %w", inner(err))
	}
	vr := &validationRun{}
	grad := make([]float64, net.NumLearnables())
	f := func(x []float64) (float64, any, error) {
		loss, extra, err := obj.Evaluate(x, grad)
		if err == nil {
			vr.history = append(vr.history, solver.Validation{Loss: loss, Extra: extra})
		}
		return loss, extra, err
	}
	if vr.v, err = solver.NewValidator(f, net.NumLearnables(), vo); err != nil {
		return nil, fmt.Errorf("nn: train: %w", inner(err))
	}
	return vr, nil
}

// hook returns the Validator's hook on x, or nil.
func (vr *validationRun) hook(x []float64) func(*solver.LBFGSState) error {
	if vr == nil {
		return nil
	}
	return func(s *solver.LBFGSState) error {
		err := vr.v.After(s, x)
		vr.stamp()
		return err
	}
}

// stamp sets the iteration of the latest history entry from the
// Validator, which knows it.
func (vr *validationRun) stamp() {
	if n := len(vr.history); n > 0 && vr.history[n-1].Iteration == 0 {
		vr.history[n-1].Iteration = vr.v.Last().Iteration
	}
}

// finish validates the last point if it was not, and sets the network to
// the output the options ask for.
func (vr *validationRun) finish(net *Network, it int) (*ValidationResult, error) {
	if vr == nil {
		return nil, nil
	}
	if err := vr.v.Finish(it, net.Params()); err != nil {
		return nil, err
	}
	vr.stamp()
	res := &ValidationResult{History: vr.history}
	res.Best, _ = vr.v.BestValidation()
	if vr.v.Options().OutputNetwork == solver.BestValidationLoss && res.Best.Iteration >= 0 {
		res.LastParams = slices.Clone(net.Params())
		if err := net.SetFlatLearnables(vr.v.Output(net.Params())); err != nil {
			return nil, err
		}
	}
	return res, nil
}
