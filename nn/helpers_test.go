package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// irisLayers is MATLAB's iris network (lbfgsState documentation example):
// 4-32-32-3 with ReLU and a final softmax.
func irisLayers() []nn.Layer {
	return []nn.Layer{
		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 32}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}
}

// iris returns the standardised iris features, one-hot targets and
// labels.
func iris(tb testing.TB) (x, t []float64, labels []int) {
	tb.Helper()
	ds := data.Iris()
	std, err := data.FitStandardizer(ds.Features, ds.Cols)
	if err != nil {
		tb.Fatal(err)
	}
	x = append([]float64(nil), ds.Features...)
	if err := std.Transform(x); err != nil {
		tb.Fatal(err)
	}
	if t, err = data.OneHot(ds.Labels, ds.NumClasses()); err != nil {
		tb.Fatal(err)
	}
	return x, t, ds.Labels
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// mustNet creates a network or fails the test.
func mustNet(tb testing.TB, in int, layers []nn.Layer, dt tensor.Dtype, seed uint64) *nn.Network {
	tb.Helper()
	net, err := nn.New(nn.Config{InputSize: in, Layers: layers, Dtype: dt}, newRand(seed))
	if err != nil {
		tb.Fatal(err)
	}
	return net
}

// evaluator builds the objective of net on (x, t) with Metrics as the
// extra output; it returns it twice, as the loss function and as the
// objective.
func evaluator(tb testing.TB, net *nn.Network, x, t []float64, opts nn.ObjectiveOptions) (*nn.Objective, *nn.Objective) {
	tb.Helper()
	opts.Metrics = opts.Cost == nil
	obj, err := net.NewObjective(x, t, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return obj, obj
}

// randomBatch returns rows × in features from N(0, 1) and rows × out
// targets for the loss: one-hot rows (CrossEntropy), 0/1 entries
// (BinaryCrossEntropy) or N(0, 1) values (MeanSquaredError).
func randomBatch(r *rand.Rand, rows, in, out int, loss nn.Loss) (x, t []float64) {
	x = make([]float64, rows*in)
	for i := range x {
		x[i] = r.NormFloat64()
	}
	t = make([]float64, rows*out)
	for i := range rows {
		switch loss {
		case nn.CrossEntropy:
			t[i*out+r.IntN(out)] = 1
		case nn.BinaryCrossEntropy:
			for j := range out {
				t[i*out+j] = float64(r.IntN(2))
			}
		default:
			for j := range out {
				t[i*out+j] = r.NormFloat64()
			}
		}
	}
	return x, t
}

// relDiff returns |a − b| / max(|a|, |b|, floor).
func relDiff(a, b, floor float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / max(math.Abs(a), math.Abs(b), floor)
}

// accuracy returns the fraction of rows of x that net.Classify assigns to
// their label.
func accuracy(tb testing.TB, net *nn.Network, x []float64, labels []int) float64 {
	tb.Helper()
	got, _, err := net.Classify(x)
	if err != nil {
		tb.Fatal(err)
	}
	hits := 0
	for i, l := range got {
		if l == labels[i] {
			hits++
		}
	}
	return float64(hits) / float64(len(labels))
}

// filled returns n copies of v.
func filled(n int, v float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = v
	}
	return s
}
