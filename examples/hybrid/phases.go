package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// objective returns the mean squared error of net on the rows (x, y):
// obj.Evaluate is the full-batch solver.LossFunc of the flat learnables,
// obj.EvaluateRows the loss on a minibatch of rows.
func objective(net *nn.Network, x, y []float64) (*nn.Objective, error) {
	return net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.MeanSquaredError})
}

// adamPhase runs Adam on the flat parameters x, one step per minibatch.
type adamPhase struct {
	x, grad []float64
	adam    *stochastic.Adam
}

// newAdam returns an Adam phase that updates x in place, using grad as its
// gradient buffer.
func newAdam(x, grad []float64, rate float64) (*adamPhase, error) {
	opts := stochastic.DefaultAdamOptions()
	opts.LearningRate = rate
	adam, err := stochastic.NewAdam(len(x), opts)
	if err != nil {
		return nil, err
	}
	return &adamPhase{x: x, grad: grad, adam: adam}, nil
}

// epoch shuffles the rows, takes one Adam step per minibatch of batchSize
// rows (the last may be smaller), and returns the full-batch loss after
// the epoch (the loss alone: no gradient is needed). The minibatches are row subsets of the one objective, which
// builds a graph per minibatch size once and binds the rows at each
// evaluation.
func (a *adamPhase) epoch(obj *nn.Objective, rng *rand.Rand) (float64, error) {
	perm := rng.Perm(obj.NumRows())
	for start := 0; start < len(perm); start += batchSize {
		rows := perm[start:min(start+batchSize, len(perm))]
		if _, _, err := obj.EvaluateRows(rows, a.x, a.grad); err != nil {
			return 0, err
		}
		if err := a.adam.Step(a.x, a.grad); err != nil {
			return 0, err
		}
	}
	return obj.Loss(a.x)
}

// refine runs L-BFGS on the full-batch loss from x for at most lbfgsIters
// iterations, printing the loss every lbfgsPrintStep iterations, and
// returns the loss after each iteration and the number of loss
// evaluations.
func refine(w io.Writer, x []float64, full solver.LossFunc) (losses []float64, evals int, err error) {
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		return nil, 0, err
	}
	stop := solver.DefaultStopOptions()
	stop.MaxIterations = lbfgsIters
	stop.Hook = func(s *solver.LBFGSState) error {
		losses = append(losses, s.Loss)
		if s.Iteration%lbfgsPrintStep == 0 || s.Iteration == 1 {
			fmt.Fprintf(w, "%-6s  %-12s  %.4e\n", "lbfgs", fmt.Sprintf("iter %d", s.Iteration), s.Loss)
		}
		return nil
	}
	res, err := solver.Minimize(context.Background(), x, full, state, stop)
	if err != nil {
		return nil, 0, err
	}
	fmt.Fprintf(w, "L-BFGS stopped: %v after %d iterations, %d full-batch loss evaluations\n\n",
		res.Status, res.Iterations, res.LossEvaluations)
	return losses, res.LossEvaluations, nil
}
