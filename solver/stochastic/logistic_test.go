package stochastic

import (
	"context"
	"fmt"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// optimum minimises the logistic regression with the full-batch solver, to
// ‖g‖∞ <= 1e-7.
func optimum(t *testing.T, obj Objective, p int) float64 {
	t.Helper()
	return optimumTo(t, obj, p, 1e-7)
}

// optimumTo minimises obj with the full-batch solver to ‖g‖∞ <= tol.
func optimumTo(t *testing.T, obj Objective, p int, tol float64) float64 {
	t.Helper()
	all := make([]int, obj.NumRows())
	for i := range all {
		all[i] = i
	}
	f := func(x, grad []float64) (float64, any, error) {
		v, _, err := obj.EvaluateRows(all, x, grad)
		return v, nil, err
	}
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance, stop.StepTolerance, stop.MaxIterations = tol, 0, 500
	x := make([]float64, p)
	res, err := solver.Minimize(context.Background(), x, f, state, stop)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Status.Converged() {
		t.Fatalf("full-batch solver: %v", res.Status)
	}
	return fullLoss(t, obj, x)
}

// On a strongly convex logistic regression (N = 20000, p = 20, λ = 1e-3)
// SQN comes within 1e-3 of the optimal loss in at most 8 epochs and
// multi-batch L-BFGS in at most 5 (with rows drawn one by one and in blocks
// of 8),
// over three sampling seeds, with a step length of 0.5 divided by
// 1 + 3·epoch.
func TestLogisticReachesOptimum(t *testing.T) {
	const n, p, sqnEpochs, mbEpochs = 20000, 20, 8, 5
	lg := logistic(n, p, 11)
	best := optimum(t, lg, p)
	for seed := uint64(1); seed <= 3; seed++ {
		t.Run("sqn", func(t *testing.T) {
			o := RecommendedSQNOptions(n)
			o.BatchSize, o.L, o.CorrectionPairBatchSize = 256, 5, 1024
			o.StepLengthSequence, o.StepDecay = []float64{0.5}, 3
			o.NIterations, o.MaxEpochs, o.Seed = 100000, sqnEpochs, seed
			o.ConvergenceTest = NoConvergenceTest
			x := make([]float64, p)
			_, res := sqnRun(t, lg, o, x, nil)
			checkGap(t, lg, x, best, seed, res)
		})
		for _, blocks := range []int{1, 8} {
			t.Run(fmt.Sprintf("multi-batch in blocks of %d", blocks), func(t *testing.T) {
				o := DefaultMultiBatchOptions()
				o.BatchSize, o.MaxStepNorm, o.BlockSize = 1024, 1, blocks
				o.StepLengthSequence, o.StepDecay = []float64{0.5}, 3
				o.NIterations, o.MaxEpochs, o.Seed = 100000, mbEpochs, seed
				o.ConvergenceTest = NoConvergenceTest
				x := make([]float64, p)
				_, res := mbRun(t, lg, o, x, nil)
				checkGap(t, lg, x, best, seed, res)
			})
		}
	}
}

// checkGap fails unless F(x) is within 1e-3 of the optimal loss best.
func checkGap(t *testing.T, obj Objective, x []float64, best float64, seed uint64, res Result) {
	t.Helper()
	f := fullLoss(t, obj, x)
	t.Logf("seed %d: gap %.3g after %.2f epochs", seed, f-best, res.State.Epoch)
	if f-best > 1e-3 {
		t.Errorf("seed %d: loss %v after %.2f epochs, optimum %v, gap %.3g > 1e-3", seed, f, res.State.Epoch, best, f-best)
	}
}
