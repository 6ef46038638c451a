package stochastic

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"
)

func smallMBOptions() MultiBatchOptions {
	o := DefaultMultiBatchOptions()
	o.BatchSize, o.Overlap = 64, 0.25
	o.NIterations = 50
	o.FullSetEvery = 10
	o.MaxStepNorm = 1
	o.ConvergenceTest = NoConvergenceTest
	return o
}

func TestMultiBatchSameSeedBitIdentical(t *testing.T) {
	lg := logistic(500, 8, 5)
	for _, damping := range []bool{false, true} {
		run := func(seed uint64) []float64 {
			o := smallMBOptions()
			o.Seed, o.PowellDamping = seed, damping
			x := make([]float64, 8)
			mbRun(t, lg, o, x, nil)
			return x
		}
		a, b := run(7), run(7)
		sameBits(t, "same seed", a, b)
		if c := run(8); math.Float64bits(a[0]) == math.Float64bits(c[0]) {
			t.Errorf("damping %v: seeds 7 and 8 gave the same x[0]", damping)
		}
	}
}

// Consecutive batches share OverlapSize rows, and y is the gradient
// difference on exactly those rows.
func TestMultiBatchOverlap(t *testing.T) {
	lg := logistic(300, 5, 6)
	rec := &recorder{Objective: lg}
	o := smallMBOptions()
	o.BatchSize, o.NIterations, o.FullSetEvery = 40, 12, -1
	s, _ := mbRun(t, rec, o, make([]float64, 5), nil)
	ov := s.OverlapSize()
	if ov != 10 {
		t.Fatalf("OverlapSize = %d, want 10 (0.25·40)", ov)
	}
	// Three calls per iteration: head, middle, tail; the head of iteration
	// k+1 is the tail of iteration k.
	if len(rec.calls) != 3*o.NIterations {
		t.Fatalf("%d calls, want %d", len(rec.calls), 3*o.NIterations)
	}
	for k := 0; k+1 < o.NIterations; k++ {
		tail, head := rec.calls[3*k+2], rec.calls[3*k+3]
		if !slices.Equal(tail, head) || len(head) != ov {
			t.Fatalf("iteration %d: tail %v, next head %v", k, tail, head)
		}
	}
	if st := s.State(); st.PairsStored+st.PairsSkipped != o.NIterations-1 {
		t.Errorf("pairs stored %d + skipped %d, want %d", st.PairsStored, st.PairsSkipped, o.NIterations-1)
	}
	if ep := s.State().Epoch; ep != float64(o.NIterations*o.BatchSize)/300 {
		t.Errorf("Epoch = %v, want %v", ep, float64(o.NIterations*o.BatchSize)/300)
	}
}

func TestMultiBatchResumeBitIdentical(t *testing.T) {
	lg := logistic(500, 8, 7)
	base := smallMBOptions()
	base.PowellDamping = true
	whole := make([]float64, 8)
	mbRun(t, lg, base, whole, nil)
	for _, split := range []int{1, 7, 30} {
		first := base
		first.NIterations = split
		x := make([]float64, 8)
		s1, _ := mbRun(t, lg, first, x, nil)
		var buf bytes.Buffer
		if err := s1.WriteCheckpoint(&buf, x); err != nil {
			t.Fatal(err)
		}
		second := base
		second.NIterations = base.NIterations - split
		s2, err := NewMultiBatch(lg, 8, second)
		if err != nil {
			t.Fatal(err)
		}
		y := make([]float64, 8)
		if err := s2.ReadCheckpoint(&buf, y); err != nil {
			t.Fatal(err)
		}
		if _, err := s2.Run(context.Background(), y, nil); err != nil {
			t.Fatal(err)
		}
		sameBits(t, "resumed", whole, y)
	}
}
