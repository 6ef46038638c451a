package solver

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
)

// poisoned wraps f so that, once armed, its next n calls return a NaN loss:
// a line search that meets them can only fail.
type poisoned struct {
	f     LossFunc
	armed bool
	left  int
}

func (p *poisoned) loss(x, g []float64) (float64, any, error) {
	v, extra, err := p.f(x, g)
	if p.armed && p.left > 0 {
		p.left--
		return math.NaN(), extra, err
	}
	return v, extra, err
}

func TestMinimizeResetAndRetry(t *testing.T) {
	for _, tc := range []struct {
		policy LineSearchFailurePolicy
		want   Status
	}{
		{StopOnFailure, LineSearchFailure},
		{ResetAndRetry, GradientTolerance},
	} {
		t.Run(tc.want.String(), func(t *testing.T) {
			// The 20 trials (DefaultMaxNumLineSearchIterations) of
			// iteration 5 all see NaN; the retry sees the true loss.
			p := &poisoned{f: rosenbrock, left: DefaultMaxNumLineSearchIterations}
			var pairs []int // len(StepHistory) seen by the hook
			stop := noStop()
			stop.GradientTolerance = 1e-6
			stop.OnLineSearchFailure = tc.policy
			stop.Hook = func(s *LBFGSState) error {
				pairs = append(pairs, len(s.StepHistory))
				p.armed = s.Iteration == 4
				return nil
			}
			_, s, res := minimizeFrom(t, DefaultOptions(), p.loss, rosenbrockStart(2), stop)
			if res.Status != tc.want {
				t.Fatalf("Status = %v, want %v", res.Status, tc.want)
			}
			if tc.policy == StopOnFailure {
				if s.Iteration != 5 {
					t.Errorf("stopped at iteration %d, want 5", s.Iteration)
				}
				return
			}
			// Iteration 5 failed with 4 pairs; the retry (6) started from
			// an empty history, so it holds at most one pair.
			if len(pairs) < 6 || pairs[4] != pairs[3] || pairs[5] > 1 {
				t.Errorf("history sizes %v: want iteration 5 unchanged and iteration 6 restarted", pairs)
			}
		})
	}
}

func TestMinimizeCancel(t *testing.T) {
	t.Run("during", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		stop := DefaultStopOptions()
		var at []float64
		stop.Hook = func(s *LBFGSState) error {
			if s.Iteration == 2 {
				cancel()
				at = append([]float64(nil), s.work.lastX...)
			}
			return nil
		}
		s, _ := NewLBFGSState(DefaultOptions())
		x := rosenbrockStart(2)
		res, err := Minimize(ctx, x, rosenbrock, s, stop)
		if err != nil || res.Status != Cancelled || s.Iteration != 2 {
			t.Fatalf("got %v, %v at iteration %d; want Cancelled, nil at 2", res.Status, err, s.Iteration)
		}
		if x[0] != at[0] || x[1] != at[1] {
			t.Errorf("x = %v, want the point of iteration 2, %v", x, at)
		}
	})
	t.Run("before", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		calls := 0
		f := func(x, g []float64) (float64, any, error) { calls++; return rosenbrock(x, g) }
		s, _ := NewLBFGSState(DefaultOptions())
		res, err := Minimize(ctx, rosenbrockStart(2), f, s, DefaultStopOptions())
		if err != nil || res.Status != Cancelled || calls != 0 || res.Iterations != 0 {
			t.Fatalf("got %v, %v, %d calls, %d iterations; want Cancelled, nil, 0, 0", res.Status, err, calls, res.Iterations)
		}
		if !math.IsNaN(res.Loss) {
			t.Errorf("Result.Loss = %v, want NaN (never evaluated)", res.Loss)
		}
	})
}

func TestMinimizeHook(t *testing.T) {
	boom := errors.New("disk full")
	for _, tc := range []struct {
		name    string
		ret     error
		wantErr error // nil: no error
	}{
		{"ErrStop", ErrStop, nil},
		{"wrapped ErrStop", errors.Join(errors.New("enough"), ErrStop), nil},
		{"other error", boom, boom},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stop := DefaultStopOptions()
			calls := 0
			stop.Hook = ChainHooks(nil, func(s *LBFGSState) error {
				calls++
				if s.Iteration == 3 {
					return tc.ret
				}
				return nil
			}, func(*LBFGSState) error {
				if calls == 3 {
					t.Error("hook after the stopping one was called")
				}
				return nil
			})
			s, _ := NewLBFGSState(DefaultOptions())
			res, err := Minimize(context.Background(), rosenbrockStart(2), rosenbrock, s, stop)
			if res.Status != HookStopped || s.Iteration != 3 || calls != 3 {
				t.Fatalf("got %v at iteration %d after %d hook calls, want HookStopped at 3 after 3", res.Status, s.Iteration, calls)
			}
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("err = %v, want nil", err)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("err = %v, want it to wrap %v", err, tc.wantErr)
			}
		})
	}
}

func TestMinimizeLossError(t *testing.T) {
	boom := errors.New("graph exploded")
	calls := 0
	f := func(x, g []float64) (float64, any, error) {
		calls++
		if calls == 12 {
			return 0, nil, boom
		}
		return rosenbrock(x, g)
	}
	var last []float64 // x after the last completed iteration
	stop := DefaultStopOptions()
	stop.Hook = func(s *LBFGSState) error { last = append(last[:0], s.work.lastX...); return nil }
	s, _ := NewLBFGSState(DefaultOptions())
	x := rosenbrockStart(2)
	res, err := Minimize(context.Background(), x, f, s, stop)
	if res.Status != Failure || !errors.Is(err, boom) || !errors.Is(err, ErrLossFunction) {
		t.Fatalf("got %v, %v; want Failure and an error wrapping ErrLossFunction and the closure's", res.Status, err)
	}
	if x[0] != last[0] || x[1] != last[1] {
		t.Errorf("x = %v, want the last completed iterate %v", x, last)
	}
}

func TestMinimizeInvalid(t *testing.T) {
	good, _ := NewLBFGSState(DefaultOptions())
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		f      LossFunc
		state  *LBFGSState
		modify func(*StopOptions)
		want   string // substring of the error
		sent   error
	}{
		{"nil ctx", nil, rosenbrock, good, nil, "nil context", ErrInvalidOption},
		{"nil f", context.Background(), nil, good, nil, "nil loss function", ErrLossFunction},
		{"nil state", context.Background(), rosenbrock, nil, nil, "NewLBFGSState", ErrInvalidOption},
		{"zero state", context.Background(), rosenbrock, &LBFGSState{}, nil, "NewLBFGSState", ErrInvalidOption},
		{"GradientTolerance", context.Background(), rosenbrock, good, func(o *StopOptions) { o.GradientTolerance = -1 }, "GradientTolerance", ErrInvalidOption},
		{"GradientTolerance NaN", context.Background(), rosenbrock, good, func(o *StopOptions) { o.GradientTolerance = math.NaN() }, "GradientTolerance", ErrInvalidOption},
		{"RelativeGradientTolerance", context.Background(), rosenbrock, good, func(o *StopOptions) { o.RelativeGradientTolerance = 1 }, "RelativeGradientTolerance", ErrInvalidOption},
		{"StepTolerance", context.Background(), rosenbrock, good, func(o *StopOptions) { o.StepTolerance = math.Inf(1) }, "StepTolerance", ErrInvalidOption},
		{"FunctionTolerance", context.Background(), rosenbrock, good, func(o *StopOptions) { o.FunctionTolerance = -0.1 }, "FunctionTolerance", ErrInvalidOption},
		{"MaxIterations", context.Background(), rosenbrock, good, func(o *StopOptions) { o.MaxIterations = -1 }, "MaxIterations", ErrInvalidOption},
		{"MaxLossEvaluations", context.Background(), rosenbrock, good, func(o *StopOptions) { o.MaxLossEvaluations = -5 }, "MaxLossEvaluations", ErrInvalidOption},
		{"OnLineSearchFailure", context.Background(), rosenbrock, good, func(o *StopOptions) { o.OnLineSearchFailure = 7 }, "OnLineSearchFailure", ErrInvalidOption},
		{"x dimension", context.Background(), rosenbrock, nil, nil, "dimension", ErrDimension},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stop := DefaultStopOptions()
			if tc.modify != nil {
				tc.modify(&stop)
			}
			state, x := tc.state, rosenbrockStart(2)
			if tc.name == "x dimension" {
				state, _ = NewLBFGSState(DefaultOptions())
				if err := state.Update(x, rosenbrock); err != nil {
					t.Fatal(err)
				}
				x = rosenbrockStart(4)
			}
			_, err := Minimize(tc.ctx, x, tc.f, state, stop)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.sent) {
				t.Fatalf("err = %v, want one naming %q and wrapping %v", err, tc.want, tc.sent)
			}
			var oe *OptionError
			if tc.modify != nil && (!errors.As(err, &oe) || oe.Option != tc.want) {
				t.Errorf("err = %v, want an *OptionError for %s", err, tc.want)
			}
		})
	}
}

// Minimize takes exactly the steps of a plain Update loop.
func TestMinimizeMatchesUpdate(t *testing.T) {
	for _, method := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking, NoLineSearch} {
		t.Run(method.String(), func(t *testing.T) {
			opts := DefaultOptions()
			opts.LineSearchMethod = method
			if method == NoLineSearch {
				opts.LearningRate = ConstantRate(1e-3) // a stable fixed step for Rosenbrock
			}
			stop := StopOptions{MaxIterations: 25}
			x, s, _ := minimizeFrom(t, opts, rosenbrock, rosenbrockStart(4), stop)
			ref, _ := NewLBFGSState(opts)
			y := rosenbrockStart(4)
			for range 25 {
				if err := ref.Update(y, rosenbrock); err != nil {
					t.Fatal(err)
				}
			}
			if !sameBits(x, y) || math.Float64bits(s.Loss) != math.Float64bits(ref.Loss) {
				t.Errorf("Minimize x = %v (loss %v), Update loop x = %v (loss %v)", x, s.Loss, y, ref.Loss)
			}
			if s.NumLossEvaluations != ref.NumLossEvaluations {
				t.Errorf("evaluations: Minimize %d, Update loop %d", s.NumLossEvaluations, ref.NumLossEvaluations)
			}
		})
	}
}
