package solver_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// rosenbrock2D is f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
func rosenbrock2D(x, grad []float64) (float64, any, error) {
	a, b := 1-x[0], x[1]-x[0]*x[0]
	grad[0] = -2*a - 400*x[0]*b
	grad[1] = 200 * b
	return a*a + 100*b*b, nil, nil
}

func ExampleMinimize() {
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance = 1e-10
	stop.StepTolerance = 0 // off: stop on the gradient only
	x := []float64{-1.2, 1}
	res, err := solver.Minimize(context.Background(), x, rosenbrock2D, state, stop)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("status:", res.Status, "converged:", res.Status.Converged())
	fmt.Printf("x = (%.6f, %.6f)\n", x[0], x[1])
	fmt.Println("gradient norm <= 1e-10:", res.GradientsNorm <= 1e-10)
	// Output:
	// status: GradientTolerance converged: true
	// x = (1.000000, 1.000000)
	// gradient norm <= 1e-10: true
}

func ExampleRecorder() {
	state, _ := solver.NewLBFGSState(solver.DefaultOptions())
	var trace bytes.Buffer // a file in practice
	rec, err := solver.NewRecorder(&trace, state)
	if err != nil {
		fmt.Println(err)
		return
	}
	stop := solver.DefaultStopOptions()
	stop.Hook = rec.Record // or solver.ChainHooks(rec.Record, yourHook)
	res, err := solver.Minimize(context.Background(), []float64{-1.2, 1}, rosenbrock2D, state, stop)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := rec.Finish(res); err != nil {
		fmt.Println(err)
		return
	}
	back, err := solver.ReadTrace(&trace)
	if err != nil {
		fmt.Println(err)
		return
	}
	first := back.Iterations[0]
	fmt.Println("iterations recorded:", len(back.Iterations) == res.Iterations)
	fmt.Println("first iteration:", first.Iteration, first.LineSearchStatus, first.PairStatus)
	fmt.Println("summary:", back.Summary.Status)
	// Output:
	// iterations recorded: true
	// first iteration: 1 completed stored
	// summary: StepTolerance
}

// A run interrupted after 10 iterations and resumed from its checkpoint ends
// exactly where the uninterrupted run does.
func ExampleSaveCheckpoint() {
	dir, err := os.MkdirTemp("", "lbfgs")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "run.ckpt")
	stopAt := func(n int) solver.StopOptions { return solver.StopOptions{MaxIterations: n} }

	// Uninterrupted: 0 → 25.
	ref, _ := solver.NewLBFGSState(solver.DefaultOptions())
	xref := []float64{-1.2, 1}
	solver.Minimize(context.Background(), xref, rosenbrock2D, ref, stopAt(25))

	// Interrupted: 0 → 10, save; load, 10 → 25.
	state, _ := solver.NewLBFGSState(solver.DefaultOptions())
	x := []float64{-1.2, 1}
	solver.Minimize(context.Background(), x, rosenbrock2D, state, stopAt(10))
	if err := solver.SaveCheckpoint(path, state, x); err != nil {
		fmt.Println(err)
		return
	}
	state, x, err = solver.LoadCheckpoint(path, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	solver.Minimize(context.Background(), x, rosenbrock2D, state, stopAt(25))
	same := math.Float64bits(x[0]) == math.Float64bits(xref[0]) && math.Float64bits(x[1]) == math.Float64bits(xref[1])
	fmt.Println("resumed at iteration 10, now at", state.Iteration, "bit-identical:", same)
	// Output:
	// resumed at iteration 10, now at 25 bit-identical: true
}

// The braintools style: the caller owns the parameters and computes the
// gradients; the Optimizer moves the parameters.
func ExampleOptimizer() {
	weights := []float64{-1.2} // two parameter slices of a model
	bias := []float64{1}
	state, _ := solver.NewLBFGSState(solver.DefaultOptions())
	opt, err := solver.NewOptimizer(state, weights, bias)
	if err != nil {
		fmt.Println(err)
		return
	}
	// loss reads the model's parameters from x (flat: weights, then bias).
	loss := rosenbrock2D
	grads := make([]float64, opt.Len())
	for range 100 {
		value, _, _ := loss(opt.Params(), grads)
		if math.Hypot(grads[0], grads[1]) < 1e-9 {
			break
		}
		if err := opt.Step(grads, value, loss); err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Printf("weights %.6f, bias %.6f\n", weights[0], bias[0])
	// Output:
	// weights 1.000000, bias 1.000000
}
