package checkpoint

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

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// roundTrip writes s and x to a buffer and reads them back.
func roundTrip(t *testing.T, s *solver.LBFGSState, x []float64, lr solver.Schedule) (*solver.LBFGSState, []float64) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatalf("WriteCheckpoint: %v", err)
	}
	s2, x2, err := Read(&buf, lr)
	if err != nil {
		t.Fatalf("ReadCheckpoint: %v", err)
	}
	return s2, x2
}

// resumeCase is a problem on which the run 0→n is compared with 0→k,
// checkpoint, k→n.
type resumeCase struct {
	name string
	opts func() solver.Options
	f    solver.LossFunc
	x0   []float64
	n    int
}

func resumeCases() []resumeCase {
	small := func(method solver.LineSearchMethod) func() solver.Options {
		return func() solver.Options {
			o := solver.DefaultOptions()
			o.HistorySize = 3 // small, so that the ring wraps early
			o.LineSearchMethod = method
			return o
		}
	}
	return []resumeCase{
		{"weak-wolfe rosenbrock100", small(solver.WeakWolfe), testprob.Rosenbrock, testprob.RosenbrockStart(100), 40},
		{"strong-wolfe rosenbrock4", small(solver.StrongWolfe), testprob.Rosenbrock, testprob.RosenbrockStart(4), 30},
		{"backtracking rosenbrock4", small(solver.Backtracking), testprob.Rosenbrock, testprob.RosenbrockStart(4), 30},
		{"none clipped cosine", func() solver.Options {
			o := small(solver.NoLineSearch)()
			o.LearningRate = solver.CosineDecay{Initial: 2e-3, Final: 1e-4, Steps: 20}
			o.GradientClipNorm = 50
			o.ScaleInitialHessian = false
			return o
		}, testprob.Rosenbrock, testprob.RosenbrockStart(6), 30},
		{"weak-wolfe exponential clip-value", func() solver.Options {
			o := small(solver.WeakWolfe)()
			o.LearningRate = solver.ExponentialDecay{Initial: 1, Factor: 0.5, Steps: 10}
			o.GradientClipValue = 20
			return o
		}, testprob.Rosenbrock, testprob.RosenbrockStart(4), 30},
		{"l-bfgs-b rosenbrock6 bounds", func() solver.Options {
			o := small(solver.WeakWolfe)()
			inf := math.Inf(1)
			o.Lower = []float64{-inf, -inf, -1, 0.5, -inf, -2}
			o.Upper = []float64{0.7, inf, 0.8, inf, inf, 2}
			return o
		}, testprob.Rosenbrock, testprob.RosenbrockStart(6), 30},
		{"owl-qn rosenbrock6 l1", func() solver.Options {
			o := small(solver.Backtracking)()
			o.L1 = 0.5
			o.L1Weights = []float64{1, 1, 0, 1, 2, 1}
			return o
		}, testprob.Rosenbrock, testprob.RosenbrockStart(6), 30},
	}
}

func TestCheckpointResume(t *testing.T) {
	for _, tc := range resumeCases() {
		t.Run(tc.name, func(t *testing.T) {
			run := func(s *solver.LBFGSState, x []float64, to int) *trace.Recorder {
				t.Helper()
				rec, _ := trace.NewRecorder(nil, s)
				_, err := solver.Minimize(context.Background(), x, tc.f, s, solver.StopOptions{MaxIterations: to, Hook: rec.Record})
				if err != nil {
					t.Fatal(err)
				}
				return rec
			}
			ref, _ := solver.NewLBFGSState(tc.opts())
			xref := append([]float64(nil), tc.x0...)
			refRec := run(ref, xref, tc.n)
			if ref.Iteration != tc.n {
				t.Fatalf("reference run stopped at iteration %d, want %d", ref.Iteration, tc.n)
			}
			// k = 0 (fresh), before and after the ring of 3 wraps, and n.
			for _, k := range []int{0, 1, 2, 3, 4, 7, 20, tc.n} {
				s, _ := solver.NewLBFGSState(tc.opts())
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
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	x := testprob.RosenbrockStart(2)
	if _, err := solver.Minimize(context.Background(), x, testprob.Rosenbrock, s, solver.StopOptions{MaxIterations: 5}); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, s, x); err != nil {
		t.Fatal(err)
	}
	s2, x2, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !sameBits(x, x2) || stateString(s) != stateString(s2) {
		t.Errorf("loaded %v, saved %v", x2, x)
	}
	// Overwrite with a later state: the file now holds iteration 6.
	if _, err := solver.Minimize(context.Background(), x, testprob.Rosenbrock, s, solver.StopOptions{MaxIterations: 6}); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, s, x); err != nil {
		t.Fatal(err)
	}
	if s3, _, err := Load(path, nil); err != nil || s3.Iteration != 6 {
		t.Fatalf("after overwrite: %v, iteration %d; want 6", err, s3.Iteration)
	}
	assertOnlyFile(t, dir, "run.ckpt")
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o644 {
		t.Errorf("checkpoint file: %v, %v; want mode 0644 (Save's doc)", st, err)
	}
}

// The Loss, Gradients and extras of a loaded state are reused by the next
// Update without an evaluation, as in the uninterrupted run.
func TestCheckpointCachedEvaluation(t *testing.T) {
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	x := testprob.RosenbrockStart(2)
	if err := s.Update(x, testprob.Rosenbrock); err != nil {
		t.Fatal(err)
	}
	s2, x2 := roundTrip(t, s, x, nil)
	if sn := s2.Snapshot(); !sameBits(sn.CachedX, x2) || s2.AdditionalLossFunctionOutputs != nil {
		t.Fatalf("loaded state: cached point %v, extras %v; want x, nil", sn.CachedX, s2.AdditionalLossFunctionOutputs)
	}
	before := s2.NumLossEvaluations
	if err := s2.Update(x2, testprob.Rosenbrock); err != nil {
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
	opts := solver.DefaultOptions()
	sched := solver.ScheduleFunc(func(k int) float64 { return 1 / float64(k+1) })
	opts.LearningRate = sched
	s, _ := solver.NewLBFGSState(opts)
	x := testprob.RosenbrockStart(2)
	if err := s.Update(x, testprob.Rosenbrock); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	_, _, err := Read(bytes.NewReader(data), nil)
	var oe *solver.OptionError
	if !errors.As(err, &oe) || oe.Option != "LearningRate" || !strings.Contains(err.Error(), "solver.ScheduleFunc") {
		t.Fatalf("custom schedule without lr: err = %v, want an *solver.OptionError naming solver.ScheduleFunc", err)
	}
	s2, _, err := Read(bytes.NewReader(data), sched)
	if err != nil || s2.Options().LearningRate.LearningRate(3) != 0.25 {
		t.Fatalf("custom schedule passed back: err = %v", err)
	}
	// An invalid schedule passed is the caller's error, not a corrupt file.
	_, _, err = Read(bytes.NewReader(data), solver.ConstantRate(-1))
	if !errors.As(err, &oe) || oe.Option != "LearningRate" || errors.Is(err, ErrCorrupt) {
		t.Errorf("invalid schedule passed: err = %v, want an *solver.OptionError for LearningRate", err)
	}
	// lr also replaces a saved schedule of the package.
	s3, _ := roundTrip(t, s2, x, solver.ConstantRate(0.5))
	if s3.Options().LearningRate != solver.ConstantRate(0.5) {
		t.Errorf("LearningRate = %#v, want solver.ConstantRate(0.5)", s3.Options().LearningRate)
	}
}
