package main

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// epochRebuilding is adamPhase.epoch as it was done before objectives
// took rows at run time: a new objective, with its graph and gradient
// nodes, for every minibatch.
func (a *adamPhase) epochRebuilding(net *nn.Network, xs, ys []float64, rng *rand.Rand) error {
	perm := a.shuffle(rng)
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
	return nil
}

// BenchmarkMinibatchEpoch measures one epoch of the example's Adam phase
// over the 256 samples in minibatches of 32 (a shuffle, then eight
// loss-and-gradient evaluations, each followed by an Adam step) with row
// subsets of one objective (graphs built once per minibatch size) and
// with a graph built per minibatch, interleaved, and reports the ratio
// rebuilding/rows (how many times faster the row subsets are). Both ways
// shuffle into the same buffer and take the same Adam steps
// (stochastic.Adam, which allocates nothing), so the ratio compares
// building graphs with binding rows, not optimisers. "epoch" is the epoch
// alone, as the example's comparison with L-BFGS runs it; "epoch+loss"
// adds to both ways the full-batch loss (Objective.Loss) that the
// example's first phase prints after each epoch.
//
//	go test -run XXX -bench MinibatchEpoch -benchtime 200x ./examples/hybrid
func BenchmarkMinibatchEpoch(b *testing.B) {
	for _, withLoss := range []bool{false, true} {
		name := "epoch"
		if withLoss {
			name = "epoch+loss"
		}
		b.Run(name, func(b *testing.B) { benchEpoch(b, withLoss) })
	}
}

func benchEpoch(b *testing.B, withLoss bool) {
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
	adam, err := newAdam(x, make([]float64, len(x)), len(xs), adamRate)
	if err != nil {
		b.Fatal(err)
	}
	shuffle := rand.New(rand.NewPCG(seed, 3))
	loss := func() {
		if withLoss {
			if _, err := obj.Loss(x); err != nil {
				b.Fatal(err)
			}
		}
	}
	rows := func() {
		if err := adam.epoch(obj, shuffle); err != nil {
			b.Fatal(err)
		}
		loss()
	}
	rebuild := func() {
		if err := adam.epochRebuilding(net, xs, ys, shuffle); err != nil {
			b.Fatal(err)
		}
		loss()
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
// shuffle and the Adam steps: the eight minibatch loss-and-gradient
// evaluations of an epoch, on row subsets of one objective and
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
