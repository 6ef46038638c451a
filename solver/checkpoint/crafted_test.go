package checkpoint

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// craftCounters writes the options and scalars of a state of dimension 2
// with the counters given, x = 0, no cached evaluation.
func craftCounters(e *encoder, opts solver.Options, iteration, evals int64) {
	encodeOptions(e, opts)
	e.i64(2)
	e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(iteration))
	e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(evals))
	e.i64(1) // IterationLossEvaluations
	for range 7 {
		e.f64(1)
	}
	e.str(solver.LineSearchCompleted.String())
	e.str(solver.PairStored.String())
	e.boolean(false)
	e.f64(opts.InitialInverseHessianFactor)
	e.str(opts.LineSearchMethod.String())
	e.i64(opts.MaxNumLineSearchIterations)
	e.f64(1) // GradientsInfNorm
	craftOptimality(e)
	e.i64(0) // trials
	e.i64(2)
	e.floats(make([]float64, 2))
	e.boolean(false) // no cached evaluation
}

// TestCheckpointCraftedValues: files with a valid checksum whose values no
// run writes are refused as the format promises: counters that further
// updates would wrap, non-finite history vectors, a ρ that is not
// 1/(sᵀy) of its pair.
func TestCheckpointCraftedValues(t *testing.T) {
	opts := solver.DefaultOptions()
	withPair := func(iteration int, s, y []float64, rho float64) func(e *encoder) {
		return func(e *encoder) {
			craftCounters(e, opts, int64(iteration), int64(iteration)+1)
			e.i64(1)
			e.i64(1)
			e.f64(rho)
			e.floats(s)
			e.floats(y)
		}
	}
	// A 32-bit decoder refuses such a counter before the state check.
	big := "counter above 2^53"
	if strconv.IntSize == 32 {
		big = "out of range"
	}
	for _, tc := range []struct {
		name, want string
		write      func(e *encoder)
	}{
		{"Iteration MaxInt64", big, func(e *encoder) {
			craftCounters(e, opts, math.MaxInt64, 1)
			e.i64(0)
		}},
		{"NumLossEvaluations MaxInt64", big, func(e *encoder) {
			craftCounters(e, opts, 3, math.MaxInt64)
			e.i64(0)
		}},
		{"NaN in s", "non-finite", withPair(3, []float64{math.NaN(), 1}, []float64{1, 1}, 0.5)},
		{"Inf in y", "non-finite", withPair(3, []float64{1, 1}, []float64{math.Inf(1), 1}, 0.5)},
		{"rho not 1/(sᵀy)", "its vectors give sᵀy = 2", withPair(3, []float64{1, 1}, []float64{1, 1}, 0.25)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Read(bytes.NewReader(craft(tc.write)), nil)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrCorrupt naming %q", err, tc.want)
			}
		})
	}
	// The same file with sane values reads.
	if _, _, err := Read(bytes.NewReader(craft(withPair(3, []float64{1, 1}, []float64{1, 1}, 0.5))), nil); err != nil {
		t.Errorf("a sane crafted checkpoint: %v", err)
	}
}
