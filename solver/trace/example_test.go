package trace_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// rosenbrock2D is f(x, y) = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
func rosenbrock2D(x, grad []float64) (float64, any, error) {
	a, b := 1-x[0], x[1]-x[0]*x[0]
	grad[0] = -2*a - 400*x[0]*b
	grad[1] = 200 * b
	return a*a + 100*b*b, nil, nil
}

func ExampleRecorder() {
	state, _ := solver.NewLBFGSState(solver.DefaultOptions())
	var buf bytes.Buffer // a file in practice
	rec, err := trace.NewRecorder(&buf, state)
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
	back, err := trace.Read(&buf)
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
	// summary: GradientTolerance
}
