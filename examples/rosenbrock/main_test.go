package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	outs, err := run(&buf)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	out := buf.String()
	if len(outs) != 4 {
		t.Fatalf("got %d runs, want 4 (2-D, then three line searches in 100-D)", len(outs))
	}
	for _, o := range outs {
		t.Run(fmt.Sprintf("%s/%dD", o.method, o.dim), func(t *testing.T) {
			if o.res.Status != solver.GradientTolerance {
				t.Errorf("status %v, want GradientTolerance", o.res.Status)
			}
			// ‖x − x*‖ ≈ ‖g‖ / λ_min, and the smallest eigenvalue of the
			// Hessian [[802, −400], [−400, 200]] of each block at the
			// minimiser is about 0.4: ‖g‖ <= 1e-9 puts x within about 3e-9,
			// and 1e-6 is a loose bound.
			if o.distance > 1e-6 {
				t.Errorf("max |x_i − 1| = %g, want <= 1e-6", o.distance)
			}
			if o.records != o.res.Iterations {
				t.Errorf("recorder kept %d iterations, Minimize reports %d", o.records, o.res.Iterations)
			}
			// Every evaluation is a line-search trial except the one at the
			// start point; each update reuses the previous accepted point's
			// loss and gradient instead of evaluating it again.
			if o.res.LossEvaluations != o.trials+1 {
				t.Errorf("%d loss evaluations, %d line-search trials: want trials + 1", o.res.LossEvaluations, o.trials)
			}
			if o.maxHistory > o.historySize {
				t.Errorf("history grew to %d pairs, HistorySize is %d", o.maxHistory, o.historySize)
			}
		})
	}
	// The 2-D run prints one row per iteration, numbered from 1.
	for i := 1; i <= outs[0].res.Iterations; i++ {
		if !strings.Contains(out, fmt.Sprintf("\n%4d  ", i)) {
			t.Errorf("no row for iteration %d\n%s", i, out)
			break
		}
	}
	for _, m := range []solver.LineSearchMethod{solver.WeakWolfe, solver.StrongWolfe, solver.Backtracking} {
		if !strings.Contains(out, "\n"+m.String()+" ") {
			t.Errorf("no summary row for %s\n%s", m, out)
		}
	}
}
