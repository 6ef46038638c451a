package solver

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randomLoss is a convex quadratic ½Σ h_i x_i² whose evaluations are
// poisoned at random: a NaN, +Inf or −Inf loss, a non-finite gradient
// component, or an error.
type randomLoss struct {
	rng   *rand.Rand
	h     []float64
	calls int
	first float64 // the loss returned by the first call of an update
}

var errRandom = errors.New("random failure")

func (r *randomLoss) loss(x, g []float64) (float64, any, error) {
	r.calls++
	var f float64
	for i, v := range x {
		f += 0.5 * r.h[i] * v * v
		g[i] = r.h[i] * v
	}
	switch p := r.rng.Float64(); {
	case p < 0.08:
		f = math.NaN()
	case p < 0.12:
		f = math.Inf(1)
	case p < 0.15:
		f = math.Inf(-1)
	case p < 0.2:
		g[r.rng.IntN(len(g))] = math.Inf(1)
	case p < 0.22:
		return 0, nil, errRandom
	}
	if r.calls == 1 {
		r.first = f
	}
	return f, nil, nil
}

// TestUpdateRandomized runs many updates with random options on losses
// poisoned at random, and checks after each that nothing panicked and
// that every promise of Update holds: an error leaves the state and x as
// they were; otherwise the closure was called at most
// MaxNumLineSearchIterations + 1 times, exactly as counted, nothing
// non-finite was committed, the history is within HistorySize with
// increasing indices, a failed search stored no pair and did not raise the
// loss, and a completed search did not raise it either (except a fixed
// step, which may).
func TestUpdateRandomized(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13)) // fixed seed: a reproducible test
	methods := []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch}
	for run := range 200 {
		opts := DefaultOptions()
		opts.LineSearchMethod = methods[run%len(methods)]
		opts.HistorySize = 1 + rng.IntN(4)
		if opts.LineSearchMethod != NoLineSearch {
			opts.MaxNumLineSearchIterations = 1 + rng.IntN(6)
		}
		if rng.IntN(3) == 0 {
			opts.GradientClipNorm = 1 + rng.Float64()*10
		}
		if rng.IntN(3) == 0 {
			opts.GradientClipValue = 0.5 + rng.Float64()
		}
		opts.LearningRate = ConstantRate(math.Pow(10, -2+3*rng.Float64()))
		t.Run(fmt.Sprintf("%d/%s", run, opts.LineSearchMethod), func(t *testing.T) {
			n := 1 + rng.IntN(5)
			r := &randomLoss{rng: rand.New(rand.NewPCG(uint64(run), 1)), h: make([]float64, n)}
			x := make([]float64, n)
			for i := range x {
				r.h[i], x[i] = 0.1+10*rng.Float64(), rng.NormFloat64()*5
			}
			s := coreNewState(t, opts)
			for range 30 {
				checkRandomUpdate(t, s, x, r)
			}
		})
	}
}

// checkRandomUpdate runs one Update and checks the promises listed in
// TestUpdateRandomized.
func checkRandomUpdate(t *testing.T, s *LBFGSState, x []float64, r *randomLoss) {
	t.Helper()
	before, x0 := coreSnap(s), append([]float64(nil), x...)
	r.calls = 0
	err := s.Update(x, r.loss)
	if err != nil {
		if d := coreSameSnap(before, coreSnap(s)); d != "" || !sameBits(x, x0) {
			t.Fatalf("Update error %v changed the state (%q) or x", err, d)
		}
		return
	}
	if r.calls > s.MaxNumLineSearchIterations()+1 || r.calls != s.IterationLossEvaluations {
		t.Fatalf("%d calls, IterationLossEvaluations %d, budget %d+1", r.calls, s.IterationLossEvaluations, s.MaxNumLineSearchIterations())
	}
	if !allFinite(x) || !finite(s.Loss) || !allFinite(s.Gradients) || !finite(s.InverseHessianFactor) || !(s.InverseHessianFactor > 0) {
		t.Fatalf("non-finite value committed: x %v, loss %v, gradient %v, λ %v", x, s.Loss, s.Gradients, s.InverseHessianFactor)
	}
	k := len(s.StepHistory)
	if k > s.HistorySize() || len(s.HistoryIndices) != k || len(s.work.rho) != k {
		t.Fatalf("history of %d pairs, %d indices, %d ρ; HistorySize %d", k, len(s.HistoryIndices), len(s.work.rho), s.HistorySize())
	}
	for i := range k {
		if !allFinite(s.StepHistory[i]) || !allFinite(s.GradientsDifferenceHistory[i]) || !(s.work.rho[i] > 0) ||
			(i > 0 && s.HistoryIndices[i] <= s.HistoryIndices[i-1]) {
			t.Fatalf("bad pair %d: indices %v, ρ %v", i, s.HistoryIndices, s.work.rho)
		}
	}
	// The loss where the update started: the previous result, at the
	// point x still holds (an update that failed with an error restored
	// it), else the first call of this first update.
	start := before.fields.Loss
	if before.n == 0 {
		start = r.first
	}
	failed := s.LineSearchStatus == LineSearchFailed
	if failed && (s.PairStatus != PairNone || !coreSameVecs(before.s, coreSnap(s).s)) {
		t.Fatalf("failed search: pair %q, history changed", s.PairStatus)
	}
	if s.Loss > start && (failed || s.LineSearchMethod() != NoLineSearch) {
		t.Fatalf("loss rose from %v to %v (%s)", start, s.Loss, s.LineSearchStatus)
	}
}

// TestOptimizerRandomized drives the Optimizer with random options, random
// choices of a valueFn or none (fixed steps), and losses poisoned at random:
// nothing may panic, an error leaves the parameters as they were, and the
// parameters stay finite.
func TestOptimizerRandomized(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 19)) // fixed seed: a reproducible test
	for run := range 100 {
		opts := DefaultOptions()
		opts.LineSearchMethod = []LineSearchMethod{WeakWolfe, NoLineSearch}[run%2]
		opts.HistorySize = 1 + rng.IntN(3)
		opts.LearningRate = ConstantRate(math.Pow(10, -2+2*rng.Float64()))
		if rng.IntN(2) == 0 {
			opts.GradientClipNorm = 1 + rng.Float64()
		}
		t.Run(fmt.Sprintf("%d/%s", run, opts.LineSearchMethod), func(t *testing.T) {
			r := &randomLoss{rng: rand.New(rand.NewPCG(uint64(run), 2)), h: []float64{1, 3, 10}}
			a, b := []float64{rng.NormFloat64(), rng.NormFloat64()}, []float64{rng.NormFloat64()}
			o, err := NewOptimizer(coreNewState(t, opts), a, b)
			if err != nil {
				t.Fatal(err)
			}
			g := make([]float64, 3)
			for range 30 {
				p := append([]float64(nil), o.Params()...)
				v, _, err := r.loss(append([]float64(nil), p...), g)
				if err != nil {
					continue
				}
				var fn LossFunc
				if opts.LineSearchMethod != NoLineSearch || rng.IntN(2) == 0 {
					fn = r.loss
				}
				if err := o.Step(g, v, fn); err != nil && !sameBits(o.Params(), p) {
					t.Fatalf("Step error %v moved the parameters from %v to %v", err, p, o.Params())
				}
				if !allFinite(o.Params()) {
					t.Fatalf("parameters %v", o.Params())
				}
			}
		})
	}
}
