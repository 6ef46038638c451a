package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// lossFunction returns the half mean squared error of net on the rows
// (x, y) as a solver.LossFunc of the flat learnables.
func lossFunction(net *nn.Network, x, y []float64) (solver.LossFunc, error) {
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.MeanSquaredError})
	if err != nil {
		return nil, err
	}
	ev, err := autodiff.FromObjective(obj)
	if err != nil {
		return nil, err
	}
	return ev.Evaluate, nil
}

// flatParams presents the flat parameter vector and its gradient to a
// gorgonia Solver as one ValueGrad: tensors whose backing arrays are the
// slices themselves, so that the solver's in-place update moves x.
type flatParams struct {
	value, grad *tensor.Dense
}

// Value returns the parameters.
func (p flatParams) Value() gorgonia.Value { return p.value }

// Grad returns the gradient at the parameters.
func (p flatParams) Grad() (gorgonia.Value, error) { return p.grad, nil }

// adamPhase runs gorgonia's Adam solver on the flat parameters x.
type adamPhase struct {
	x, grad []float64
	model   []gorgonia.ValueGrad
	solver  *gorgonia.AdamSolver
}

// newAdam returns an Adam phase that updates x in place, using grad as its
// gradient buffer.
func newAdam(x, grad []float64, rate float64) *adamPhase {
	p := flatParams{
		value: tensor.New(tensor.WithShape(len(x)), tensor.WithBacking(x)),
		grad:  tensor.New(tensor.WithShape(len(grad)), tensor.WithBacking(grad)),
	}
	return &adamPhase{x: x, grad: grad, model: []gorgonia.ValueGrad{p}, solver: gorgonia.NewAdamSolver(gorgonia.WithLearnRate(rate))}
}

// epoch shuffles the rows, takes one Adam step per minibatch of batchSize
// rows (the last may be smaller), and returns the full-batch loss after
// the epoch. Each minibatch's loss function is its own small graph.
func (a *adamPhase) epoch(net *nn.Network, xs, ys []float64, rng *rand.Rand, full solver.LossFunc) (float64, error) {
	perm := rng.Perm(len(xs))
	bx := make([]float64, 0, batchSize)
	by := make([]float64, 0, batchSize)
	for start := 0; start < len(perm); start += batchSize {
		bx, by = bx[:0], by[:0]
		for _, i := range perm[start:min(start+batchSize, len(perm))] {
			bx = append(bx, xs[i])
			by = append(by, ys[i])
		}
		f, err := lossFunction(net, bx, by)
		if err != nil {
			return 0, err
		}
		if _, _, err := f(a.x, a.grad); err != nil {
			return 0, err
		}
		if err := a.solver.Step(a.model); err != nil {
			return 0, err
		}
	}
	loss, _, err := full(a.x, a.grad)
	return loss, err
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
