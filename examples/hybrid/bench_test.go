package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// epochRebuilding is adamPhase.epoch as it was done before objectives
// took rows at run time: a new objective, its graph, gradient nodes and
// tape machine for every minibatch, then the full-batch loss.
func (a *adamPhase) epochRebuilding(net *nn.Network, full *nn.Objective, xs, ys []float64, rng *rand.Rand) error {
	perm := rng.Perm(len(xs))
	for start := 0; start < len(perm); start += batchSize {
		var bx, by []float64
		for _, i := range perm[start:min(start+batchSize, len(perm))] {
			bx = append(bx, xs[i])
			by = append(by, ys[i])
		}
		obj, err := objective(net, bx, by)
		if err != nil {
			return err
		}
		if _, _, err := obj.Evaluate(a.x, a.grad); err != nil {
			return err
		}
		if err := a.adam.Step(a.x, a.grad); err != nil {
			return err
		}
	}
	_, err := full.Loss(a.x)
	return err
}

// BenchmarkMinibatchEpoch measures one epoch of the example's Adam phase
// over the 256 samples in minibatches of 32 (eight loss-and-gradient
// evaluations and Adam steps, then the full-batch loss): with row subsets
// of one objective (graphs built once per minibatch size) and with a
// graph built per minibatch, interleaved, and reports the ratio
// rebuilding/rows (how many times faster the row subsets are). Both ways
// take the same Adam steps (stochastic.Adam, which allocates nothing) and
// the same full-batch loss (Objective.Loss), so the ratio compares building graphs
// with binding rows, not optimisers.
//
//	go test -run XXX -bench MinibatchEpoch -benchtime 20x ./examples/hybrid
func BenchmarkMinibatchEpoch(b *testing.B) {
	xs, ys := samples(rand.New(rand.NewPCG(seed, 1)))
	net, err := newNetwork()
	if err != nil {
		b.Fatal(err)
	}
	obj, err := objective(net, xs, ys)
	if err != nil {
		b.Fatal(err)
	}
	x := net.Flat()
	adam, err := newAdam(x, make([]float64, len(x)), adamRate)
	if err != nil {
		b.Fatal(err)
	}
	shuffle := rand.New(rand.NewPCG(seed, 3))
	rows := func() {
		if _, err := adam.epoch(obj, shuffle); err != nil {
			b.Fatal(err)
		}
	}
	rebuild := func() {
		if err := adam.epochRebuilding(net, obj, xs, ys, shuffle); err != nil {
			b.Fatal(err)
		}
	}
	interleave(b, rows, rebuild)
}

// interleave runs rows and rebuild once each per iteration and reports
// the median of each one's time and of the ratio rebuild/rows.
func interleave(b *testing.B, rows, rebuild func()) {
	rows()
	var tRows, tRebuild, ratio []float64
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		rows()
		t1 := time.Now()
		rebuild()
		t2 := time.Now()
		tRows = append(tRows, float64(t1.Sub(t0)))
		tRebuild = append(tRebuild, float64(t2.Sub(t1)))
		ratio = append(ratio, tRebuild[len(tRebuild)-1]/tRows[len(tRows)-1])
	}
	b.ReportMetric(median(tRows), "rows-ns/epoch")
	b.ReportMetric(median(tRebuild), "rebuild-ns/epoch")
	b.ReportMetric(median(ratio), "speedup")
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[len(s)/2]
}

// BenchmarkMinibatchEvaluations is BenchmarkMinibatchEpoch without the
// Adam steps and the full-batch loss: the eight minibatch loss-and-
// gradient evaluations of an epoch, on row subsets of one objective and
// on a graph built per minibatch, interleaved; it isolates what binding
// the rows at run time saves.
//
//	go test -run XXX -bench MinibatchEvaluations -benchtime 20x ./examples/hybrid
func BenchmarkMinibatchEvaluations(b *testing.B) {
	xs, ys := samples(rand.New(rand.NewPCG(seed, 1)))
	net, err := newNetwork()
	if err != nil {
		b.Fatal(err)
	}
	obj, err := objective(net, xs, ys)
	if err != nil {
		b.Fatal(err)
	}
	x := net.Flat()
	grad := make([]float64, len(x))
	perm := rand.New(rand.NewPCG(seed, 3)).Perm(len(xs))
	rows := func() {
		for start := 0; start < len(perm); start += batchSize {
			if _, _, err := obj.EvaluateRows(perm[start:start+batchSize], x, grad); err != nil {
				b.Fatal(err)
			}
		}
	}
	rebuild := func() {
		for start := 0; start < len(perm); start += batchSize {
			var bx, by []float64
			for _, i := range perm[start : start+batchSize] {
				bx, by = append(bx, xs[i]), append(by, ys[i])
			}
			o, err := objective(net, bx, by)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := o.Evaluate(x, grad); err != nil {
				b.Fatal(err)
			}
		}
	}
	interleave(b, rows, rebuild)
}
