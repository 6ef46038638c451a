package checkpoint

import (
	"bytes"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// TestCheckpointAllocationBounded checks that a checkpoint claiming a huge
// history (HistorySize 65536, the maximum) for a dimension of 2000, but
// holding no pairs, is rejected without allocating the history ring it
// describes (2·65537·2000 float64 = 2 GB): the reader allocates pairs only
// as their data arrives.
func TestCheckpointAllocationBounded(t *testing.T) {
	const n = 2000
	opts := solver.DefaultOptions()
	opts.HistorySize = maxHistory
	data := craft(func(e *encoder) {
		craftState(e, opts, n, n)
		e.boolean(false)  // no cached evaluation
		e.i64(maxHistory) // pairs claimed, none present
	})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, err := Read(bytes.NewReader(data), nil)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	// 16 MB: far above what the file holds (16 KB of x, the scratch
	// vectors), far below the ring it claims.
	if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
		t.Errorf("ReadCheckpoint allocated %d bytes for a %d-byte file", got, len(data))
	}
}

// TestCheckpointRestoredStateFillsWithoutAllocating checks that a state
// loaded with a partly filled history allocates the missing pairs as the
// history fills, and nothing once it is full.
func TestCheckpointRestoredStateFillsWithoutAllocating(t *testing.T) {
	opts := solver.DefaultOptions()
	opts.HistorySize = 4
	s := testprob.NewState(t, opts)
	f := testprob.Quadratic(20)
	x := make([]float64, 20)
	for i := range x {
		x[i] = 3
	}
	testprob.Updates(t, s, x, f, 1)
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	s2, x2, err := Read(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	for len(s2.StepHistory) < opts.HistorySize || s2.Iteration < 8 {
		testprob.Updates(t, s2, x2, f, 1)
		x2[0] += 1e-3 // keep moving off the minimum
	}
	allocs := testing.AllocsPerRun(10, func() {
		x2[0] += 1e-3
		if err := s2.Update(x2, f); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("restored state with a full history: Update allocates %v times per call, want 0", allocs)
	}
}

// TestCheckpointNonFinite checks that a checkpoint is never written with a
// non-finite x, and that a file holding one (with a valid checksum) is
// rejected as corrupt.
func TestCheckpointNonFinite(t *testing.T) {
	s := testprob.NewState(t, solver.DefaultOptions())
	x := testprob.RosenbrockStart(2)
	testprob.Updates(t, s, x, testprob.Rosenbrock, 2)
	var buf bytes.Buffer
	if err := Write(&buf, s, []float64{x[0], math.Inf(1)}); !errors.Is(err, ErrInvalid) || buf.Len() != 0 {
		t.Errorf("Write with Inf in x: err = %v, %d bytes written; want ErrInvalid, 0", err, buf.Len())
	}
	for _, tc := range []struct {
		name string
		bad  func(x, cached []float64, loss *float64)
	}{
		{"NaN in x", func(x, _ []float64, _ *float64) { x[1] = math.NaN() }},
		{"Inf in the cached gradient", func(_, g []float64, _ *float64) { g[0] = math.Inf(-1) }},
		{"NaN cached loss", func(_, _ []float64, loss *float64) { *loss = math.NaN() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			xs, g, loss := append([]float64(nil), x...), append([]float64(nil), s.Gradients...), s.Loss
			tc.bad(xs, g, &loss)
			data := craft(func(e *encoder) {
				encodeOptions(e, s.Options())
				e.i64(2)
				e.i64(s.Iteration)
				e.i64(s.NumLossEvaluations)
				e.i64(s.IterationLossEvaluations)
				for _, v := range []float64{s.InverseHessianFactor, loss, 1, 1, 1, 1, -1} {
					e.f64(v)
				}
				e.str(solver.LineSearchCompleted.String())
				e.str(solver.PairStored.String())
				e.boolean(false)
				e.f64(s.InitialInverseHessianFactor())
				e.str(s.LineSearchMethod().String())
				e.i64(s.MaxNumLineSearchIterations())
				e.f64(1) // GradientsInfNorm
				craftOptimality(e)
				e.i64(0) // trials
				e.i64(2)
				e.floats(xs)
				e.boolean(true)
				e.floats(x)
				e.floats(g)
				e.i64(0) // pairs
			})
			_, _, err := Read(bytes.NewReader(data), nil)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "non-finite") {
				t.Errorf("err = %v, want ErrCorrupt naming the non-finite value", err)
			}
		})
	}
}
