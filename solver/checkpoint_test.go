package solver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stateString prints every exported field of s except
// AdditionalLossFunctionOutputs (not saved), the cached point and ρ, with
// floats in their shortest exact form: equal strings mean bit-identical
// states.
func stateString(s *LBFGSState) string {
	c := *s
	c.AdditionalLossFunctionOutputs = nil
	opts := s.Options()
	return fmt.Sprintf("%+v|%+v|%+v|%+v|%v", opts, c.StepHistory, c.GradientsDifferenceHistory,
		[]any{c.HistoryIndices, c.InverseHessianFactor, c.Loss, c.Gradients, c.StepNorm, c.GradientsNorm,
			c.LineSearchStatus, c.Iteration, c.NumLossEvaluations, c.IterationLossEvaluations, c.LearningRate,
			c.PairStatus, c.CurvatureProduct, c.DirectionalDerivative, c.DirectionReset, c.LineSearchTrials,
			c.HistorySize, c.InitialInverseHessianFactor, c.LineSearchMethod, c.MaxNumLineSearchIterations},
		[]any{s.work.n, s.work.lastX, s.work.rho})
}

// roundTrip writes s and x to a buffer and reads them back.
func roundTrip(t *testing.T, s *LBFGSState, x []float64, lr Schedule) (*LBFGSState, []float64) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, s, x); err != nil {
		t.Fatalf("WriteCheckpoint: %v", err)
	}
	s2, x2, err := ReadCheckpoint(&buf, lr)
	if err != nil {
		t.Fatalf("ReadCheckpoint: %v", err)
	}
	return s2, x2
}

// resumeCase is a problem on which the run 0→n is compared with 0→k,
// checkpoint, k→n.
type resumeCase struct {
	name string
	opts func() Options
	f    LossFunc
	x0   []float64
	n    int
}

func resumeCases() []resumeCase {
	small := func(method string) func() Options {
		return func() Options {
			o := DefaultOptions()
			o.HistorySize = 3 // small, so that the ring wraps early
			o.LineSearchMethod = method
			return o
		}
	}
	return []resumeCase{
		{"weak-wolfe rosenbrock100", small(WeakWolfe), rosenbrock, rosenbrockStart(100), 40},
		{"strong-wolfe rosenbrock4", small(StrongWolfe), rosenbrock, rosenbrockStart(4), 30},
		{"backtracking rosenbrock4", small(Backtracking), rosenbrock, rosenbrockStart(4), 30},
		{"none clipped cosine", func() Options {
			o := small(NoLineSearch)()
			o.LearningRate = CosineDecay{Initial: 2e-3, Final: 1e-4, Steps: 20}
			o.GradientClipNorm = 50
			o.ScaleInitialHessian = false
			return o
		}, rosenbrock, rosenbrockStart(6), 30},
		{"weak-wolfe exponential clip-value", func() Options {
			o := small(WeakWolfe)()
			o.LearningRate = ExponentialDecay{Initial: 1, Factor: 0.5, Steps: 10}
			o.GradientClipValue = 20
			return o
		}, rosenbrock, rosenbrockStart(4), 30},
	}
}

func TestCheckpointResume(t *testing.T) {
	for _, tc := range resumeCases() {
		t.Run(tc.name, func(t *testing.T) {
			run := func(s *LBFGSState, x []float64, to int) *Recorder {
				t.Helper()
				rec, _ := NewRecorder(nil, s)
				_, err := Minimize(context.Background(), x, tc.f, s, StopOptions{MaxIterations: to, Hook: rec.Record})
				if err != nil {
					t.Fatal(err)
				}
				return rec
			}
			ref, _ := NewLBFGSState(tc.opts())
			xref := append([]float64(nil), tc.x0...)
			refRec := run(ref, xref, tc.n)
			if ref.Iteration != tc.n {
				t.Fatalf("reference run stopped at iteration %d, want %d", ref.Iteration, tc.n)
			}
			// k = 0 (fresh), before and after the ring of 3 wraps, and n.
			for _, k := range []int{0, 1, 2, 3, 4, 7, 20, tc.n} {
				s, _ := NewLBFGSState(tc.opts())
				x := append([]float64(nil), tc.x0...)
				if k > 0 {
					run(s, x, k)
				}
				s2, x2 := roundTrip(t, s, x, nil)
				if got, want := stateString(s2), stateString(s); got != want {
					t.Fatalf("k=%d: loaded state differs:\n got %s\nwant %s", k, got, want)
				}
				rec := run(s2, x2, tc.n)
				if !sameBits(x2, xref) || stateString(s2) != stateString(ref) {
					t.Errorf("k=%d: resumed run ends at x %v, uninterrupted at %v", k, x2[:2], xref[:2])
				}
				for i, r := range rec.Records() {
					want := refRec.Records()[k+i]
					r.Elapsed, want.Elapsed = 0, 0
					if fmt.Sprintf("%+v", r) != fmt.Sprintf("%+v", want) {
						t.Errorf("k=%d: iteration %d differs:\n got %+v\nwant %+v", k, r.Iteration, r, want)
						break
					}
				}
			}
		})
	}
}

func TestCheckpointFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "run.ckpt")
	s, _ := NewLBFGSState(DefaultOptions())
	x := rosenbrockStart(2)
	if _, err := Minimize(context.Background(), x, rosenbrock, s, StopOptions{MaxIterations: 5}); err != nil {
		t.Fatal(err)
	}
	if err := SaveCheckpoint(path, s, x); err != nil {
		t.Fatal(err)
	}
	s2, x2, err := LoadCheckpoint(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(x, x2) || stateString(s) != stateString(s2) {
		t.Errorf("loaded %v, saved %v", x2, x)
	}
	// Overwrite with a later state: the file now holds iteration 6.
	if _, err := Minimize(context.Background(), x, rosenbrock, s, StopOptions{MaxIterations: 6}); err != nil {
		t.Fatal(err)
	}
	if err := SaveCheckpoint(path, s, x); err != nil {
		t.Fatal(err)
	}
	if s3, _, err := LoadCheckpoint(path, nil); err != nil || s3.Iteration != 6 {
		t.Fatalf("after overwrite: %v, iteration %d; want 6", err, s3.Iteration)
	}
	assertOnlyFile(t, dir, "run.ckpt")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("checkpoint file: %v, %v; want mode 0644 (SaveCheckpoint's doc)", st, err)
	}
}

// The Loss, Gradients and extras of a loaded state are reused by the next
// Update without an evaluation, as in the uninterrupted run.
func TestCheckpointCachedEvaluation(t *testing.T) {
	s, _ := NewLBFGSState(DefaultOptions())
	x := rosenbrockStart(2)
	if err := s.Update(x, rosenbrock); err != nil {
		t.Fatal(err)
	}
	s2, x2 := roundTrip(t, s, x, nil)
	if !s2.hasEvaluation(x2) || s2.AdditionalLossFunctionOutputs != nil {
		t.Fatalf("loaded state: cached evaluation %v, extras %v; want cached, nil", s2.hasEvaluation(x2), s2.AdditionalLossFunctionOutputs)
	}
	before := s2.NumLossEvaluations
	if err := s2.Update(x2, rosenbrock); err != nil {
		t.Fatal(err)
	}
	if got := s2.NumLossEvaluations - before; got != s2.IterationLossEvaluations || len(s2.LineSearchTrials) != got {
		t.Errorf("%d evaluations for %d trials: the start point was evaluated again", got, len(s2.LineSearchTrials))
	}
	if math.IsNaN(s2.Loss) {
		t.Error("NaN loss after resume")
	}
}

func TestCheckpointCustomSchedule(t *testing.T) {
	opts := DefaultOptions()
	sched := ScheduleFunc(func(k int) float64 { return 1 / float64(k+1) })
	opts.LearningRate = sched
	s, _ := NewLBFGSState(opts)
	x := rosenbrockStart(2)
	if err := s.Update(x, rosenbrock); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	_, _, err := ReadCheckpoint(bytes.NewReader(data), nil)
	var oe *OptionError
	if !errors.As(err, &oe) || oe.Option != "LearningRate" || !strings.Contains(err.Error(), "solver.ScheduleFunc") {
		t.Fatalf("custom schedule without lr: err = %v, want an *OptionError naming solver.ScheduleFunc", err)
	}
	s2, _, err := ReadCheckpoint(bytes.NewReader(data), sched)
	if err != nil || s2.Options().LearningRate.LearningRate(3) != 0.25 {
		t.Fatalf("custom schedule passed back: err = %v", err)
	}
	// An invalid schedule passed is the caller's error, not a corrupt file.
	_, _, err = ReadCheckpoint(bytes.NewReader(data), ConstantRate(-1))
	if !errors.As(err, &oe) || oe.Option != "LearningRate" || errors.Is(err, ErrCheckpointCorrupt) {
		t.Errorf("invalid schedule passed: err = %v, want an *OptionError for LearningRate", err)
	}
	// lr also replaces a saved schedule of the package.
	s3, _ := roundTrip(t, s2, x, ConstantRate(0.5))
	if s3.Options().LearningRate != ConstantRate(0.5) {
		t.Errorf("LearningRate = %#v, want ConstantRate(0.5)", s3.Options().LearningRate)
	}
}
