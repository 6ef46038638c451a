package stochastic

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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
	for _, blocks := range []int{1, 4} {
		t.Run(fmt.Sprintf("blocks of %d", blocks), func(t *testing.T) { testMultiBatchResume(t, blocks) })
	}
}

func testMultiBatchResume(t *testing.T, blocks int) {
	lg := logistic(500, 8, 7)
	base := smallMBOptions()
	base.PowellDamping, base.BlockSize = true, blocks
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

// With BlockSize B the stream is a sequence of permutations of the rows,
// each made of whole blocks of B consecutive rows (the last one shorter),
// in an order that is uniform over the blocks.
func TestMultiBatchStreamOfBlocks(t *testing.T) {
	// N = 203 rows in blocks of 4: 50 blocks of 4 and one of 3.
	const n, bs, passes = 203, 4, 5000
	nb := (n + bs - 1) / bs
	st := stream{n: n, block: bs}
	rng := rand.New(rand.NewPCG(1, 2))
	first := make([]int, nb)
	for range passes {
		perm := append([]int(nil), st.window(rng, n)...)
		st.advance(n)
		if !slices.Equal(slices.Sorted(slices.Values(perm)), slices.Collect(func(yield func(int) bool) {
			for i := range n {
				yield(i)
			}
		})) {
			t.Fatalf("a pass over the data is not a permutation of the rows: %v", perm)
		}
		for i := 0; i < n; {
			q := perm[i] / bs
			for r := q * bs; r < min((q+1)*bs, n); r, i = r+1, i+1 {
				if perm[i] != r {
					t.Fatalf("block %d not whole and in order at %d: %v", q, i, perm)
				}
			}
		}
		first[perm[0]/bs]++
	}
	// first[q] ~ Binomial(passes, 1/nb): within 5 standard deviations.
	mean, sd := float64(passes)/float64(nb), math.Sqrt(float64(passes)/float64(nb)*(1-1/float64(nb)))
	for q, c := range first {
		if math.Abs(float64(c)-mean) > 5*sd {
			t.Errorf("block %d first in %d of %d passes, want %.0f ± %.0f", q, c, passes, mean, 5*sd)
		}
	}
}
