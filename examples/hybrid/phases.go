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
	perm    []int // the order of the rows in the current epoch
}

// newAdam returns an Adam phase that updates x in place over n rows, using
// grad as its gradient buffer.
func newAdam(x, grad []float64, n int, rate float64) (*adamPhase, error) {
	opts := stochastic.DefaultAdamOptions()
	opts.LearningRate = rate
	adam, err := stochastic.NewAdam(len(x), opts)
	if err != nil {
		return nil, err
	}
	return &adamPhase{x: x, grad: grad, adam: adam, perm: make([]int, n)}, nil
}

// shuffle sets a.perm to a random permutation of the rows: rng.Perm's,
// in a.perm rather than a new slice.
func (a *adamPhase) shuffle(rng *rand.Rand) []int {
	for i := range a.perm {
		a.perm[i] = i
	}
	rng.Shuffle(len(a.perm), func(i, j int) { a.perm[i], a.perm[j] = a.perm[j], a.perm[i] })
	return a.perm
}

// epoch shuffles the rows and takes one Adam step per minibatch of
// batchSize rows (the last may be smaller). The minibatches are row
// subsets of the one objective, which builds a graph per minibatch size
// once and binds the rows at each evaluation. The full-batch loss is not
// part of an epoch: the caller computes it (obj.Loss, the loss alone)
// where it reports it.
func (a *adamPhase) epoch(obj *nn.Objective, rng *rand.Rand) error {
	perm := a.shuffle(rng)
	for start := 0; start < len(perm); start += batchSize {
		rows := perm[start:min(start+batchSize, len(perm))]
		if _, _, err := obj.EvaluateRows(rows, a.x, a.grad); err != nil {
			return err
		}
		if err := a.adam.Step(a.x, a.grad); err != nil {
			return err
		}
	}
	return nil
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
