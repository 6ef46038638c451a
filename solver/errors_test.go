package solver

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestErrorsNamePackageOnce checks that errors built in layers (Minimize
// over Update, LoadCheckpoint over the reader, a sentinel at the end) say
// "solver:" once, read as the want text, and still match their sentinel
// or type with errors.Is and errors.As.
func TestErrorsNamePackageOnce(t *testing.T) {
	dir := t.TempDir()
	s := coreNewState(t, DefaultOptions())
	x := rosenbrockStart(2)
	coreUpdates(t, s, x, rosenbrock, 2)
	var buf bytes.Buffer
	if err := WriteCheckpoint(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 0xff
	corrupt := filepath.Join(dir, "corrupt.ckpt")
	truncated := filepath.Join(dir, "truncated.ckpt")
	if err := os.WriteFile(corrupt, flipped, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(truncated, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	failAfter := func(k int) LossFunc {
		calls := 0
		return func(x, g []float64) (float64, any, error) {
			if calls++; calls > k {
				return 0, nil, boom
			}
			return rosenbrock(x, g)
		}
	}
	// A schedule that turns NaN after the first update.
	nanLater := DefaultOptions()
	nanLater.LearningRate = coreScheduleFunc(func(k int) float64 { return []float64{1, math.NaN()}[min(k, 1)] })
	noSearch := nanLater
	noSearch.LineSearchMethod = NoLineSearch

	for _, tc := range []struct {
		name   string
		run    func() error
		want   string // the whole message, or its start when it ends in "…"
		target error  // errors.Is target; nil for an *OptionError
	}{
		{"update NaN x", func() error {
			return coreNewState(t, DefaultOptions()).Update([]float64{1, math.NaN()}, rosenbrock)
		}, "solver: update: x[1] = NaN: non-finite value", ErrNonFinite},
		{"update dimension", func() error {
			return s.Update([]float64{1, 2, 3}, rosenbrock)
		}, "solver: update: len(x) = 3, state has dimension 2: dimension mismatch", ErrDimension},
		{"update loss error", func() error {
			return coreNewState(t, DefaultOptions()).Update(rosenbrockStart(2), failAfter(0))
		}, "solver: update: loss at the starting point: loss function failed: boom", ErrLossFunction},
		{"update schedule NaN", func() error {
			st := coreNewState(t, nanLater)
			xs := rosenbrockStart(2)
			coreUpdates(t, st, xs, rosenbrock, 1)
			return st.Update(xs, rosenbrock)
		}, "solver: update: option LearningRate = NaN out of range (valid: finite and > 0 (at iteration 1))", nil},
		{"minimize first evaluation", func() error {
			_, err := Minimize(context.Background(), rosenbrockStart(2), failAfter(0), coreNewState(t, DefaultOptions()), DefaultStopOptions())
			return err
		}, "solver: minimize: loss at the starting point: loss function failed: boom", ErrLossFunction},
		{"minimize trial step", func() error {
			_, err := Minimize(context.Background(), rosenbrockStart(2), failAfter(3), coreNewState(t, DefaultOptions()), DefaultStopOptions())
			return err
		}, "solver: minimize: iteration …", ErrLossFunction},
		{"minimize stop option", func() error {
			stop := DefaultStopOptions()
			stop.MaxIterations = -1
			_, err := Minimize(context.Background(), rosenbrockStart(2), rosenbrock, coreNewState(t, DefaultOptions()), stop)
			return err
		}, "solver: minimize: option MaxIterations = -1 out of range (valid: >= 0 (0 = no limit))", nil},
		{"minimize recorder hook", func() error {
			st := coreNewState(t, DefaultOptions())
			rec, err := NewRecorder(&failingWriter{io.Discard, 1 << 12}, st)
			if err != nil {
				return err
			}
			stop := DefaultStopOptions()
			stop.Hook = rec.Record
			stop.MaxIterations = 1000
			_, err = Minimize(context.Background(), rosenbrockStart(2), rosenbrock, st, stop)
			return err
		}, "solver: minimize: hook at iteration …", nil},
		{"optimizer fixed step schedule", func() error {
			st := coreNewState(t, noSearch)
			p := []float64{-1.2, 1}
			o, err := NewOptimizer(st, p)
			if err != nil {
				return err
			}
			g := make([]float64, 2)
			for range 2 {
				f, _, _ := rosenbrock(p, g)
				if err := o.Step(g, f, nil); err != nil {
					return err
				}
			}
			return nil
		}, "solver: step: option LearningRate = NaN out of range …", nil},
		{"new optimizer nil state", func() error {
			_, err := NewOptimizer(nil, []float64{1})
			return err
		}, "solver: new optimizer: nil *LBFGSState: invalid option", ErrInvalidOption},
		{"write checkpoint nil state", func() error {
			return WriteCheckpoint(io.Discard, nil, x)
		}, "solver: write checkpoint: nil *LBFGSState: invalid option", ErrInvalidOption},
		{"save checkpoint write fails", func() error {
			return saveCheckpoint(filepath.Join(dir, "new.ckpt"), s, x, func(w io.Writer) io.Writer { return &failingWriter{w, 10} })
		}, "solver: save checkpoint " + filepath.Join(dir, "new.ckpt") + ": simulated crash", nil},
		{"write trace bad status", func() error {
			return WriteTrace(io.Discard, Trace{Header: TraceHeader{Options: DefaultOptions()}, Summary: &Result{Status: 99}})
		}, "solver: trace: unknown status 99", nil},
		{"load corrupt checkpoint", func() error {
			_, _, err := LoadCheckpoint(corrupt, nil)
			return err
		}, "solver: load checkpoint " + corrupt + ": corrupt checkpoint: …", ErrCheckpointCorrupt},
		{"load truncated checkpoint", func() error {
			_, _, err := LoadCheckpoint(truncated, nil)
			return err
		}, "solver: load checkpoint " + truncated + ": corrupt checkpoint: truncated file", ErrCheckpointCorrupt},
		{"read checkpoint newer version", func() error {
			b := append([]byte(nil), good...)
			b[len(checkpointMagic)] = CheckpointVersion + 1
			_, _, err := ReadCheckpoint(bytes.NewReader(b), nil)
			return err
		}, "solver: read checkpoint: unsupported checkpoint version: version 2, this package reads 1 to 1", ErrCheckpointVersion},
		{"read checkpoint bad schedule passed", func() error {
			_, _, err := ReadCheckpoint(bytes.NewReader(good), ConstantRate(-1))
			return err
		}, "solver: read checkpoint: the schedule passed: option LearningRate = …", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if n := strings.Count(msg, "solver:"); n != 1 {
				t.Errorf("err = %q names the package %d times, want 1", msg, n)
			}
			if start, ok := strings.CutSuffix(tc.want, "…"); ok {
				if !strings.HasPrefix(msg, start) {
					t.Errorf("err = %q, want it to start %q", msg, start)
				}
			} else if msg != tc.want {
				t.Errorf("err = %q\nwant  %q", msg, tc.want)
			}
			var oe *OptionError
			switch {
			case tc.target != nil && !errors.Is(err, tc.target):
				t.Errorf("errors.Is(err, %v) = false", tc.target)
			case tc.target == nil && strings.Contains(tc.want, "option ") && !errors.As(err, &oe):
				t.Errorf("errors.As(err, *OptionError) = false")
			}
		})
	}
}
