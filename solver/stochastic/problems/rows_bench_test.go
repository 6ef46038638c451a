package problems

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// benchLogistic is the logistic regression of bench/stochastic_vs_torch.sh
// (200,000 × 100, 160 MB: far more than the caches), built on first use.
var benchLogistic = sync.OnceValue(func() *Logistic {
	return NewLogistic(rand.New(rand.NewPCG(2026, 1)), 200000, 100, 1.0/200000)
})

// BenchmarkLogisticRowOrder evaluates the loss and gradient on rows read in
// the orders the stochastic solvers use, and reports the cost per row: all
// rows in order (a full-batch evaluation), a quarter of them drawn one by
// one in random order and in increasing order, and the same number drawn as
// blocks of 8 consecutive rows (progressive batching's BlockSize).
//
//	go test -run - -bench LogisticRowOrder ./solver/stochastic/problems
func BenchmarkLogisticRowOrder(b *testing.B) {
	lg := benchLogistic()
	n, draw := lg.N, lg.N/4
	rng := rand.New(rand.NewPCG(1, 1))
	random := rng.Perm(n)[:draw]
	sorted := slices.Sorted(slices.Values(random))
	const block = 8
	var blocks []int
	for _, q := range slices.Sorted(slices.Values(rng.Perm(n / block)[:draw/block])) {
		for r := q * block; r < (q+1)*block; r++ {
			blocks = append(blocks, r)
		}
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	w, g := make([]float64, lg.P), make([]float64, lg.P)
	for i := range w {
		w[i] = 0.01 * float64(i%7-3)
	}
	for _, c := range []struct {
		name string
		rows []int
	}{{"all in order", all}, {"random", random}, {"random sorted", sorted}, {"blocks of 8", blocks}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lg.EvaluateRows(c.rows, w, g)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(c.rows)), "ns/row")
		})
	}
}
