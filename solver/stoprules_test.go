package solver

import (
	"fmt"
	"math"
	"testing"
)

// stopSample is what a stopping rule can see after one iteration.
type stopSample struct {
	loss, gnorm, step float64
	completed         bool
}

// TestStopRulesFireFirst checks that each tolerance stops the run at the
// first iteration where it holds, not earlier and not later. A reference
// run with every rule off records, per iteration, the value each rule
// tests; the tolerance is then set to the value at an iteration j where a
// new minimum is reached but an earlier value lies within a factor of two,
// so that a rule testing against twice the tolerance (or half the
// reference) would stop at a different iteration than j.
func TestStopRulesFireFirst(t *testing.T) {
	x0 := rosenbrockStart(2)
	g := make([]float64, len(x0))
	loss0, _, _ := rosenbrock(append([]float64(nil), x0...), g)
	g0 := norm2(g) // the gradient norm where the run starts
	var ref []stopSample
	refStop := StopOptions{MaxIterations: 60, Hook: func(s *LBFGSState) error {
		ref = append(ref, stopSample{s.Loss, s.GradientsNorm, s.StepNorm, s.LineSearchStatus == LineSearchCompleted})
		return nil
	}}
	minimizeFrom(t, DefaultOptions(), rosenbrock, x0, refStop)
	for _, rule := range []struct {
		status Status
		// value returns the tested value after iteration i (0-based) and
		// whether the rule is tested there.
		value func(i int) (float64, bool)
		// tol returns the tolerance at which the rule holds for value v
		// exactly; set installs a tolerance.
		tol func(v float64) float64
		set func(o *StopOptions, tol float64)
	}{
		{GradientTolerance, func(i int) (float64, bool) { return ref[i].gnorm, true },
			func(v float64) float64 { return v },
			func(o *StopOptions, tol float64) { o.GradientTolerance = tol }},
		{RelativeGradientTolerance, func(i int) (float64, bool) { return ref[i].gnorm, true },
			func(v float64) float64 {
				tol := v / g0
				for tol*g0 < v {
					tol = math.Nextafter(tol, 1)
				}
				return tol
			},
			func(o *StopOptions, tol float64) { o.RelativeGradientTolerance = tol }},
		{StepTolerance, func(i int) (float64, bool) { return ref[i].step, ref[i].completed },
			func(v float64) float64 { return v },
			func(o *StopOptions, tol float64) { o.StepTolerance = tol }},
		{FunctionTolerance, func(i int) (float64, bool) {
			prev := loss0
			if i > 0 {
				prev = ref[i-1].loss
			}
			return relativeChange(prev, ref[i].loss), ref[i].completed
		}, func(v float64) float64 { return v },
			func(o *StopOptions, tol float64) { o.FunctionTolerance = tol }},
	} {
		t.Run(rule.status.String(), func(t *testing.T) {
			j := firstTightMinimum(len(ref), rule.value)
			if j < 0 {
				t.Fatalf("no iteration in the reference run suits the test")
			}
			v, _ := rule.value(j)
			stop := StopOptions{MaxIterations: 60}
			rule.set(&stop, rule.tol(v))
			_, s, res := minimizeFrom(t, DefaultOptions(), rosenbrock, x0, stop)
			if res.Status != rule.status || s.Iteration != j+1 {
				t.Errorf("got %v at iteration %d, want %v at iteration %d (value %v)", res.Status, s.Iteration, rule.status, j+1, v)
			}
		})
	}
}

// firstTightMinimum returns the first index j at which value(j) is tested,
// is below every earlier tested value, and has an earlier tested value at
// most twice as large; or −1.
func firstTightMinimum(n int, value func(int) (float64, bool)) int {
	best := math.Inf(1)
	for j := range n {
		v, ok := value(j)
		if !ok {
			continue
		}
		if v < best && v > 0 && best <= 2*v {
			return j
		}
		best = math.Min(best, v)
	}
	return -1
}

// TestMinimizeRetryPerFailure checks that ResetAndRetry retries after each
// failed search, not once per run, and that a failed retry ends the run.
// The poisoned loss returns NaN for the next 20 (the default
// MaxNumLineSearchIterations) or 40 evaluations once armed by the hook, so
// that one or two searches in a row fail.
func TestMinimizeRetryPerFailure(t *testing.T) {
	for _, tc := range []struct {
		name     string
		at       map[int]int // iteration after which to poison → evaluations poisoned
		want     Status
		failures []int // iterations whose search failed
	}{
		{"two separate failures", map[int]int{4: 20, 12: 20}, GradientTolerance, []int{5, 13}},
		{"failed retry", map[int]int{4: 40}, LineSearchFailure, []int{5, 6}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &poisoned{f: rosenbrock}
			var failures, sizes []int // failed iterations; history length after each
			stop := noStop()
			stop.GradientTolerance = 1e-6
			stop.OnLineSearchFailure = ResetAndRetry
			stop.Hook = func(s *LBFGSState) error {
				sizes = append(sizes, len(s.StepHistory))
				if s.LineSearchStatus == LineSearchFailed {
					failures = append(failures, s.Iteration)
				}
				if n := tc.at[s.Iteration]; n > 0 {
					p.left, p.armed = n, true
				}
				return nil
			}
			_, s, res := minimizeFrom(t, DefaultOptions(), p.loss, rosenbrockStart(2), stop)
			if res.Status != tc.want || fmt.Sprint(failures) != fmt.Sprint(tc.failures) {
				t.Fatalf("got %v at iteration %d with failures at %v; want %v with failures at %v",
					res.Status, s.Iteration, failures, tc.want, tc.failures)
			}
			for _, it := range failures {
				// The update after a failure starts from an empty history.
				if it < len(sizes) && sizes[it] > 1 {
					t.Errorf("iteration %d after the failure at %d holds %d pairs, want <= 1", it+1, it, sizes[it])
				}
			}
		})
	}
}
