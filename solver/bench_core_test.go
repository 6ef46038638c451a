package solver

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkUpdateFullHistory measures one Update on ExtendedRosenbrock-like
// 2-D blocks at n = 1000 once the history is full. The loss closure does not
// allocate, so allocs/op is Update's own: it must be 0.
func BenchmarkUpdateFullHistory(b *testing.B) {
	for _, method := range []LineSearchMethod{WeakWolfe, StrongWolfe, Backtracking} {
		b.Run(method.String(), func(b *testing.B) {
			const n = 1000
			opts := DefaultOptions()
			opts.LineSearchMethod = method
			s, err := NewLBFGSState(opts)
			if err != nil {
				b.Fatal(err)
			}
			f := benchRosenbrockBlocks
			x0 := rosenbrockStart(n)
			x := append([]float64(nil), x0...)
			for s.Iteration < 50 || len(s.StepHistory) < opts.HistorySize {
				if err := s.Update(x, f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := s.Update(x, f); err != nil {
					b.Fatal(err)
				}
				if s.GradientsNorm < 1e-8 {
					copy(x, x0) // converged: restart, keeping the full history
				}
			}
		})
	}
}

// benchRosenbrockBlocks is Σ over pairs (x_{2i}, x_{2i+1}) of the 2-D
// Rosenbrock function: separable, allocation-free.
func benchRosenbrockBlocks(x, grad []float64) (float64, any, error) {
	var f float64
	for i := 0; i+1 < len(x); i += 2 {
		a, c := x[i+1]-x[i]*x[i], 1-x[i]
		grad[i] = -400*a*x[i] - 2*c
		grad[i+1] = 200 * a
		f += 100*a*a + c*c
	}
	return f, nil, nil
}

// benchTwoLoopSetup returns a state with m random pairs of dimension n and
// a gradient.
func benchTwoLoopSetup(b *testing.B, n, m int) (*LBFGSState, []float64, []float64) {
	opts := DefaultOptions()
	opts.HistorySize = m
	s, err := NewLBFGSState(opts)
	if err != nil {
		b.Fatal(err)
	}
	s.init(n)
	rng := rand.New(rand.NewPCG(3, 5))
	sv, yv := make([]float64, n), make([]float64, n)
	for k := range m {
		for i := range sv {
			sv[i] = rng.NormFloat64()
			yv[i] = sv[i] * (1 + rng.Float64()) // sᵀy > 0
		}
		s.appendPair(sv, yv, 1/dotProduct(sv, yv), k+1)
	}
	g := make([]float64, n)
	for i := range g {
		g[i] = rng.NormFloat64()
	}
	return s, g, make([]float64, n)
}

// twoLoopBytes is the memory traffic of direction with k pairs over n
// elements as implemented, counting one read or write of an n-vector as
// 8n bytes: 3 vectors for the first and last passes and for the pass at H₀,
// 4 for each of the 2(k−1) fused update-and-dot passes: (8k+1)·8n.
func twoLoopBytes(n, k int) int64 { return int64(8*k+1) * 8 * int64(n) }

// benchAxpy sets y += a·x, the reference memory-bound kernel.
func benchAxpy(y []float64, a float64, x []float64) {
	x = x[:len(y)]
	for i := range y {
		y[i] += a * x[i]
	}
}

// benchAxpySweeps runs axpy sweeps over the 2k history vectors in turn,
// into q, moving the same number of bytes as the two-loop recursion:
// (8k+1)·8n bytes = (8k+1)/3 sweeps of 24n bytes (k = 10: 27 sweeps).
func benchAxpySweeps(s *LBFGSState, q []float64) {
	k := len(s.StepHistory)
	sweeps := (8*k + 1) / 3
	for j := range sweeps {
		v := s.StepHistory[(j/2)%k]
		if j%2 == 1 {
			v = s.GradientsDifferenceHistory[(j/2)%k]
		}
		benchAxpy(q, 1e-9, v)
	}
}

// BenchmarkTwoLoop compares, in one run, the two-loop recursion at
// n = 10⁶, m = 10 with plain axpy sweeps over the same history vectors
// moving the same number of bytes. Both report MB/s (from SetBytes); the
// Ratio sub-benchmark alternates the two and reports
// twoloop-time/axpy-time (the target is at most 2).
func BenchmarkTwoLoop(b *testing.B) {
	const n, m = 1_000_000, 10
	s, g, d := benchTwoLoopSetup(b, n, m)
	q := make([]float64, n)
	bytes := twoLoopBytes(n, m)
	b.Run("TwoLoop", func(b *testing.B) {
		b.SetBytes(bytes)
		b.ReportAllocs()
		for range b.N {
			s.direction(d, g)
		}
	})
	b.Run("Axpy", func(b *testing.B) {
		b.SetBytes(int64((8*m+1)/3) * 24 * n)
		b.ReportAllocs()
		for range b.N {
			benchAxpySweeps(s, q)
		}
	})
	b.Run("Ratio", func(b *testing.B) {
		var tl, ax time.Duration
		for range b.N {
			t0 := time.Now()
			s.direction(d, g)
			t1 := time.Now()
			benchAxpySweeps(s, q)
			ax += time.Since(t1)
			tl += t1.Sub(t0)
		}
		b.ReportMetric(float64(tl)/float64(ax), "twoloop/axpy")
		b.ReportMetric(float64(bytes)*float64(b.N)/tl.Seconds()/1e9, "twoloop-GB/s")
		b.ReportMetric(float64(bytes)*float64(b.N)/ax.Seconds()/1e9, "axpy-GB/s")
	})
}
