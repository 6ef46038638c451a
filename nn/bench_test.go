package nn_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/internal/refmlp"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// benchSizes are the networks of issue 4: iris (150×4-32-32-3), a
// digits-sized network (1797×64-128-10) and a larger one
// (10000×784-256-10), ReLU hidden layers and softmax cross-entropy.
var benchSizes = []struct {
	name  string
	rows  int
	sizes []int
}{
	{"iris", 150, []int{4, 32, 32, 3}},
	{"digits", 1797, []int{64, 128, 10}},
	{"large", 10000, []int{784, 256, 10}},
}

// problem is one benchmark input: the nn evaluator and the reference on
// the same data and parameters.
type problem struct {
	ev     *nn.Objective
	params []float64
	grad   []float64
	ref64  *refmlp.Net[float64]
	ref32  *refmlp.Net[float32]
	x      []float64
	x32    []float32
	p32    []float32
	g32    []float32
	labels []int
}

// newProblem builds the network of sizes (dtype dt, shards as given) on
// rows standard-normal inputs with uniform labels, all from one seed.
func newProblem(tb testing.TB, rows int, sizes []int, dt tensor.Dtype, shards int) *problem {
	tb.Helper()
	r := newRand(42)
	var layers []nn.Layer
	for _, n := range sizes[1 : len(sizes)-1] {
		layers = append(layers, nn.FullyConnected{OutputSize: n}, nn.ReLU{})
	}
	out := sizes[len(sizes)-1]
	layers = append(layers, nn.FullyConnected{OutputSize: out}, nn.Softmax{})
	net := mustNet(tb, sizes[0], layers, dt, 42)
	p := &problem{x: make([]float64, rows*sizes[0]), labels: make([]int, rows)}
	for i := range p.x {
		p.x[i] = r.NormFloat64()
	}
	t := make([]float64, rows*out)
	for i := range p.labels {
		p.labels[i] = r.IntN(out)
		t[i*out+p.labels[i]] = 1
	}
	p.ev = lossGrad(tb, net, p.x, t, shards)
	p.params = net.Flat()
	p.grad = make([]float64, len(p.params))
	var err error
	if p.ref64, err = refmlp.New[float64](sizes, rows); err != nil {
		tb.Fatal(err)
	}
	if p.ref32, err = refmlp.New[float32](sizes, rows); err != nil {
		tb.Fatal(err)
	}
	p.x32, p.p32, p.g32 = make([]float32, len(p.x)), make([]float32, len(p.params)), make([]float32, len(p.params))
	for i, v := range p.x {
		p.x32[i] = float32(v)
	}
	for i, v := range p.params {
		p.p32[i] = float32(v)
	}
	return p
}

// lossGrad returns the cross-entropy objective without metrics: the loss
// and gradient only, as the reference computes.
func lossGrad(tb testing.TB, net *nn.Network, x, t []float64, shards int) *nn.Objective {
	tb.Helper()
	obj, err := net.NewObjective(x, t, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: shards})
	if err != nil {
		tb.Fatal(err)
	}
	return obj
}

func (p *problem) ours(tb testing.TB) {
	if _, _, err := p.ev.Evaluate(p.params, p.grad); err != nil {
		tb.Fatal(err)
	}
}

func (p *problem) ref(tb testing.TB, dt tensor.Dtype) {
	var err error
	if dt == tensor.Float32 {
		_, err = p.ref32.LossGrad(p.p32, p.x32, p.labels, p.g32)
	} else {
		_, err = p.ref64.LossGrad(p.params, p.x, p.labels, p.grad)
	}
	if err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkLossGrad measures one loss-and-gradient evaluation of nn's
// network through autodiff (one shard, and two shards), beside the
// hand-written gonum reference (internal/refmlp) on the same data, in
// float64 and float32:
//
//	go test -run XXX -bench LossGrad -benchtime 20x ./nn
func BenchmarkLossGrad(b *testing.B) {
	for _, s := range benchSizes {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			name := s.name + "/" + dt.String()
			run := func(impl string, f func(*problem, testing.TB)) {
				b.Run(name+"/"+impl, func(b *testing.B) {
					if s.name == "large" && testing.Short() {
						b.Skip("large network skipped under -short")
					}
					shards := 1
					if impl == "nn-2shards" {
						shards = 2
					}
					p := newProblem(b, s.rows, s.sizes, dt, shards)
					f(p, b) // the first evaluation allocates the buffers
					b.ReportAllocs()
					b.ResetTimer()
					for range b.N {
						f(p, b)
					}
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
				})
			}
			run("nn-1shard", func(p *problem, tb testing.TB) { p.ours(tb) })
			run("nn-2shards", func(p *problem, tb testing.TB) { p.ours(tb) })
			run("refmlp", func(p *problem, tb testing.TB) { p.ref(tb, dt) })
		}
	}
}

// BenchmarkRatio interleaves nn's evaluation and the reference's, one
// each per iteration, and reports the ratio of their times (the median
// over iterations of nn/ref) with each one's median time: on a shared,
// noisy machine interleaving exposes both to the same load.
//
//	go test -run XXX -bench Ratio -benchtime 20x ./nn
func BenchmarkRatio(b *testing.B) {
	for _, s := range benchSizes {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			for _, shards := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%v/shards=%d", s.name, dt, shards), func(b *testing.B) {
					if s.name == "large" && testing.Short() {
						b.Skip("large network skipped under -short")
					}
					p := newProblem(b, s.rows, s.sizes, dt, shards)
					p.ours(b)
					p.ref(b, dt)
					var ours, ref, ratio []float64
					b.ResetTimer()
					for range b.N {
						t0 := time.Now()
						p.ours(b)
						t1 := time.Now()
						p.ref(b, dt)
						t2 := time.Now()
						ours = append(ours, float64(t1.Sub(t0)))
						ref = append(ref, float64(t2.Sub(t1)))
						ratio = append(ratio, ours[len(ours)-1]/ref[len(ref)-1])
					}
					b.ReportMetric(median(ours), "nn-ns/eval")
					b.ReportMetric(median(ref), "ref-ns/eval")
					b.ReportMetric(median(ratio), "ratio")
				})
			}
		}
	}
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	for i := 1; i < len(s); i++ { // insertion sort: benchmark counts are small
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	if len(s) == 0 {
		return math.NaN()
	}
	return s[len(s)/2]
}

// BenchmarkRows32 is BenchmarkRatio for a minibatch: nn's loss and
// gradient on 32 rows of the batch (EvaluateRows: the rows gathered into
// a graph built once for 32 rows) beside the reference on the same 32
// rows, interleaved, in float64, one shard:
//
//	go test -run XXX -bench Rows32 -benchtime 200x ./nn
func BenchmarkRows32(b *testing.B) {
	const batch = 32
	for _, s := range benchSizes[:2] {
		b.Run(s.name, func(b *testing.B) {
			p := newProblem(b, s.rows, s.sizes, tensor.Float64, 1)
			rows := newRand(7).Perm(s.rows)[:batch]
			ref, err := refmlp.New[float64](s.sizes, batch)
			if err != nil {
				b.Fatal(err)
			}
			in := s.sizes[0]
			x := make([]float64, 0, batch*in)
			labels := make([]int, 0, batch)
			for _, r := range rows {
				x = append(x, p.x[r*in:(r+1)*in]...)
				labels = append(labels, p.labels[r])
			}
			ours := func() {
				if _, _, err := p.ev.EvaluateRows(rows, p.params, p.grad); err != nil {
					b.Fatal(err)
				}
			}
			theirs := func() {
				if _, err := ref.LossGrad(p.params, x, labels, p.grad); err != nil {
					b.Fatal(err)
				}
			}
			interleave(b, ours, theirs)
		})
	}
}

// interleave runs ours and ref once each per iteration and reports the
// median of each one's time and of their ratio.
func interleave(b *testing.B, ours, ref func()) {
	ours()
	ref()
	var to, tr, ratio []float64
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		ours()
		t1 := time.Now()
		ref()
		t2 := time.Now()
		to = append(to, float64(t1.Sub(t0)))
		tr = append(tr, float64(t2.Sub(t1)))
		ratio = append(ratio, to[len(to)-1]/tr[len(tr)-1])
	}
	b.ReportMetric(median(to), "nn-ns/eval")
	b.ReportMetric(median(tr), "ref-ns/eval")
	b.ReportMetric(median(ratio), "ratio")
}

// BenchmarkShards interleaves one evaluation on one shard and one on two
// shards per iteration, on the iris-shaped network (4-32-32-3) with 150 to
// 3200 rows (rows × learnables 2·10⁵ to 4·10⁶, around nn.ShardThreshold),
// and reports each one's median time and the median ratio two ÷ one:
//
//	go test -run XXX -bench Shards -benchtime 2000x ./nn
func BenchmarkShards(b *testing.B) {
	for _, rows := range []int{150, 400, 800, 1600, 3200} {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			b.Run(fmt.Sprintf("rows=%d/%v", rows, dt), func(b *testing.B) {
				p1 := newProblem(b, rows, benchSizes[0].sizes, dt, 1)
				p2 := newProblem(b, rows, benchSizes[0].sizes, dt, 2)
				p1.ours(b)
				p2.ours(b)
				var one, two, ratio []float64
				b.ResetTimer()
				for range b.N {
					t0 := time.Now()
					p1.ours(b)
					t1 := time.Now()
					p2.ours(b)
					t2 := time.Now()
					one = append(one, float64(t1.Sub(t0)))
					two = append(two, float64(t2.Sub(t1)))
					ratio = append(ratio, two[len(two)-1]/one[len(one)-1])
				}
				b.ReportMetric(median(one), "1shard-ns/eval")
				b.ReportMetric(median(two), "2shards-ns/eval")
				b.ReportMetric(median(ratio), "ratio")
			})
		}
	}
}
