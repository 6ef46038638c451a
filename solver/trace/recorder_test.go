package trace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// sameTrace compares traces field by field; %+v prints floats in their
// shortest exact form and every NaN as NaN, so NaN equals NaN here.
func sameTrace(a, b Trace) bool { return traceString(a) == traceString(b) }

func traceString(t Trace) string {
	s := fmt.Sprintf("%+v\n%+v\n", t.Header, t.Iterations)
	if t.Summary != nil {
		s += fmt.Sprintf("%+v", *t.Summary)
	}
	return s
}

// recordRun minimises f from x0 with a Recorder streaming into a buffer.
func recordRun(t *testing.T, opts solver.Options, f solver.LossFunc, x0 []float64, stop solver.StopOptions) (*Recorder, *bytes.Buffer) {
	t.Helper()
	s, err := solver.NewLBFGSState(opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	rec, err := NewRecorder(&buf, s)
	if err != nil {
		t.Fatal(err)
	}
	stop.Hook = solver.ChainHooks(rec.Record, stop.Hook)
	res, err := solver.Minimize(context.Background(), append([]float64(nil), x0...), f, s, stop)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Finish(res); err != nil {
		t.Fatal(err)
	}
	return rec, &buf
}

// cliff is ½‖x‖² for ‖x‖∞ < 2; beyond, the loss is +Inf where x₀ > 0 and
// NaN elsewhere, so long trial steps see non-finite losses.
func cliff(x, g []float64) (float64, any, error) {
	var f float64
	for i, xi := range x {
		f += 0.5 * xi * xi
		g[i] = xi
	}
	for _, xi := range x {
		if math.Abs(xi) >= 2 {
			if x[0] > 0 {
				return math.Inf(1), nil, nil
			}
			return math.NaN(), nil, nil
		}
	}
	return f, nil, nil
}

func TestTraceRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts func() solver.Options
		f    solver.LossFunc
		x0   []float64
	}{
		{"rosenbrock strong-wolfe", func() solver.Options { o := solver.DefaultOptions(); o.LineSearchMethod = solver.StrongWolfe; return o }, testprob.Rosenbrock, testprob.RosenbrockStart(4)},
		{"cliff with non-finite trials", func() solver.Options {
			o := solver.DefaultOptions()
			o.LearningRate = solver.CosineDecay{Initial: 100, Final: 50, Steps: 3}
			return o
		}, cliff, []float64{1.5, -1.5}},
		{"clipped exponential", func() solver.Options {
			o := solver.DefaultOptions()
			o.LineSearchMethod = solver.Backtracking
			o.GradientClipNorm = 10
			o.LearningRate = solver.ExponentialDecay{Initial: 1, Factor: 0.9, Steps: 5}
			return o
		}, testprob.Rosenbrock, testprob.RosenbrockStart(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, buf := recordRun(t, tc.opts(), tc.f, tc.x0, solver.DefaultStopOptions())
			text := buf.String()
			got, err := Read(strings.NewReader(text))
			if err != nil {
				t.Fatalf("ReadTrace: %v", err)
			}
			if !sameTrace(got, rec.Trace()) {
				t.Errorf("read back:\n%+v\nrecorded:\n%+v", got, rec.Trace())
			}
			if n := strings.Count(text, "\n"); n != len(rec.Records())+2 {
				t.Errorf("%d lines, want header + %d iterations + summary", n, len(rec.Records()))
			}
			var again bytes.Buffer
			if err := Write(&again, got); err != nil || again.String() != text {
				t.Errorf("WriteTrace(Read(text)) differs from text (err %v)", err)
			}
		})
	}
}

func TestTraceNonFinite(t *testing.T) {
	opts := solver.DefaultOptions()
	opts.LearningRate = solver.ConstantRate(100) // the first trial lands beyond the cliff
	// From (−1.5, 1.5) the search direction is (1.5, −1.5): +Inf beyond.
	rec, buf := recordRun(t, opts, cliff, []float64{-1.5, 1.5}, solver.DefaultStopOptions())
	var nonFinite int
	for _, r := range rec.Records() {
		for _, tr := range r.Trials {
			if math.IsInf(tr.Loss, 0) || math.IsNaN(tr.Loss) {
				nonFinite++
			}
		}
	}
	if nonFinite == 0 || !strings.Contains(buf.String(), `"loss":"+Inf"`) {
		t.Fatalf("no non-finite trial recorded; trace:\n%s", buf)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 5e-324, math.MaxFloat64, 0.1, -1e-300} {
		b, err := json.Marshal(jsonFloat(v))
		if err != nil {
			t.Fatalf("Marshal(%v): %v", v, err)
		}
		var back jsonFloat
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("Unmarshal(%s): %v", b, err)
		}
		if math.Float64bits(float64(back)) != math.Float64bits(v) && !(math.IsNaN(v) && math.IsNaN(float64(back))) {
			t.Errorf("%v -> %s -> %v", v, b, float64(back))
		}
	}
}

func TestTraceHeader(t *testing.T) {
	opts := solver.DefaultOptions()
	opts.LearningRate = solver.ScheduleFunc(func(int) float64 { return 1 })
	rec, buf := recordRun(t, opts, testprob.Rosenbrock, testprob.RosenbrockStart(2), solver.StopOptions{MaxIterations: 2})
	got, err := Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	h := got.Header
	if h.Options.LearningRate != nil || h.ScheduleType != "solver.ScheduleFunc" || h.Version != Version {
		t.Errorf("header %+v: want a nil LearningRate, ScheduleType solver.ScheduleFunc", h)
	}
	if got.Summary == nil || got.Summary.Status != solver.IterationLimit || len(got.Iterations) != 2 {
		t.Errorf("summary %+v, %d iterations; want solver.IterationLimit after 2", got.Summary, len(got.Iterations))
	}
	if !sameTrace(got, rec.Trace()) {
		t.Errorf("read back %+v, recorded %+v", got, rec.Trace())
	}
	if err := rec.Finish(solver.Result{}); !errors.Is(err, ErrInvalid) {
		t.Errorf("second Finish: err = %v, want ErrInvalid", err)
	}
}

// failAfter fails every write after the first n.
type failAfter struct{ n int }

func (w *failAfter) Write(p []byte) (int, error) {
	if w.n <= 0 {
		return 0, errors.New("device full")
	}
	w.n--
	return len(p), nil
}

func TestRecorderWriteError(t *testing.T) {
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	rec, err := NewRecorder(&failAfter{n: 3}, s) // header and two iterations
	if err != nil {
		t.Fatal(err)
	}
	stop := solver.DefaultStopOptions()
	stop.Hook = rec.Record
	res, err := solver.Minimize(context.Background(), testprob.RosenbrockStart(2), testprob.Rosenbrock, s, stop)
	if res.Status != solver.HookStopped || err == nil || !strings.Contains(err.Error(), "device full") || s.Iteration != 3 {
		t.Fatalf("got %v, %v at iteration %d; want solver.HookStopped with the write error at 3", res.Status, err, s.Iteration)
	}
	if _, err := NewRecorder(&failAfter{}, s); err == nil {
		t.Error("NewRecorder with a failing writer: nil error")
	}
	if _, err := NewRecorder(nil, nil); err == nil {
		t.Error("NewRecorder(nil, nil): nil error")
	}
	fresh, _ := solver.NewLBFGSState(solver.DefaultOptions())
	rec, _ = NewRecorder(nil, fresh)
	if err := rec.Record(fresh); !errors.Is(err, ErrInvalid) {
		t.Errorf("Record before any update: err = %v, want ErrInvalid", err)
	}
}

func TestRecorderKeep(t *testing.T) {
	s, _ := solver.NewLBFGSState(solver.DefaultOptions())
	var buf bytes.Buffer
	rec, _ := NewRecorder(&buf, s)
	rec.SetKeepRecords(false)
	stop := solver.DefaultStopOptions()
	stop.Hook = rec.Record
	if _, err := solver.Minimize(context.Background(), testprob.RosenbrockStart(2), testprob.Rosenbrock, s, stop); err != nil {
		t.Fatal(err)
	}
	got, err := Read(&buf)
	if err != nil || len(rec.Records()) != 0 || len(got.Iterations) != s.Iteration {
		t.Errorf("kept %d records, streamed %d (err %v), want 0 and %d", len(rec.Records()), len(got.Iterations), err, s.Iteration)
	}
}
