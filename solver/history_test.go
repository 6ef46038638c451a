package solver

import (
	"runtime"
	"testing"
)

// TestHistoryGrowsWithPairsStored checks that the history's memory follows
// the pairs stored, not HistorySize: a state with the largest HistorySize
// (65536; a full preallocation would take 65536·1000·16 bytes = 1 GB at
// n = 1000, its slice headers alone 8 MB) allocates well under 1 MB in its
// first updates, and holds headers for no more than max(2k, 8) pairs after
// storing k.
func TestHistoryGrowsWithPairsStored(t *testing.T) {
	const n, updates = 1000, 5
	opts := DefaultOptions()
	opts.HistorySize = maxHistorySize
	f := coreQuadratic(n)
	x := make([]float64, n)
	for i := range x {
		x[i] = 3
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s := coreNewState(t, opts)
	coreUpdates(t, s, x, f, updates)
	runtime.ReadMemStats(&after)
	if len(s.StepHistory) != updates {
		t.Fatalf("%d pairs stored in %d updates, want %d", len(s.StepHistory), updates, updates)
	}
	// What the state needs: 12 n-vectors of scratch and spare, 5 pairs,
	// lastX, the trial records and headers: about 200 KB.
	const budget = 1 << 20
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("HistorySize %d, n = %d: %d updates allocated %d bytes", opts.HistorySize, n, updates, got)
	if got > budget {
		t.Errorf("HistorySize %d, n = %d: %d updates allocated %d bytes, want at most %d (a full history: %d)",
			opts.HistorySize, n, updates, got, budget, opts.HistorySize*n*16)
	}
	if c := cap(s.StepHistory); c > max(2*updates, minHeaderCap) {
		t.Errorf("headers for %d pairs after storing %d, want at most %d", c, updates, max(2*updates, minHeaderCap))
	}
}

// TestHistoryResetRefillAllocatesNothing checks that ResetHistory keeps the
// dropped pairs for reuse: refilling the history to a length it has held
// before allocates nothing, not even the first time after the reset.
func TestHistoryResetRefillAllocatesNothing(t *testing.T) {
	const n, pairs = 50, 4
	opts := DefaultOptions()
	opts.HistorySize = 6
	s := coreNewState(t, opts)
	f := coreQuadratic(n)
	x := make([]float64, n)
	for i := range x {
		x[i] = 3
	}
	coreUpdates(t, s, x, f, pairs)
	if len(s.StepHistory) != pairs {
		t.Fatalf("%d pairs stored, want %d", len(s.StepHistory), pairs)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s.ResetHistory()
	for range pairs {
		x[0] += 1e-3 // keep moving off the minimum
		if err := s.Update(x, f); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	if len(s.StepHistory) == 0 {
		t.Fatal("no pair stored after the reset")
	}
	if got := after.Mallocs - before.Mallocs; got != 0 {
		t.Errorf("ResetHistory and %d updates allocated %d times, want 0", pairs, got)
	}
}

// TestHistoryGrowthKeepsContents checks that growing the headers past their
// first capacity keeps every stored pair, index and ρ in order, and that
// the ring still drops the oldest pair once HistorySize is reached.
func TestHistoryGrowthKeepsContents(t *testing.T) {
	const n = 3
	// 20 pairs: the headers grow twice (8, 16, then 18 = HistorySize).
	opts := DefaultOptions()
	opts.HistorySize = 18
	s := coreNewState(t, opts)
	s.init(n)
	const pairs = 20
	for k := 1; k <= pairs; k++ {
		v := []float64{float64(k), 1, 0}
		s.appendPair(v, v, 1/float64(k*k+1), k)
	}
	if len(s.own.StepHistory) != opts.HistorySize || cap(s.own.StepHistory) != opts.HistorySize {
		t.Fatalf("len %d, cap %d; want both %d", len(s.own.StepHistory), cap(s.own.StepHistory), opts.HistorySize)
	}
	for i := range s.own.StepHistory {
		k := pairs - opts.HistorySize + 1 + i // oldest kept: pair 3
		if s.own.HistoryIndices[i] != k || s.own.StepHistory[i][0] != float64(k) || s.own.GradientsDifferenceHistory[i][0] != float64(k) ||
			s.work.rho[i] != 1/float64(k*k+1) {
			t.Fatalf("pair %d: index %d, s[0] %v, y[0] %v, ρ %v; want pair %d", i, s.own.HistoryIndices[i],
				s.own.StepHistory[i][0], s.own.GradientsDifferenceHistory[i][0], s.work.rho[i], k)
		}
	}
	if len(s.work.alpha) < len(s.own.StepHistory) {
		t.Errorf("len(α) = %d, history of %d pairs", len(s.work.alpha), len(s.own.StepHistory))
	}
}
