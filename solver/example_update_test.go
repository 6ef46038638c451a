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
	//    1  5.557e+00  5.278e+01  2.369e-01  0.0152      5  completed  stored
	//    2  4.169e+00  1.027e+01  4.364e-02  1           1  completed  stored
	//    3  4.116e+00  1.877e+00  1.055e-02  1           1  completed  stored
	//    4  4.088e+00  2.836e+00  1.751e-02  10          2  completed  stored
	//    5  2.713e+00  8.147e+00  7.580e-01  5.62        4  completed  stored
	//    6  2.677e+00  1.364e+01  8.180e-02  0.0764      2  completed  stored
	//    7  2.123e+00  3.930e+00  1.840e-01  10          2  completed  stored
	//    8  1.948e+00  8.485e+00  1.262e-01  0.261       2  completed  stored
	//    9  1.809e+00  1.372e+01  1.989e-01  1           1  completed  stored
	//   10  1.502e+00  4.932e+00  4.267e-02  1           1  completed  stored
	//   11  1.230e+00  3.751e+00  1.185e-01  1           1  completed  stored
	//   12  1.085e+00  6.049e+00  1.029e-01  0.404       2  completed  stored
	//   13  8.795e-01  6.584e+00  1.243e-01  1           1  completed  stored
	//   14  6.464e-01  2.516e+00  1.002e-01  1           1  completed  stored
	//   15  5.128e-01  2.613e+00  1.012e-01  0.407       2  completed  stored
	//   16  4.737e-01  5.137e+00  6.344e-02  0.407       2  completed  stored
	//   17  3.991e-01  4.640e+00  6.377e-02  1           1  completed  stored
	//   18  2.654e-01  9.545e-01  1.239e-01  1           1  completed  stored
	//   19  2.268e-01  3.745e+00  7.954e-02  0.334       2  completed  stored
	//   20  1.686e-01  5.826e+00  1.396e-01  1           1  completed  stored
	//   21  9.931e-02  3.811e-01  9.113e-02  1           1  completed  stored
	//   22  8.177e-02  7.490e+00  1.946e-01  1           1  completed  stored
	//   23  5.436e-02  2.846e-01  5.043e-02  1           1  completed  stored
	//   24  3.799e-02  5.468e-01  7.216e-02  1           1  completed  stored
	//   25  2.359e-02  2.483e+00  1.051e-01  0.414       2  completed  stored
	//   26  1.372e-02  2.557e+00  8.311e-02  1           1  completed  stored
	//   27  4.678e-03  5.497e-01  6.765e-02  1           1  completed  stored
	//   28  2.326e-03  1.980e+00  1.067e-01  1           1  completed  stored
	//   29  8.496e-04  1.355e-01  2.456e-02  1           1  completed  stored
	//   30  3.087e-04  1.281e-01  2.560e-02  1           1  completed  stored
	//   31  2.171e-05  1.922e-01  3.450e-02  1           1  completed  stored
	//   32  5.901e-07  5.977e-03  2.334e-03  1           1  completed  stored
	//   33  4.164e-10  7.275e-04  1.665e-03  1           1  completed  stored
	//   34  3.260e-14  2.744e-06  2.724e-05  1           1  completed  stored
	//   35  3.631e-18  5.206e-08  3.835e-07  1           1  completed  stored
	//   36  2.318e-25  2.030e-11  3.378e-09  1           1  completed  stored
	// x = (1.000000, 1.000000) after 52 loss evaluations; history [27 28 29 30 31 32 33 34 35 36]
	// |x - (1, 1)| < 1e-6: true
}
