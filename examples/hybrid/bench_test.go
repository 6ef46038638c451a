package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// epochRebuilding is adamPhase.epoch as it was done before objectives
// took rows at run time: a new objective, its graph, gradient nodes and
// tape machine for every minibatch.
func (a *adamPhase) epochRebuilding(net *nn.Network, xs, ys []float64, rng *rand.Rand) error {
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
		if err := a.solver.Step(a.model); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkMinibatchEpoch measures one Adam epoch over the 256 samples in
// minibatches of 32: with row subsets of one objective (graphs built once
// per minibatch size) and with a graph built per minibatch, interleaved,
// and reports the ratio rebuilding/rows (how many times faster the row
// subsets are). Both include the full-batch loss after the epoch
// (rows) or not (rebuilding), so the ratio understates the gain.
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
	adam := newAdam(x, make([]float64, len(x)), adamRate)
	shuffle := rand.New(rand.NewPCG(seed, 3))
	rows := func() {
		if _, err := adam.epoch(obj, shuffle); err != nil {
			b.Fatal(err)
		}
	}
	rebuild := func() {
		if err := adam.epochRebuilding(net, xs, ys, shuffle); err != nil {
			b.Fatal(err)
		}
	}
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
