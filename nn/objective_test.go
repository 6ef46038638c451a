package nn_test

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

func TestNewObjectiveErrors(t *testing.T) {
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	mse := mustNet(t, 4, []nn.Layer{nn.FullyConnected{OutputSize: 3}}, tensor.Float64, 1)
	x, y, _ := iris(t)
	nanX := append([]float64(nil), x...)
	nanX[7] = math.NaN()
	ce := nn.ObjectiveOptions{Loss: nn.CrossEntropy}
	tests := []struct {
		name string
		net  *nn.Network
		x, t []float64
		opts nn.ObjectiveOptions
		want error
	}{
		{"x not a multiple of the input size", net, x[:5], y, ce, nn.ErrShape},
		{"empty x", net, nil, nil, ce, nn.ErrShape},
		{"t of the wrong length", net, x, y[:9], ce, nn.ErrShape},
		{"NaN in x", net, nanX, y, ce, nn.ErrNonFinite},
		{"no loss", net, x, y, nn.ObjectiveOptions{}, nn.ErrInvalidOption},
		{"crossentropy without softmax", mse, x, y, ce, nn.ErrInvalidOption},
		{"binary crossentropy without sigmoid", net, x, y, nn.ObjectiveOptions{Loss: nn.BinaryCrossEntropy}, nn.ErrInvalidOption},
		{"negative L2", net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: -1}, nn.ErrInvalidOption},
		{"NaN L2", net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: math.NaN()}, nn.ErrInvalidOption},
		{"more shards than rows", net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: 151}, nn.ErrInvalidOption},
		{"negative shards", net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: -1}, nn.ErrInvalidOption},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := tt.net.NewObjective(tt.x, tt.t, tt.opts)
			if !errors.Is(err, tt.want) || obj != nil {
				t.Errorf("NewObjective: %v, %v; want nil, %v", obj, err, tt.want)
			}
		})
	}
}

// TestObjectiveRepeatable evaluates the iris objective at x1, x2, x1: the
// two x1 results (loss, gradient, metrics) must be bit-identical.
func TestObjectiveRepeatable(t *testing.T) {
	x, y, _ := iris(t)
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shards := range []int{1, 2} {
			net := mustNet(t, 4, irisLayers(), dt, 1)
			ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-3, Shards: shards})
			x1 := net.Flat()
			x2 := mustNet(t, 4, irisLayers(), dt, 2).Flat()
			g1, g2, g3 := make([]float64, len(x1)), make([]float64, len(x1)), make([]float64, len(x1))
			l1, m1, err1 := ev.Evaluate(x1, g1)
			l2, _, err2 := ev.Evaluate(x2, g2)
			l3, m3, err3 := ev.Evaluate(x1, g3)
			if err := errors.Join(err1, err2, err3); err != nil {
				t.Fatal(err)
			}
			if l1 == l2 {
				t.Fatal("x1 and x2 have the same loss: the test needs different points")
			}
			if math.Float64bits(l1) != math.Float64bits(l3) || !identical(m1.(nn.Metrics), m3.(nn.Metrics)) {
				t.Errorf("%v, %d shards: at x1 loss %v, %v; after x2 %v, %v", dt, shards, l1, m1, l3, m3)
			}
			for i := range g1 {
				if math.Float64bits(g1[i]) != math.Float64bits(g3[i]) {
					t.Errorf("%v, %d shards: grad[%d] at x1 %v, after x2 %v", dt, shards, i, g1[i], g3[i])
					break
				}
			}
		}
	}
}

// TestShardedObjective compares shards with the single graph, to 1e-12
// relative in float64 (issue 4), for every loss and with L2.
func TestShardedObjective(t *testing.T) {
	r := newRand(9)
	layers := map[nn.Loss][]nn.Layer{
		nn.CrossEntropy:       irisLayers(),
		nn.BinaryCrossEntropy: {nn.FullyConnected{OutputSize: 8}, nn.GELU{}, nn.FullyConnected{OutputSize: 3}, nn.Sigmoid{}},
		nn.MeanSquaredError:   {nn.FullyConnected{OutputSize: 8}, nn.Tanh{}, nn.FullyConnected{OutputSize: 3}},
	}
	for _, loss := range []nn.Loss{nn.CrossEntropy, nn.BinaryCrossEntropy, nn.MeanSquaredError} {
		x, y := randomBatch(r, 101, 4, 3, loss)
		net := mustNet(t, 4, layers[loss], tensor.Float64, 4)
		p := net.Flat()
		single, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: loss, L2: 0.01, Shards: 1})
		want := make([]float64, len(p))
		wantLoss, wantM, err := single.Evaluate(p, want)
		if err != nil {
			t.Fatal(err)
		}
		for _, shards := range []int{2, 3, 7, 101} {
			ev, obj := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: loss, L2: 0.01, Shards: shards})
			if len(obj.Shards) != shards {
				t.Fatalf("%d shards built, want %d", len(obj.Shards), shards)
			}
			got := make([]float64, len(p))
			gotLoss, gotM, err := ev.Evaluate(p, got)
			if err != nil {
				t.Fatal(err)
			}
			if d := relDiff(gotLoss, wantLoss, 0); d > 1e-12 {
				t.Errorf("%v, %d shards: loss %v, want %v", loss, shards, gotLoss, wantLoss)
			}
			for i := range got {
				if d := relDiff(got[i], want[i], 1e-300); d > 1e-12 {
					t.Errorf("%v, %d shards: grad[%d] = %v, want %v", loss, shards, i, got[i], want[i])
					break
				}
			}
			if !sameMetrics(gotM.(nn.Metrics), wantM.(nn.Metrics)) {
				t.Errorf("%v, %d shards: metrics %v, want %v", loss, shards, gotM, wantM)
			}
		}
	}
}

// identical reports bit-identical metrics.
func identical(a, b nn.Metrics) bool {
	return math.Float64bits(a.Accuracy) == math.Float64bits(b.Accuracy) && math.Float64bits(a.RMSE) == math.Float64bits(b.RMSE)
}

// sameMetrics reports metrics equal to rounding.
func sameMetrics(a, b nn.Metrics) bool {
	eq := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) || relDiff(x, y, 0) < 1e-12 }
	return eq(a.Accuracy, b.Accuracy) && eq(a.RMSE, b.RMSE)
}

// TestMetricsMatchClassify: the accuracy an evaluation reports equals the
// accuracy of Classify at the same parameters.
func TestMetricsMatchClassify(t *testing.T) {
	x, y, labels := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 5)
	ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: 3})
	p := net.Flat()
	_, m, err := ev.Evaluate(p, make([]float64, len(p)))
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := net.Classify(x)
	if err != nil {
		t.Fatal(err)
	}
	hits := 0
	for i, l := range got {
		if l == labels[i] {
			hits++
		}
	}
	if acc := float64(hits) / float64(len(labels)); m.(nn.Metrics).Accuracy != acc || !math.IsNaN(m.(nn.Metrics).RMSE) {
		t.Errorf("metrics %+v, Classify accuracy %v", m, acc)
	}
}

// TestStableLosses: logits far apart must give the exact loss, not an
// overflow or log(0). A 1-input network with weights (0, 800) gives
// logits (0, 800) for x = 1; softmax(0) underflows to 0 in float64, so a
// log of the softmax output would be −Inf.
func TestStableLosses(t *testing.T) {
	tests := []struct {
		name  string
		last  nn.Layer
		loss  nn.Loss
		w, t  []float64
		want  float64 // loss for x = 1
		wantG float64 // ∂loss/∂w[0]
	}{
		// logsumexp(0, 800) − 0 = 800 (to 1e-300); ∂/∂z0 = softmax(0) − 1 = −1.
		{"crossentropy", nn.Softmax{}, nn.CrossEntropy, []float64{0, 800}, []float64{1, 0}, 800, -1},
		// max(z,0) − z·t + log(1+e^−|z|) at z = −800, t = 1: 800; ∂/∂z = σ(z) − t = −1.
		{"binary crossentropy", nn.Sigmoid{}, nn.BinaryCrossEntropy, []float64{-800}, []float64{1}, 800, -1},
	}
	for _, tt := range tests {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			t.Run(tt.name+"/"+dt.String(), func(t *testing.T) {
				layers := []nn.Layer{nn.FullyConnected{OutputSize: len(tt.w), WeightsInitializer: nn.Zeros}, tt.last}
				net := mustNet(t, 1, layers, dt, 1)
				p := append(append([]float64(nil), tt.w...), make([]float64, len(tt.w))...)
				ev, _ := evaluator(t, net, []float64{1}, tt.t, nn.ObjectiveOptions{Loss: tt.loss})
				g := make([]float64, len(p))
				loss, _, err := ev.Evaluate(p, g)
				if err != nil {
					t.Fatal(err)
				}
				if loss != tt.want || g[0] != tt.wantG {
					t.Errorf("loss %v, ∂/∂w0 %v; want %v, %v", loss, g[0], tt.want, tt.wantG)
				}
			})
		}
	}
}

func TestAutoShards(t *testing.T) {
	tests := []struct {
		name             string
		rows, learnables int
		want             int
	}{
		// The benchmark networks of issue 4 (learnables from their sizes).
		{"iris", 150, 1315, 2},
		{"digits", 1797, 9610, 2},
		{"large", 10000, 203530, 2},
		{"small", 20, 50, 1},
		{"one row", 1, 1 << 30, 1},
		{"at the threshold", 1000, 100, 2},
		{"below the threshold", 1000, 99, 1},
	}
	for _, tt := range tests {
		if got := nn.AutoShards(tt.rows, tt.learnables); got != tt.want {
			t.Errorf("%s: AutoShards(%d, %d) = %d, want %d", tt.name, tt.rows, tt.learnables, got, tt.want)
		}
	}
	// NewObjective uses it when Shards is 0.
	x, y, _ := iris(t)
	obj, err := mustNet(t, 4, irisLayers(), tensor.Float64, 1).NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil || len(obj.Shards) != 2 || obj.Shards[0].Rows+obj.Shards[1].Rows != 150 {
		t.Errorf("default shards for iris: %v, %v", obj, err)
	}
}

// TestObjectiveNonFinite: parameters that overflow the network give a
// non-finite loss, returned as a value, not an error; the next finite
// point evaluates normally.
func TestObjectiveNonFinite(t *testing.T) {
	x, y, _ := iris(t)
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		net := mustNet(t, 4, irisLayers(), dt, 1)
		ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
		huge := make([]float64, net.NumLearnables())
		for i := range huge {
			huge[i] = math.MaxFloat64 / 4 // +Inf once rounded to float32
		}
		g := make([]float64, len(huge))
		loss, _, err := ev.Evaluate(huge, g)
		if err != nil {
			t.Fatalf("%v: Evaluate: %v, want no error", dt, err)
		}
		if !math.IsNaN(loss) && !math.IsInf(loss, 0) {
			t.Errorf("%v: loss %v at overflowing parameters, want NaN or Inf", dt, loss)
		}
		if loss, _, err := ev.Evaluate(net.Flat(), g); err != nil || math.IsNaN(loss) || math.IsInf(loss, 0) {
			t.Errorf("%v: at the initial parameters: loss %v, err %v", dt, loss, err)
		}
	}
}
