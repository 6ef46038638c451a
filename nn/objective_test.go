package nn_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
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
	net32 := mustNet(t, 4, irisLayers(), tensor.Float32, 1)
	bigX := append([]float64(nil), x...)
	bigX[3] = 1e39 // beyond float32's largest value, 3.4e38
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
		{"x beyond float32 in a float32 network", net32, bigX, y, ce, nn.ErrNonFinite},
		{"infinite target", net, x, append([]float64{math.Inf(1)}, y[1:]...), ce, nn.ErrNonFinite},
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
// two x1 results (loss, gradient, metrics) must be bit-identical. The
// gradient buffers start with different garbage, as a solver's reused
// buffers do.
func TestObjectiveRepeatable(t *testing.T) {
	x, y, _ := iris(t)
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shards := range []int{1, 2} {
			net := mustNet(t, 4, irisLayers(), dt, 1)
			ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-3, Shards: shards})
			x1 := net.Flat()
			x2 := mustNet(t, 4, irisLayers(), dt, 2).Flat()
			g1, g2, g3 := filled(len(x1), 1), filled(len(x1), 7), filled(len(x1), 2)
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
			if obj.NumShards() != shards {
				t.Fatalf("%d shards built, want %d", obj.NumShards(), shards)
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
	if acc := accuracy(t, net, x, labels); m.(nn.Metrics).Accuracy != acc || !math.IsNaN(m.(nn.Metrics).RMSE) {
		t.Errorf("metrics %+v, Classify accuracy %v", m, acc)
	}
}

// TestStableLosses: logits far apart must give the exact loss, not an
// overflow or log(0), and Predict must give finite probabilities. A
// 1-input network with weights w and zero biases gives logits w for x = 1;
// e^800 and e^10000 overflow float64 (and e^89 float32), and softmax(0)
// next to 800 underflows to 0, so a naive softmax gives NaN and a log of
// its output −Inf.
func TestStableLosses(t *testing.T) {
	tests := []struct {
		name  string
		last  nn.Layer
		loss  nn.Loss
		w, t  []float64
		want  float64   // loss for x = 1
		wantG float64   // ∂loss/∂w[0]
		probs []float64 // Predict at x = 1
	}{
		// logsumexp(0, 800) − 0 = 800 (to 1e-300); ∂/∂z0 = softmax(0) − 1 = −1.
		{"crossentropy 800", nn.Softmax{}, nn.CrossEntropy, []float64{0, 800}, []float64{1, 0}, 800, -1, []float64{0, 1}},
		{"crossentropy 1e4", nn.Softmax{}, nn.CrossEntropy, []float64{0, 1e4}, []float64{1, 0}, 1e4, -1, []float64{0, 1}},
		// The target at the large logit: logsumexp(0, 1e4) − 1e4 = 0, and
		// ∂/∂z0 = softmax(0) = e^−1e4, which underflows to 0.
		{"crossentropy 1e4 right", nn.Softmax{}, nn.CrossEntropy, []float64{0, 1e4}, []float64{0, 1}, 0, 0, []float64{0, 1}},
		{"crossentropy −1e4", nn.Softmax{}, nn.CrossEntropy, []float64{-1e4, 1e4}, []float64{1, 0}, 2e4, -1, []float64{0, 1}},
		// max(z,0) − z·t + log(1+e^−|z|) at z = −800, t = 1: 800; ∂/∂z = σ(z) − t = −1.
		{"binary crossentropy −800", nn.Sigmoid{}, nn.BinaryCrossEntropy, []float64{-800}, []float64{1}, 800, -1, []float64{0}},
		{"binary crossentropy −1e4", nn.Sigmoid{}, nn.BinaryCrossEntropy, []float64{-1e4}, []float64{1}, 1e4, -1, []float64{0}},
		{"binary crossentropy 1e4", nn.Sigmoid{}, nn.BinaryCrossEntropy, []float64{1e4}, []float64{0}, 1e4, 1, []float64{1}},
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
				if err := net.SetFlatLearnables(p); err != nil {
					t.Fatal(err)
				}
				if probs, err := net.Predict([]float64{1}); err != nil || !slices.Equal(probs, tt.probs) {
					t.Errorf("Predict: %v, %v; want %v", probs, err, tt.probs)
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
		{"iris", 150, 1315, 1},
		{"digits", 1797, 9610, 2},
		{"large", 10000, 203530, 2},
		{"small", 20, 50, 1},
		{"one row", 1, 1 << 30, 1},
		{"at the threshold", 1000, 2000, 2},
		{"below the threshold", 1000, 1999, 1},
	}
	for _, tt := range tests {
		if got := nn.AutoShards(tt.rows, tt.learnables); got != tt.want {
			t.Errorf("%s: AutoShards(%d, %d) = %d, want %d", tt.name, tt.rows, tt.learnables, got, tt.want)
		}
	}
	// NewObjective uses it when Shards is 0.
	x, y, _ := iris(t)
	obj, err := mustNet(t, 4, irisLayers(), tensor.Float64, 1).NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil || obj.NumShards() != 1 {
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

// TestLossValues checks each loss and the L2 term against its
// definition, computed naively here on moderate logits: a 3-3 network
// with Weights W and Bias b gives logits Z = X·W + b; with W = 2·I the
// L2 term is (λ/2)·Σ W² = (λ/2)·12, the biases not counted.
func TestLossValues(t *testing.T) {
	x := []float64{0.5, -1, 2, 1.5, 0.25, -0.75}
	b := []float64{0.1, -0.2, 0.3}
	z := make([]float64, 6)
	for i := range 2 {
		for j := range 3 {
			z[3*i+j] = 2*x[3*i+j] + b[j]
		}
	}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	const n = 2.0 // rows
	tests := []struct {
		name string
		last []nn.Layer
		loss nn.Loss
		t    []float64
		want float64
	}{
		{"crossentropy", []nn.Layer{nn.Softmax{}}, nn.CrossEntropy, []float64{0, 0, 1, 1, 0, 0}, func() float64 {
			// −(1/N) Σ_i log softmax(Z_i)_{label i}
			s0 := math.Exp(z[0]) + math.Exp(z[1]) + math.Exp(z[2])
			s1 := math.Exp(z[3]) + math.Exp(z[4]) + math.Exp(z[5])
			return -(math.Log(math.Exp(z[2])/s0) + math.Log(math.Exp(z[3])/s1)) / n
		}()},
		{"binary crossentropy", []nn.Layer{nn.Sigmoid{}}, nn.BinaryCrossEntropy, []float64{1, 0, 1, 0, 0, 1}, func() float64 {
			// −(1/N) Σ T log σ(Z) + (1−T) log(1 − σ(Z)), over every entry
			s := 0.0
			for k, tk := range []float64{1, 0, 1, 0, 0, 1} {
				s += tk*math.Log(sig(z[k])) + (1-tk)*math.Log(1-sig(z[k]))
			}
			return -s / n
		}()},
		{"mse", nil, nn.MeanSquaredError, []float64{1, 2, 3, -1, -2, -3}, func() float64 {
			// (1/(N·K)) Σ (Y − T)², the mean over all N·K = 6 entries
			s := 0.0
			for k, tk := range []float64{1, 2, 3, -1, -2, -3} {
				s += (z[k] - tk) * (z[k] - tk)
			}
			return s / (3 * n)
		}()},
	}
	p := []float64{2, 0, 0, 0, 2, 0, 0, 0, 2, b[0], b[1], b[2]}
	for _, tt := range tests {
		for _, l2 := range []float64{0, 0.3} {
			t.Run(fmt.Sprintf("%s/l2=%v", tt.name, l2), func(t *testing.T) {
				net := mustNet(t, 3, append([]nn.Layer{nn.FullyConnected{OutputSize: 3}}, tt.last...), tensor.Float64, 1)
				ev, _ := evaluator(t, net, x, tt.t, nn.ObjectiveOptions{Loss: tt.loss, L2: l2})
				got, _, err := ev.Evaluate(p, make([]float64, len(p)))
				if err != nil {
					t.Fatal(err)
				}
				if want := tt.want + l2/2*12; relDiff(got, want, 0) > 1e-14 {
					t.Errorf("loss %v, want %v", got, want)
				}
			})
		}
	}
}
