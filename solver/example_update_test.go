package solver_test

import (
	"fmt"
	"math"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// rosenbrock is f(x, y) = 100(y − x²)² + (1 − x)², minimum 0 at (1, 1).
func rosenbrock(x, grad []float64) (float64, any, error) {
	a, b := x[1]-x[0]*x[0], 1-x[0]
	grad[0] = -400*a*x[0] - 2*b
	grad[1] = 200 * a
	return 100*a*a + b*b, nil, nil
}

// Minimise Rosenbrock's function from the standard start (−1.2, 1), one
// Update per iteration as with MATLAB's lbfgsupdate, printing the state
// after each: loss, gradient norm, step norm, accepted learning rate, loss
// evaluations, line-search status and what became of the curvature pair.
func ExampleLBFGSState_Update() {
	state, err := solver.NewLBFGSState(solver.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	x := []float64{-1.2, 1}
	fmt.Println("iter  loss       |g|        |step|     rate    evals  search     pair")
	for state.GradientsNorm > 1e-8 || state.Iteration == 0 {
		if err := state.Update(x, rosenbrock); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%4d  %.3e  %.3e  %.3e  %-6.3g  %5d  %-9s  %s\n", state.Iteration, state.Loss,
			state.GradientsNorm, state.StepNorm, state.LearningRate, state.IterationLossEvaluations,
			state.LineSearchStatus, state.PairStatus)
	}
	fmt.Printf("x = (%.6f, %.6f) after %d loss evaluations; history %v\n",
		x[0], x[1], state.NumLossEvaluations, state.HistoryIndices)
	fmt.Println("|x - (1, 1)| < 1e-6:", math.Hypot(x[0]-1, x[1]-1) < 1e-6)
	// Output:
	// iter  loss       |g|        |step|     rate    evals  search     pair
	//    1  4.225e+00  1.436e+01  1.972e-01  0.000847      3  completed  stored
	//    2  4.127e+00  3.118e+00  1.142e-02  1           1  completed  stored
	//    3  4.121e+00  1.790e+00  3.376e-03  1           1  completed  stored
	//    4  4.116e+00  2.232e+00  3.436e-03  1           1  completed  stored
	//    5  4.088e+00  5.704e+00  2.361e-02  1           1  completed  stored
	//    6  4.032e+00  1.066e+01  5.426e-02  1           1  completed  stored
	//    7  3.918e+00  1.827e+01  1.325e-01  1           1  completed  stored
	//    8  3.776e+00  2.216e+01  1.396e-01  1           1  completed  stored
	//    9  3.471e+00  2.273e+01  2.014e-01  1           1  completed  stored
	//   10  2.928e+00  1.416e+01  1.787e-01  1           1  completed  stored
	//   11  2.467e+00  9.847e+00  1.937e-01  1           1  completed  stored
	//   12  1.992e+00  7.875e+00  2.169e-01  1           1  completed  stored
	//   13  1.711e+00  8.988e+00  1.649e-01  1           1  completed  stored
	//   14  1.132e+00  2.701e+00  1.973e-01  0.0866      3  completed  stored
	//   15  1.095e+00  4.714e+00  3.971e-02  0.123       2  completed  stored
	//   16  1.050e+00  5.217e+00  3.034e-02  1           1  completed  stored
	//   17  8.958e-01  7.710e+00  1.311e-01  1           1  completed  stored
	//   18  7.328e-01  3.718e+00  4.053e-02  1           1  completed  stored
	//   19  5.541e-01  5.842e+00  1.556e-01  1           1  completed  stored
	//   20  3.989e-01  1.100e+00  8.978e-02  1           1  completed  stored
	//   21  3.324e-01  3.803e+00  9.322e-02  0.376       2  completed  stored
	//   22  2.678e-01  6.735e+00  1.332e-01  1           1  completed  stored
	//   23  1.709e-01  9.547e-01  8.126e-02  1           1  completed  stored
	//   24  1.280e-01  6.658e+00  1.808e-01  1           1  completed  stored
	//   25  8.869e-02  9.708e-01  1.349e-02  1           1  completed  stored
	//   26  5.213e-02  1.560e+00  1.291e-01  1           1  completed  stored
	//   27  4.121e-02  6.200e+00  1.773e-01  1           1  completed  stored
	//   28  1.945e-02  2.240e-01  1.571e-02  1           1  completed  stored
	//   29  1.062e-02  3.473e-01  7.426e-02  1           1  completed  stored
	//   30  5.268e-03  1.698e+00  8.797e-02  0.51        2  completed  stored
	//   31  2.148e-03  1.058e+00  4.577e-02  1           1  completed  stored
	//   32  4.497e-04  3.041e-02  3.981e-02  1           1  completed  stored
	//   33  2.732e-04  7.360e-01  5.145e-02  1           1  completed  stored
	//   34  1.152e-05  1.317e-02  1.199e-02  1           1  completed  stored
	//   35  8.290e-07  2.661e-03  5.527e-03  1           1  completed  stored
	//   36  1.352e-09  1.636e-03  2.024e-03  1           1  completed  stored
	//   37  8.018e-13  3.750e-05  8.057e-06  1           1  completed  stored
	//   38  3.379e-20  2.479e-10  7.080e-07  1           1  completed  stored
	// x = (1.000000, 1.000000) after 45 loss evaluations; history [29 30 31 32 33 34 35 36 37 38]
	// |x - (1, 1)| < 1e-6: true
}
