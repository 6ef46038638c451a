package solver_test

import (
	"context"
	"fmt"
	"math"

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
