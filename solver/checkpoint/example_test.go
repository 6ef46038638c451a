package checkpoint_test

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/checkpoint"
)

// rosenbrock2D is f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
func rosenbrock2D(x, grad []float64) (float64, any, error) {
	a, b := 1-x[0], x[1]-x[0]*x[0]
	grad[0] = -2*a - 400*x[0]*b
	grad[1] = 200 * b
	return a*a + 100*b*b, nil, nil
}

// A run interrupted after 10 iterations and resumed from its checkpoint ends
// exactly where the uninterrupted run does.
func ExampleSave() {
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
	if err := checkpoint.Save(path, state, x); err != nil {
		fmt.Println(err)
		return
	}
	state, x, err = checkpoint.Load(path, nil)
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
