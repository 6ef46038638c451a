package solver_test

import (
	"context"
	"fmt"
	"math"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Bounds: minimise Rosenbrock's function with x₀ ≤ 0.5, which cuts off its
// minimiser (1, 1). L-BFGS-B ends at (0.5, 0.25) with the bound active.
func ExampleOptions_bounds() {
	rosenbrock := func(x, g []float64) (float64, any, error) {
		a, b := x[1]-x[0]*x[0], 1-x[0]
		g[0], g[1] = -400*a*x[0]-2*b, 200*a
		return 100*a*a + b*b, nil, nil
	}
	opts := solver.DefaultOptions()
	opts.Upper = []float64{0.5, math.Inf(1)}
	state, _ := solver.NewLBFGSState(opts)
	x := []float64{-1.2, 1}
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance, stop.StepTolerance = 0, 0
	stop.ProjectedGradientTolerance = 1e-9 // ∇f ≠ 0 at a bound: stop on the projected gradient
	res, err := solver.Minimize(context.Background(), x, rosenbrock, state, stop)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: x = (%.6f, %.6f), %d bound active\n", res.Status, x[0], x[1], state.ActiveBounds)
	// Output:
	// ProjectedGradientTolerance: x = (0.500000, 0.250000), 1 bound active
}

// L1: minimise ½‖x − c‖² + λ‖x‖₁, whose solution soft-thresholds c:
// x_i = sign(c_i)·max(|c_i| − λ, 0). OWL-QN sets the small coordinates to
// exactly zero.
func ExampleOptions_l1() {
	c := []float64{3, -0.5, 0.2, -2}
	f := func(x, g []float64) (float64, any, error) {
		var v float64
		for i := range x {
			g[i] = x[i] - c[i]
			v += g[i] * g[i] / 2
		}
		return v, nil, nil
	}
	opts := solver.DefaultOptions()
	opts.LineSearchMethod = solver.Backtracking
	opts.L1 = 1
	state, _ := solver.NewLBFGSState(opts)
	x := make([]float64, len(c))
	stop := solver.DefaultStopOptions()
	stop.GradientTolerance, stop.StepTolerance = 0, 0
	stop.ProjectedGradientTolerance = 1e-9
	res, err := solver.Minimize(context.Background(), x, f, state, stop)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%v: x = %.6f, %d zeros, loss %.6f\n", res.Status, x, state.ZeroCoordinates, state.Loss)
	// Output:
	// ProjectedGradientTolerance: x = [2.000000 0.000000 0.000000 -1.000000], 2 zeros, loss 4.145000
}
