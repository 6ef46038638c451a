package solver

import (
	"fmt"
	"math"
	"testing"
)

// mtFunction is a one-dimensional test function of Moré & Thuente, "Line
// search algorithms with guaranteed sufficient decrease", ACM TOMS 20
// (1994), §5, with the constants of its table: c₂ = η and c₁ = μ, except
// that where the table has μ = η (Tables 2–6) c₁ = η/10, because our
// options require c₁ < c₂.
type mtFunction struct {
	name   string
	phi    func(a float64) (float64, float64) // φ(α), φ'(α)
	c1, c2 float64
}

// mtGamma is γ(β) = √(1+β²) − β of Moré & Thuente's functions 4–6.
func mtGamma(b float64) float64 { return math.Sqrt(1+b*b) - b }

// mtYanai returns Moré & Thuente's functions 4–6 (after Yanai, Ozawa &
// Kaneko): φ(α) = γ(β₁)·√((1−α)² + β₂²) + γ(β₂)·√(α² + β₁²).
func mtYanai(b1, b2 float64) func(float64) (float64, float64) {
	g1, g2 := mtGamma(b1), mtGamma(b2)
	return func(a float64) (float64, float64) {
		r1, r2 := math.Sqrt((1-a)*(1-a)+b2*b2), math.Sqrt(a*a+b1*b1)
		return g1*r1 + g2*r2, g1*(a-1)/r1 + g2*a/r2
	}
}

// mtFunctions are the six functions of Moré & Thuente's Tables 1–6.
func mtFunctions() []mtFunction {
	const b3, l3 = 0.01, 39.0
	return []mtFunction{
		{"1", func(a float64) (float64, float64) { // Table 1: β = 2
			d := a*a + 2
			return -a / d, (a*a - 2) / (d * d)
		}, 0.001, 0.1},
		{"2", func(a float64) (float64, float64) { // Table 2: β = 0.004
			b := a + 0.004
			return math.Pow(b, 5) - 2*math.Pow(b, 4), 5*math.Pow(b, 4) - 8*math.Pow(b, 3)
		}, 0.01, 0.1},
		{"3", func(a float64) (float64, float64) { // Table 3: β = 0.01, l = 39
			var p0, d0 float64
			switch {
			case a <= 1-b3:
				p0, d0 = 1-a, -1
			case a >= 1+b3:
				p0, d0 = a-1, 1
			default:
				p0, d0 = (a-1)*(a-1)/(2*b3)+b3/2, (a-1)/b3
			}
			w := l3 * math.Pi / 2
			return p0 + 2*(1-b3)/(l3*math.Pi)*math.Sin(w*a), d0 + (1-b3)*math.Cos(w*a)
		}, 0.01, 0.1},
		{"4", mtYanai(0.001, 0.001), 1e-4, 0.001}, // Table 4
		{"5", mtYanai(0.01, 0.001), 1e-4, 0.001},  // Table 5
		{"6", mtYanai(0.001, 0.01), 1e-4, 0.001},  // Table 6
	}
}

// mtStarts are the initial steps of Moré & Thuente's tables.
var mtStarts = []float64{1e-3, 1e-1, 1e1, 1e3}

// searchOn runs one line search of the given method on φ along d = 1 from
// x₀ = 0, starting at alpha0, and returns the state holding its trials and
// whether it succeeded.
func searchOn(t *testing.T, opts Options, phi func(float64) (float64, float64), alpha0 float64) (*LBFGSState, bool) {
	t.Helper()
	s := coreNewState(t, opts)
	if err := s.resolve(UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	s.init(1)
	w := &s.work
	w.x0[0], w.d[0] = 0, 1
	f0, dg0 := phi(0)
	f := func(x, g []float64) (float64, any, error) {
		v, dv := phi(x[0])
		g[0] = dv
		return v, nil, nil
	}
	w.search = searchState{f: f, f0: f0, dg0: dg0, trials: w.trials[:0], best: -1, weak: -1, maxStep: math.Inf(1)}
	ok, err := s.lineSearch(alpha0)
	if err != nil {
		t.Fatalf("line search: %v", err)
	}
	return s, ok
}

// TestLineSearchMoreThuenteFunctions checks, on Moré & Thuente's six
// functions from the four starting steps, that each search succeeds within
// its evaluation budget and that the accepted step satisfies the conditions
// the search promises: sufficient decrease for all, weak curvature
// φ'(α) ≥ c₂φ'(0) for weak-wolfe, strong curvature |φ'(α)| ≤ c₂|φ'(0)| for
// strong-wolfe.
func TestLineSearchMoreThuenteFunctions(t *testing.T) {
	for _, method := range goldenSearches {
		for _, fn := range mtFunctions() {
			for _, a0 := range mtStarts {
				t.Run(fmt.Sprintf("%s/f%s/%g", method, fn.name, a0), func(t *testing.T) {
					opts := DefaultOptions()
					opts.LineSearchMethod = method
					opts.C1 = fn.c1
					if method != Backtracking {
						opts.C2 = fn.c2
					}
					opts.MaxNumLineSearchIterations = 30
					s, ok := searchOn(t, opts, fn.phi, a0)
					ls := &s.work.search
					if !ok {
						t.Fatalf("search failed; trials %v", ls.trials)
					}
					if len(ls.trials) > opts.MaxNumLineSearchIterations || ls.evals != len(ls.trials) {
						t.Errorf("%d trials, %d evaluations, budget %d", len(ls.trials), ls.evals, opts.MaxNumLineSearchIterations)
					}
					acc := ls.trials[ls.best]
					if acc.Outcome != TrialAccepted || acc.Step != ls.ab || ls.best != len(ls.trials)-1 {
						t.Fatalf("kept trial %d = %+v, want the last trial, accepted; trials %v", ls.best, acc, ls.trials)
					}
					f0, d0 := fn.phi(0)
					fa, da := fn.phi(acc.Step)
					if fa != acc.Loss || da != acc.Derivative {
						t.Errorf("recorded φ, φ' = %v, %v; φ(%v) = %v, %v", acc.Loss, acc.Derivative, acc.Step, fa, da)
					}
					if fa > f0+fn.c1*acc.Step*d0 {
						t.Errorf("α = %v: φ = %v violates sufficient decrease (bound %v)", acc.Step, fa, f0+fn.c1*acc.Step*d0)
					}
					switch method {
					case WeakWolfe:
						if da < fn.c2*d0 {
							t.Errorf("α = %v: φ' = %v < c₂φ'(0) = %v", acc.Step, da, fn.c2*d0)
						}
					case StrongWolfe:
						if math.Abs(da) > -fn.c2*d0 {
							t.Errorf("α = %v: |φ'| = %v > c₂|φ'(0)| = %v", acc.Step, math.Abs(da), -fn.c2*d0)
						}
					}
					t.Logf("α = %.6g after %d evaluations", acc.Step, len(ls.trials))
				})
			}
		}
	}
}

// TestLineSearchNonFiniteTrials checks that a NaN or infinite loss, or an
// infinite gradient, at a trial point is read as a step too long: the search
// shrinks, succeeds, records the trial as non-finite, and commits only
// finite values.
func TestLineSearchNonFiniteTrials(t *testing.T) {
	bad := map[string]func(g []float64) float64{
		"NaN loss":     func(g []float64) float64 { return math.NaN() },
		"+Inf loss":    func(g []float64) float64 { return math.Inf(1) },
		"Inf gradient": func(g []float64) float64 { g[1] = math.Inf(-1); return 1 },
		"NaN gradient": func(g []float64) float64 { g[0] = math.NaN(); return 1 },
	}
	// With value clipping an infinite component would clip to a finite
	// one: the raw gradient must be checked.
	const clipped = LineSearchMethod(0) // Backtracking with value clipping
	for _, method := range append(goldenSearches, NoLineSearch, clipped) {
		label := method.String()
		if method == clipped {
			label = "backtracking+clip"
		}
		for name, poison := range bad {
			t.Run(label+"/"+name, func(t *testing.T) {
				// Rosenbrock, poisoned wherever |x₀| > 2: the first
				// trials from (−1.2, 1) with α₀ = 100 land there.
				f := func(x, g []float64) (float64, any, error) {
					v, _, _ := coreRosenbrock(x, g)
					if math.Abs(x[0]) > 2 {
						return poison(g), nil, nil
					}
					return v, nil, nil
				}
				opts := DefaultOptions()
				opts.LineSearchMethod = method
				if method == clipped {
					opts.LineSearchMethod, opts.GradientClipValue = Backtracking, 1e6
				}
				opts.LearningRate = ConstantRate(100)
				s := coreNewState(t, opts)
				x := []float64{-1.2, 1}
				coreUpdates(t, s, x, f, 1)
				if s.LineSearchTrials[0].Outcome != TrialNonFinite {
					t.Fatalf("first trial %+v, want non-finite", s.LineSearchTrials[0])
				}
				if method == NoLineSearch {
					if s.LineSearchStatus != LineSearchFailed || x[0] != -1.2 || x[1] != 1 {
						t.Fatalf("status %q, x %v; want failed at the start", s.LineSearchStatus, x)
					}
					return
				}
				if s.LineSearchStatus != LineSearchCompleted || s.Loss >= 24.2 { // f(−1.2, 1) = 24.2
					t.Fatalf("status %q, loss %v; want a completed decrease, trials %v", s.LineSearchStatus, s.Loss, s.LineSearchTrials)
				}
				if !allFinite(x) || !allFinite(s.Gradients) || !finite(s.Loss) || math.Abs(x[0]) > 2 {
					t.Fatalf("committed x %v, loss %v, gradient %v", x, s.Loss, s.Gradients)
				}
				for i := range s.StepHistory {
					if !allFinite(s.StepHistory[i]) || !allFinite(s.GradientsDifferenceHistory[i]) {
						t.Fatalf("non-finite pair %d stored", i)
					}
				}
			})
		}
	}
}
