package nn_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// linear returns a 3-3 network with no activation, W = 2I and b =
// (0.1, −0.2, 0.3), so that its output is 2x + b.
func linear(t *testing.T, last ...nn.Layer) (*nn.Network, []float64) {
	net := mustNet(t, 3, append([]nn.Layer{nn.FullyConnected{OutputSize: 3}}, last...), tensor.Float64, 1)
	p := []float64{2, 0, 0, 0, 2, 0, 0, 0, 2, 0.1, -0.2, 0.3}
	if err := net.SetFlatLearnables(p); err != nil {
		t.Fatal(err)
	}
	return net, p
}

// TestRegressionLossValues checks Huber and the mean absolute error, with
// and without row weights, against their formulas on a 2 × 3 batch.
func TestRegressionLossValues(t *testing.T) {
	x := []float64{0.5, -1, 2, 0, 0.25, -0.5}
	tg := []float64{0, 0, 0, 1, 1, 1}
	net, p := linear(t)
	b := []float64{0.1, -0.2, 0.3}
	var d []float64 // y − t
	for i := range x {
		d = append(d, 2*x[i]+b[i%3]-tg[i])
	}
	w := []float64{0.5, 3}
	huber := func(v, delta float64) float64 {
		if a := math.Abs(v); a > delta {
			return delta * (a - delta/2)
		}
		return v * v / 2
	}
	for _, tt := range []struct {
		name  string
		opts  nn.ObjectiveOptions
		entry func(float64) float64
	}{
		{"huber default", nn.ObjectiveOptions{Loss: nn.Huber}, func(v float64) float64 { return huber(v, 1) }},
		{"huber 0.5", nn.ObjectiveOptions{Loss: nn.Huber, HuberDelta: 0.5}, func(v float64) float64 { return huber(v, 0.5) }},
		{"mae", nn.ObjectiveOptions{Loss: nn.MeanAbsoluteError}, math.Abs},
		{"mse", nn.ObjectiveOptions{Loss: nn.MeanSquaredError}, func(v float64) float64 { return v * v }},
	} {
		for _, weighted := range []bool{false, true} {
			opts := tt.opts
			want := 0.0
			for i, v := range d {
				wi := 1.0
				if weighted {
					wi = w[i/3]
				}
				want += wi * tt.entry(v)
			}
			want /= 6 // the mean over N·K = 6 entries
			if weighted {
				opts.RowWeights = w
			}
			obj, err := net.NewObjective(x, tg, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, _, err := obj.Evaluate(p, make([]float64, len(p)))
			if err != nil {
				t.Fatal(err)
			}
			if relDiff(got, want, 0) > 1e-15 {
				t.Errorf("%s, weighted %v: loss %v, want %v", tt.name, weighted, got, want)
			}
		}
	}
}

// TestClassWeights: class-weighted cross-entropy against its formula,
// and class weights of 1 against the plain loss, bit for bit.
func TestClassWeights(t *testing.T) {
	x := []float64{0.5, -1, 2, 0, 0.25, -0.5}
	tg := []float64{0, 0, 1, 1, 0, 0}
	net, p := linear(t, nn.Softmax{})
	b := []float64{0.1, -0.2, 0.3}
	c := []float64{1, 4, 0.5}
	want := 0.0
	for r, label := range []int{2, 0} {
		var z []float64
		for j := range 3 {
			z = append(z, 2*x[3*r+j]+b[j])
		}
		lse := math.Log(math.Exp(z[0]) + math.Exp(z[1]) + math.Exp(z[2]))
		want += c[label] * (lse - z[label])
	}
	want /= 2
	eval := func(opts nn.ObjectiveOptions) float64 {
		obj, err := net.NewObjective(x, tg, opts)
		if err != nil {
			t.Fatal(err)
		}
		l, _, err := obj.Evaluate(p, make([]float64, len(p)))
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if got := eval(nn.ObjectiveOptions{Loss: nn.CrossEntropy, ClassWeights: c}); relDiff(got, want, 0) > 1e-15 {
		t.Errorf("class-weighted loss %v, want %v", got, want)
	}
	plain, ones := eval(nn.ObjectiveOptions{Loss: nn.CrossEntropy}), eval(nn.ObjectiveOptions{Loss: nn.CrossEntropy, ClassWeights: []float64{1, 1, 1}})
	if plain != ones {
		t.Errorf("class weights of 1: %v, unweighted %v", ones, plain)
	}
}

// TestRowWeightsRows: row weights follow their rows into EvaluateRows,
// and sharded equals unsharded to 1e-12.
func TestRowWeightsRows(t *testing.T) {
	x, y, _ := iris(t)
	w := make([]float64, 150)
	for i := range w {
		w[i] = 0.25 + float64(i%7)/3
	}
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 9)
	p := net.Flat()
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, RowWeights: w, Shards: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{3, 77, 120, 40, 41}
	sub, err := net.NewObjective(pick(x, 4, rows), pick(y, 3, rows), nn.ObjectiveOptions{Loss: nn.CrossEntropy, RowWeights: pick(w, 1, rows)})
	if err != nil {
		t.Fatal(err)
	}
	got, g1 := evalRows(t, obj, rows, p)
	want, g2 := evalRows(t, sub, nil, p)
	if got != want || !slices.Equal(g1, g2) {
		t.Errorf("weighted rows: %v, the batch of those rows %v", got, want)
	}
	sharded, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, RowWeights: w, Shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	l1, gr1 := evalRows(t, obj, nil, p)
	l3, gr3 := evalRows(t, sharded, nil, p)
	if relDiff(l1, l3, 0) > 1e-12 {
		t.Errorf("sharded %v, unsharded %v", l3, l1)
	}
	for i := range gr1 {
		if relDiff(gr1[i], gr3[i], 1e-12) > 1e-12 {
			t.Fatalf("gradient %d: sharded %v, unsharded %v", i, gr3[i], gr1[i])
		}
	}
}

func TestLossOptionErrors(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 9)
	reg := mustNet(t, 4, []nn.Layer{nn.FullyConnected{OutputSize: 3}}, tensor.Float64, 9)
	for name, tc := range map[string]struct {
		net  *nn.Network
		opts nn.ObjectiveOptions
	}{
		"delta without huber":    {reg, nn.ObjectiveOptions{Loss: nn.MeanSquaredError, HuberDelta: 1}},
		"negative delta":         {reg, nn.ObjectiveOptions{Loss: nn.Huber, HuberDelta: -1}},
		"class weights with mse": {reg, nn.ObjectiveOptions{Loss: nn.MeanSquaredError, ClassWeights: []float64{1, 1, 1}}},
		"two class weights":      {net, nn.ObjectiveOptions{Loss: nn.CrossEntropy, ClassWeights: []float64{1, 1}}},
		"NaN class weight":       {net, nn.ObjectiveOptions{Loss: nn.CrossEntropy, ClassWeights: []float64{1, math.NaN(), 1}}},
		"short row weights":      {net, nn.ObjectiveOptions{Loss: nn.CrossEntropy, RowWeights: []float64{1}}},
		"negative row weight":    {net, nn.ObjectiveOptions{Loss: nn.CrossEntropy, RowWeights: append(filled(149, 1), -1)}},
		"infinite row weight":    {net, nn.ObjectiveOptions{Loss: nn.CrossEntropy, RowWeights: append(filled(149, 1), math.Inf(1))}},
		"unknown loss":           {net, nn.ObjectiveOptions{Loss: nn.Loss(99)}},
	} {
		if _, err := tc.net.NewObjective(x, y, tc.opts); !errors.Is(err, nn.ErrInvalidOption) {
			t.Errorf("%s: %v, want ErrInvalidOption", name, err)
		}
	}
	for _, l := range []nn.Loss{nn.Huber, nn.MeanAbsoluteError} {
		if got, err := nn.ParseLoss(l.String()); got != l || err != nil {
			t.Errorf("ParseLoss(%q) = %v, %v", l.String(), got, err)
		}
	}
}

// TestClassifyLabels: each label thresholded on its own, for a
// multi-label network (sigmoid outputs).
func TestClassifyLabels(t *testing.T) {
	net, _ := linear(t, nn.Sigmoid{})
	// outputs σ(2x + b): row 0 = σ(1.1), σ(−2.2), σ(0.3); row 1 = σ(−0.9), σ(1.8), σ(−0.7)
	x := []float64{0.5, -1, 0, -0.5, 1, -0.5}
	on, out, err := net.ClassifyLabels(x, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, true, false, true, false}; !slices.Equal(on, want) {
		t.Errorf("labels %v, want %v (outputs %v)", on, want, out)
	}
	if on, _, _ := net.ClassifyLabels(x, 0.6); on[2] {
		t.Errorf("σ(0.3) = 0.574 above a threshold of 0.6")
	}
	for _, th := range []float64{0, 1, math.NaN()} {
		if _, _, err := net.ClassifyLabels(x, th); !errors.Is(err, nn.ErrInvalidOption) {
			t.Errorf("threshold %v: %v, want ErrInvalidOption", th, err)
		}
	}
}

// TestSmoothActivationValues: Softplus and Swish against their formulas,
// including where a naive log(1 + e^z) would overflow.
func TestSmoothActivationValues(t *testing.T) {
	x := []float64{0.5, -1, 400, 0, -400, -0.5}
	sig := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	for _, tt := range []struct {
		layer nn.Layer
		f     func(float64) float64
	}{
		{nn.Softplus{}, func(v float64) float64 {
			if v > 30 {
				return v // log(1 + e^v) = v to double precision
			}
			return math.Log1p(math.Exp(v))
		}},
		{nn.Swish{}, func(v float64) float64 { return v * sig(v) }},
	} {
		net, _ := linear(t, tt.layer)
		y, err := net.Predict(x)
		if err != nil {
			t.Fatal(err)
		}
		b := []float64{0.1, -0.2, 0.3}
		for i, v := range y {
			if want := tt.f(2*x[i] + b[i%3]); relDiff(v, want, 1e-300) > 1e-15 || math.IsNaN(v) {
				t.Errorf("%T: y[%d] = %v, want %v", tt.layer, i, v, want)
			}
		}
	}
}

func TestParseActivation(t *testing.T) {
	for _, name := range nn.Activations() {
		a, err := nn.ParseActivation(name)
		if err != nil || a.String() != name || a.Layer() == nil {
			t.Errorf("ParseActivation(%q) = %v, %v", name, a, err)
		}
	}
	if _, err := nn.ParseActivation("Relu"); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("ParseActivation(\"Relu\"): %v, want ErrInvalidOption", err)
	}
	if nn.Activation(0).Layer() != nil {
		t.Error("the zero Activation has a layer")
	}
	if got := nn.ActSwish.Layer(); got != (nn.Swish{}) {
		t.Errorf("ActSwish.Layer() = %#v", got)
	}
}
