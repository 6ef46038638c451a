package solver

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestScheduleFormulas(t *testing.T) {
	// Expected values worked by hand from the formulas in schedule.go.
	for _, tc := range []struct {
		name string
		s    Schedule
		k    int
		want float64
	}{
		{"constant", ConstantRate(0.5), 1000, 0.5},
		{"exponential k=0", ExponentialDecay{Initial: 2, Factor: 0.5, Steps: 10}, 0, 2},
		{"exponential k=10", ExponentialDecay{Initial: 2, Factor: 0.5, Steps: 10}, 10, 1},
		{"exponential k=5", ExponentialDecay{Initial: 2, Factor: 0.5, Steps: 10}, 5, 2 * math.Sqrt(0.5)},
		{"step k=9", StepDecay{Initial: 1, Factor: 0.1, Every: 10}, 9, 1},
		{"step k=10", StepDecay{Initial: 1, Factor: 0.1, Every: 10}, 10, 0.1},
		{"step k=25", StepDecay{Initial: 1, Factor: 0.5, Every: 10}, 25, 0.25},
		{"cosine k=0", CosineDecay{Initial: 1, Final: 0.1, Steps: 100}, 0, 1},
		{"cosine k=50", CosineDecay{Initial: 1, Final: 0.1, Steps: 100}, 50, 0.55},
		{"cosine k=100", CosineDecay{Initial: 1, Final: 0.1, Steps: 100}, 100, 0.1},
		{"cosine k=1000", CosineDecay{Initial: 1, Final: 0.1, Steps: 100}, 1000, 0.1},
		{"func", ScheduleFunc(func(k int) float64 { return 1 / float64(k+1) }), 3, 0.25},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.LearningRate(tc.k); math.Abs(got-tc.want) > 1e-15 {
				t.Errorf("LearningRate(%d) = %v, want %v", tc.k, got, tc.want)
			}
			opts := DefaultOptions()
			opts.LearningRate = tc.s
			if _, err := NewLBFGSState(opts); err != nil {
				t.Errorf("NewLBFGSState: %v", err)
			}
		})
	}
}

func TestScheduleValidate(t *testing.T) {
	for _, tc := range []struct {
		s interface {
			Schedule
			Validate() error
		}
		option string
	}{
		{ConstantRate(0), "ConstantRate"},
		{ConstantRate(math.Inf(1)), "ConstantRate"},
		{ExponentialDecay{Initial: -1, Factor: 0.5, Steps: 1}, "ExponentialDecay.Initial"},
		{ExponentialDecay{Initial: 1, Factor: 0, Steps: 1}, "ExponentialDecay.Factor"},
		{ExponentialDecay{Initial: 1, Factor: 1.5, Steps: 1}, "ExponentialDecay.Factor"},
		{ExponentialDecay{Initial: 1, Factor: 0.5, Steps: 0}, "ExponentialDecay.Steps"},
		{StepDecay{Initial: math.NaN(), Factor: 0.5, Every: 1}, "StepDecay.Initial"},
		{StepDecay{Initial: 1, Factor: -0.5, Every: 1}, "StepDecay.Factor"},
		{StepDecay{Initial: 1, Factor: 0.5, Every: 0}, "StepDecay.Every"},
		{CosineDecay{Initial: 0, Final: 0, Steps: 1}, "CosineDecay.Initial"},
		{CosineDecay{Initial: 1, Final: 0, Steps: 1}, "CosineDecay.Final"},
		{CosineDecay{Initial: 1, Final: 2, Steps: 1}, "CosineDecay.Final"},
		{CosineDecay{Initial: 1, Final: 0.5, Steps: 0}, "CosineDecay.Steps"},
		{ScheduleFunc(nil), "ScheduleFunc"},
	} {
		t.Run(tc.option, func(t *testing.T) {
			err := tc.s.Validate()
			var oe *OptionError
			if !errors.As(err, &oe) || oe.Option != tc.option || !errors.Is(err, ErrInvalidOption) {
				t.Fatalf("%#v.Validate() = %v, want an *OptionError for %s", tc.s, err, tc.option)
			}
			// NewLBFGSState rejects it too, also where the rate at
			// iteration 0 alone looks valid (e.g. Factor -0.5).
			opts := DefaultOptions()
			opts.LearningRate = tc.s
			if _, err := NewLBFGSState(opts); !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), tc.option) {
				t.Errorf("NewLBFGSState: err = %v, want one naming %s", err, tc.option)
			}
		})
	}
	// Invalid parameters never panic when the rate is asked for.
	for _, s := range []Schedule{StepDecay{Initial: 1, Factor: 0.5}, ScheduleFunc(nil)} {
		if r := s.LearningRate(3); !math.IsNaN(r) {
			t.Errorf("%#v.LearningRate(3) = %v, want NaN", s, r)
		}
	}
}

// The schedule's rate is the step of every NoLineSearch update.
func TestScheduleDrivesFixedStep(t *testing.T) {
	opts := DefaultOptions()
	opts.LineSearchMethod = NoLineSearch
	sched := StepDecay{Initial: 1e-3, Factor: 0.5, Every: 2}
	opts.LearningRate = sched
	var rates []float64
	stop := StopOptions{MaxIterations: 6, Hook: func(s *LBFGSState) error { rates = append(rates, s.LearningRate); return nil }}
	minimizeFrom(t, opts, rosenbrock, rosenbrockStart(2), stop)
	for k, r := range rates {
		if want := sched.LearningRate(k); r != want {
			t.Errorf("iteration %d: LearningRate = %v, want %v", k+1, r, want)
		}
	}
}

// The schedule's rate is the first trial step of every line search once a
// pair is stored (before that, the first step is scaled down along the
// steepest-descent direction; see TestInitialStep).
func TestScheduleDrivesFirstTrial(t *testing.T) {
	for _, method := range goldenSearches {
		t.Run(method.String(), func(t *testing.T) {
			opts := DefaultOptions()
			opts.LineSearchMethod = method
			sched := ExponentialDecay{Initial: 1, Factor: 0.5, Steps: 4}
			opts.LearningRate = sched
			s := coreNewState(t, opts)
			x := rosenbrockStart(2)
			for range 12 {
				k, pairs := s.Iteration, len(s.StepHistory)
				coreUpdates(t, s, x, rosenbrock, 1)
				if pairs > 0 && !s.DirectionReset {
					if got, want := s.LineSearchTrials[0].Step, sched.LearningRate(k); got != want {
						t.Errorf("iteration %d: first trial step %v, want the schedule's %v", k+1, got, want)
					}
				}
			}
		})
	}
}
