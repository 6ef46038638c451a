package nn_test

import (
	"runtime"
	"testing"

	"gorgonia.org/tensor"
)

// TestMatchesReference compares nn's loss and gradient with the
// hand-written reference (internal/refmlp) on the benchmark problems:
// both use the documented flat layout, so the vectors must agree
// entry by entry, to rounding (1e-12 relative to the gradient's largest
// entry in float64; the summation orders of the two differ).
func TestMatchesReference(t *testing.T) {
	for _, s := range benchSizes[:2] {
		t.Run(s.name, func(t *testing.T) {
			p := newProblem(t, s.rows, s.sizes, tensor.Float64, 1)
			loss, _, err := p.ev.Evaluate(p.params, p.grad)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float64, len(p.params))
			wantLoss, err := p.ref64.LossGrad(p.params, p.x, p.labels, want)
			if err != nil {
				t.Fatal(err)
			}
			if d := relDiff(loss, wantLoss, 0); d > 1e-12 {
				t.Errorf("loss %v, reference %v", loss, wantLoss)
			}
			gmax := 0.0
			for _, v := range want {
				gmax = max(gmax, v, -v)
			}
			for i := range want {
				if d := relDiff(p.grad[i], want[i], gmax); d > 1e-12 {
					t.Fatalf("grad[%d] = %v, reference %v", i, p.grad[i], want[i])
				}
			}
		})
	}
}

// TestEvaluateAllocations: after the first evaluation, an evaluation
// allocates a fixed, small amount (the tape machine's goroutine and
// per-instruction bookkeeping, no tensors), the same whether it is the
// 10th or the 200th. A plain gorgonia tape machine allocates about
// 0.5 MB per iris evaluation (issue 4); nn's ops reuse their buffers.
func TestEvaluateAllocations(t *testing.T) {
	p := newProblem(t, 150, []int{4, 32, 32, 3}, tensor.Float64, 1)
	p.ours(t)
	measure := func(n int) (bytes, allocs float64) {
		var a, b runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&a)
		for range n {
			p.ours(t)
		}
		runtime.ReadMemStats(&b)
		return float64(b.TotalAlloc-a.TotalAlloc) / float64(n), float64(b.Mallocs-a.Mallocs) / float64(n)
	}
	b10, a10 := measure(10)
	b200, a200 := measure(200)
	// 16 KiB: five times what an evaluation allocates here (about 2.5 KiB
	// in about 100 allocations), 1/30 of the plain tape machine's.
	if b10 > 16<<10 || b200 > 16<<10 {
		t.Errorf("bytes per evaluation: %v over 10, %v over 200; want < 16 KiB", b10, b200)
	}
	// The counts agree to within a few allocations made by the runtime
	// itself (goroutine stacks and timers are pooled, not per call).
	if a200 > a10+5 || a10 > a200+5 {
		t.Errorf("allocations per evaluation: %v over 10, %v over 200", a10, a200)
	}
}
