package nn_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

func TestNewErrors(t *testing.T) {
	fc := nn.FullyConnected{OutputSize: 2}
	var nilFC *nn.FullyConnected
	tests := []struct {
		name string
		cfg  nn.Config
	}{
		{"zero input size", nn.Config{InputSize: 0, Layers: []nn.Layer{fc}}},
		{"no layers", nn.Config{InputSize: 3}},
		{"no learnables", nn.Config{InputSize: 3, Layers: []nn.Layer{nn.ReLU{}}}},
		{"zero output size", nn.Config{InputSize: 3, Layers: []nn.Layer{nn.FullyConnected{}}}},
		{"nil layer", nn.Config{InputSize: 3, Layers: []nn.Layer{fc, nil}}},
		{"nil pointer layer", nn.Config{InputSize: 3, Layers: []nn.Layer{fc, nilFC}}},
		{"duplicate names", nn.Config{InputSize: 3, Layers: []nn.Layer{fc, nn.FullyConnected{Name: "fc1", OutputSize: 2}}}},
		{"name with slash", nn.Config{InputSize: 3, Layers: []nn.Layer{nn.FullyConnected{Name: "a/b", OutputSize: 2}}}},
		{"negative leaky scale", nn.Config{InputSize: 3, Layers: []nn.Layer{fc, nn.LeakyReLU{Scale: -1}}}},
		{"NaN elu alpha", nn.Config{InputSize: 3, Layers: []nn.Layer{fc, nn.ELU{Alpha: math.NaN()}}}},
		{"integer dtype", nn.Config{InputSize: 3, Layers: []nn.Layer{fc}, Dtype: tensor.Int}},
		{"too many learnables", nn.Config{InputSize: 1 << 30, Layers: []nn.Layer{nn.FullyConnected{OutputSize: 1 << 30}}}},
		{"huge input size", nn.Config{InputSize: math.MaxInt, Layers: []nn.Layer{fc}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, err := nn.New(tt.cfg, newRand(1))
			if !errors.Is(err, nn.ErrInvalidNetwork) || net != nil {
				t.Errorf("New: %v, %v; want nil, ErrInvalidNetwork", net, err)
			}
		})
	}
	if _, err := nn.New(nn.Config{InputSize: 3, Layers: []nn.Layer{fc}}, nil); !errors.Is(err, nn.ErrInvalidNetwork) {
		t.Errorf("New with nil rand: %v, want ErrInvalidNetwork", err)
	}
}

// TestIrisLearnables checks the table of MATLAB's iris network: names,
// shapes, offsets, order, and the initial values (Glorot-uniform weights
// within their bound, zero biases).
func TestIrisLearnables(t *testing.T) {
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	want := []struct {
		name  string
		shape []int
	}{
		{"fc1/Weights", []int{4, 32}}, {"fc1/Bias", []int{32}},
		{"fc2/Weights", []int{32, 32}}, {"fc2/Bias", []int{32}},
		{"fc3/Weights", []int{32, 3}}, {"fc3/Bias", []int{3}},
	}
	ls := net.Learnables()
	if len(ls) != len(want) {
		t.Fatalf("%d learnables, want %d", len(ls), len(want))
	}
	flat := net.Flat()
	off := 0
	for i, l := range ls {
		if l.Name() != want[i].name || !slices.Equal(l.Shape, want[i].shape) || l.Offset != off {
			t.Errorf("learnable %d: %s %v at %d, want %s %v at %d", i, l.Name(), l.Shape, l.Offset, want[i].name, want[i].shape, off)
		}
		if !slices.Equal(l.Value, flat[off:off+len(l.Value)]) {
			t.Errorf("%s: Value differs from the flat vector", l.Name())
		}
		off += len(l.Value)
		if l.Parameter == "Bias" {
			for _, v := range l.Value {
				if v != 0 {
					t.Errorf("%s: %v, want zeros", l.Name(), l.Value)
					break
				}
			}
			continue
		}
		// Glorot-uniform: |w| <= √(6/(in+out)).
		bound := math.Sqrt(6 / float64(l.Shape[0]+l.Shape[1]))
		for _, v := range l.Value {
			if math.Abs(v) > bound {
				t.Errorf("%s: %v outside ±%v", l.Name(), v, bound)
				break
			}
		}
	}
	// 4·32 + 32 + 32·32 + 32 + 32·3 + 3
	if got, want := net.NumLearnables(), 1315; got != want || off != want {
		t.Errorf("NumLearnables() = %d (table %d), want %d", got, off, want)
	}
	if net.InputSize() != 4 || net.OutputSize() != 3 || net.Dtype() != tensor.Float64 {
		t.Errorf("sizes %d→%d, dtype %v", net.InputSize(), net.OutputSize(), net.Dtype())
	}
}

func TestLayerNamesAndRoundTrip(t *testing.T) {
	layers := []nn.Layer{
		nn.FullyConnected{OutputSize: 3}, nn.LeakyReLU{}, nn.FullyConnected{Name: "hidden", OutputSize: 3},
		nn.ELU{Alpha: 0.5}, nn.FullyConnected{OutputSize: 2}, nn.Tanh{Name: "squash"}, nn.Sigmoid{},
	}
	net := mustNet(t, 2, layers, tensor.Float64, 1)
	want := []nn.Layer{
		nn.FullyConnected{Name: "fc1", OutputSize: 3}, nn.LeakyReLU{Name: "leakyrelu1"},
		nn.FullyConnected{Name: "hidden", OutputSize: 3}, nn.ELU{Name: "elu1", Alpha: 0.5},
		nn.FullyConnected{Name: "fc3", OutputSize: 2}, nn.Tanh{Name: "squash"}, nn.Sigmoid{Name: "sigmoid1"},
	}
	if got := net.Layers(); !reflect.DeepEqual(got, want) {
		t.Errorf("Layers() = %v\nwant %v", got, want)
	}
	// The layers describe the same network again.
	again := mustNet(t, 2, net.Layers(), tensor.Float64, 1)
	if !slices.Equal(again.Flat(), net.Flat()) || !reflect.DeepEqual(again.Layers(), want) {
		t.Error("a network from Layers() differs")
	}
}

func TestSameSeedSameNetwork(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		a := mustNet(t, 4, irisLayers(), dt, 7).Flat()
		b := mustNet(t, 4, irisLayers(), dt, 7).Flat()
		c := mustNet(t, 4, irisLayers(), dt, 8).Flat()
		if !slices.Equal(a, b) {
			t.Errorf("%v: same seed, different learnables", dt)
		}
		if slices.Equal(a, c) {
			t.Errorf("%v: different seeds, same learnables", dt)
		}
	}
}

func TestInitializers(t *testing.T) {
	var calls [][2]int
	custom := func(_ *rand.Rand, fanIn, fanOut int, dst []float64) {
		calls = append(calls, [2]int{fanIn, fanOut})
		for i := range dst {
			dst[i] = 0.25
		}
	}
	layers := []nn.Layer{
		nn.FullyConnected{OutputSize: 400, WeightsInitializer: nn.HeNormal, BiasInitializer: nn.Ones},
		&nn.FullyConnected{OutputSize: 2, WeightsInitializer: custom, BiasInitializer: custom},
	}
	net := mustNet(t, 50, layers, tensor.Float32, 3)
	ls := net.Learnables()
	// He: variance 2/fanIn; the sample variance of 50·400 draws is within
	// 5% of it (its relative standard error is √(2/20000) = 1%).
	if v := variance(ls[0].Value); math.Abs(v/(2.0/50)-1) > 0.05 {
		t.Errorf("He weights: variance %v, want %v", v, 2.0/50)
	}
	for _, l := range ls[1:] {
		want := 1.0
		if l.Layer == "fc2" {
			want = 0.25
		}
		for _, v := range l.Value {
			if v != want {
				t.Errorf("%s: %v, want all %v", l.Name(), v, want)
				break
			}
		}
	}
	if want := [][2]int{{400, 2}, {400, 2}}; !reflect.DeepEqual(calls, want) {
		t.Errorf("custom initializer called with %v, want %v", calls, want)
	}
}

func variance(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return s / float64(len(v))
}

// TestFlatRoundTrip: learnables → flat → learnables is bit-exact, in
// float64 and float32, and allocates nothing.
func TestFlatRoundTrip(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			net := mustNet(t, 4, irisLayers(), dt, 1)
			p := net.Flat()
			// Values with every bit pattern class a float can hold.
			p[0], p[1], p[2] = math.Copysign(0, -1), math.SmallestNonzeroFloat32, -math.MaxFloat32
			if err := net.SetFlatLearnables(p); err != nil {
				t.Fatal(err)
			}
			q := make([]float64, len(p))
			if err := net.FlatLearnables(q); err != nil {
				t.Fatal(err)
			}
			for i := range p {
				if math.Float64bits(p[i]) != math.Float64bits(q[i]) {
					t.Fatalf("value %d: set %v, got %v", i, p[i], q[i])
				}
			}
			if n := testing.AllocsPerRun(10, func() { _ = net.FlatLearnables(q) }); n != 0 {
				t.Errorf("FlatLearnables allocates %v times", n)
			}
			if n := testing.AllocsPerRun(10, func() { _ = net.SetFlatLearnables(q) }); n != 0 {
				t.Errorf("SetFlatLearnables allocates %v times", n)
			}
			for _, n := range []int{0, len(p) - 1, len(p) + 1} {
				if err := net.SetFlatLearnables(make([]float64, n)); !errors.Is(err, nn.ErrShape) {
					t.Errorf("SetFlatLearnables(len %d): %v, want ErrShape", n, err)
				}
				if err := net.FlatLearnables(make([]float64, n)); !errors.Is(err, nn.ErrShape) {
					t.Errorf("FlatLearnables(len %d): %v, want ErrShape", n, err)
				}
			}
		})
	}
}

func TestParseLoss(t *testing.T) {
	for _, l := range []nn.Loss{nn.CrossEntropy, nn.BinaryCrossEntropy, nn.MeanSquaredError} {
		got, err := nn.ParseLoss(l.String())
		if err != nil || got != l {
			t.Errorf("ParseLoss(%q) = %v, %v", l.String(), got, err)
		}
	}
	if _, err := nn.ParseLoss("hinge"); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("ParseLoss(hinge): %v, want ErrInvalidOption", err)
	}
}

// TestDefaultInitializers: a FullyConnected layer without initializers
// is initialised exactly as with GlorotUniform weights and Zeros biases
// (MATLAB's fullyConnectedLayer defaults), and GlorotUniform has the
// distribution of Glorot & Bengio (2010).
func TestDefaultInitializers(t *testing.T) {
	explicit := []nn.Layer{
		nn.FullyConnected{OutputSize: 32, WeightsInitializer: nn.GlorotUniform, BiasInitializer: nn.Zeros}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 32, WeightsInitializer: nn.GlorotUniform, BiasInitializer: nn.Zeros}, nn.ReLU{},
		nn.FullyConnected{OutputSize: 3, WeightsInitializer: nn.GlorotUniform, BiasInitializer: nn.Zeros}, nn.Softmax{},
	}
	if a, b := mustNet(t, 4, irisLayers(), tensor.Float64, 5).Flat(), mustNet(t, 4, explicit, tensor.Float64, 5).Flat(); !slices.Equal(a, b) {
		t.Error("default initializers differ from GlorotUniform and Zeros")
	}

	const fanIn, fanOut = 200, 300
	w := make([]float64, fanIn*fanOut)
	nn.GlorotUniform(newRand(6), fanIn, fanOut, w)
	// U(−a, a) with a = √(6/(fanIn+fanOut)) has E[w²] = a²/3 =
	// 2/(fanIn+fanOut) and Var[w²] = a⁴/5 − a⁴/9, so the mean of 60000
	// draws of w² has a relative standard error of √(4/45)·3/√60000 =
	// √0.8/√60000 ≈ 0.4%: 2% is five standard errors. The largest |w| of
	// 60000 draws stays below 0.999·a with probability 0.999^60000 ≈ 1e-26.
	bound := math.Sqrt(6.0 / (fanIn + fanOut))
	if v, want := variance(w), 2.0/(fanIn+fanOut); math.Abs(v/want-1) > 0.02 {
		t.Errorf("GlorotUniform variance %v, want %v", v, want)
	}
	top := 0.0
	for _, v := range w {
		top = max(top, math.Abs(v))
	}
	if top > bound || top < 0.999*bound {
		t.Errorf("GlorotUniform: largest |w| = %v, want in [0.999, 1]·%v", top, bound)
	}
}

// TestZeroNetwork: a nil or zero Network gives errors, not panics.
func TestZeroNetwork(t *testing.T) {
	var zero nn.Network
	for name, net := range map[string]*nn.Network{"nil": nil, "zero": &zero} {
		t.Run(name, func(t *testing.T) {
			errs := []error{
				net.FlatLearnables(nil), net.SetFlatLearnables(nil),
				second(net.Predict([]float64{1})), second(net.NewObjective([]float64{1}, []float64{1}, nn.ObjectiveOptions{Loss: nn.MeanSquaredError})),
				second(net.Forward(nil, nn.ForwardOptions{})), second(net.MarshalModel(nil)),
				net.Save(filepath.Join(t.TempDir(), "model"), nil),
			}
			_, _, err := net.Classify([]float64{1})
			for i, err := range append(errs, err) {
				if !errors.Is(err, nn.ErrInvalidNetwork) {
					t.Errorf("call %d: %v, want ErrInvalidNetwork", i, err)
				}
			}
			if net.NumLearnables() != 0 || net.InputSize() != 0 || net.OutputSize() != 0 || net.Flat() != nil || len(net.Learnables()) != 0 || len(net.Layers()) != 0 {
				t.Error("accessors of an empty network return non-zero values")
			}
		})
	}
}

// second returns the error of a two-value call.
func second[T any](_ T, err error) error { return err }
