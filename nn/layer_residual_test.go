package nn_test

import (
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

func residualLayers() []nn.Layer {
	return []nn.Layer{
		nn.FullyConnected{OutputSize: 4}, nn.Tanh{},
		nn.Residual{Name: "res", Layers: []nn.Layer{nn.FullyConnected{OutputSize: 5}, nn.Swish{}, nn.FullyConnected{OutputSize: 4}}},
		nn.Residual{Layers: []nn.Layer{nn.Tanh{}, skipDense{Scale: 0.5}}}, // a user layer inside
		nn.FullyConnected{OutputSize: 3}, nn.Softmax{},
	}
}

// TestResidualGradient: a network with residual blocks passes the
// gradient check to 1e-6 in float64, with L2 covering the inner weights.
func TestResidualGradient(t *testing.T) {
	x, y := randomBatch(newRand(11), 12, 3, 3, nn.CrossEntropy)
	net := mustNet(t, 3, residualLayers(), tensor.Float64, 11)
	ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 0.05, Shards: 2})
	opts := autodiff.DefaultCheckOptions()
	opts.Rand = newRand(12)
	res, err := autodiff.CheckGradient(ev.Evaluate, net.Flat(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.MaxRelativeError > 1e-6 {
		t.Error(res)
	}
}

// TestResidualValue: X + f(X) with f the inner layers.
func TestResidualValue(t *testing.T) {
	net := mustNet(t, 2, []nn.Layer{nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 2}}}}, tensor.Float64, 1)
	// W = [[1 2] [3 4]], b = (0.5, −1): y = x + x·W + b.
	if err := net.SetFlatLearnables([]float64{1, 2, 3, 4, 0.5, -1}); err != nil {
		t.Fatal(err)
	}
	y, err := net.Predict([]float64{1, -1})
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{1 + (1 - 3) + 0.5, -1 + (2 - 4) - 1}; !slices.Equal(y, want) {
		t.Errorf("y = %v, want %v", y, want)
	}
	if names := net.Learnables(); names[0].Name() != "residual1/1.Weights" || names[1].Name() != "residual1/1.Bias" {
		t.Errorf("learnables %q, %q; want residual1/1.Weights, residual1/1.Bias", names[0].Name(), names[1].Name())
	}
}

// TestResidualSaveLoad: blocks, with a user layer inside, round-trip
// through a model file bit for bit.
func TestResidualSaveLoad(t *testing.T) {
	net := mustNet(t, 3, residualLayers(), tensor.Float32, 2)
	path := filepath.Join(t.TempDir(), "res.model")
	if err := net.Save(path, nil); err != nil {
		t.Fatal(err)
	}
	got, _, err := nn.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Layers(), net.Layers()) || !slices.Equal(got.LayerNames(), net.LayerNames()) {
		t.Errorf("layers %v, want %v", got.Layers(), net.Layers())
	}
	if !slices.Equal(got.Params(), net.Params()) {
		t.Error("learnables differ after a round trip")
	}
	x, _ := randomBatch(newRand(3), 4, 3, 3, nn.CrossEntropy)
	p1, _ := net.Predict(x)
	p2, _ := got.Predict(x)
	if !slices.Equal(p1, p2) {
		t.Error("predictions differ after a round trip")
	}
}

func TestResidualErrors(t *testing.T) {
	for name, l := range map[string]nn.Layer{
		"empty":          nn.Residual{},
		"width change":   nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 7}}},
		"nil inner":      nn.Residual{Layers: []nn.Layer{nil}},
		"bad inner":      nn.Residual{Layers: []nn.Layer{nn.FullyConnected{}}},
		"widening inner": nn.Residual{Layers: []nn.Layer{widen{}, nn.FullyConnected{OutputSize: 3}}},
	} {
		_, err := nn.New(nn.Config{InputSize: 3, Layers: []nn.Layer{l, nn.FullyConnected{OutputSize: 1}}}, newRand(1))
		if !errors.Is(err, nn.ErrInvalidNetwork) {
			t.Errorf("%s: %v, want ErrInvalidNetwork", name, err)
		}
	}
	_, err := nn.New(nn.Config{InputSize: 3, Layers: []nn.Layer{nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 7}}}}}, newRand(1))
	if err == nil || !strings.Contains(err.Error(), "maps width 3 to 7") {
		t.Errorf("width change: %v, want it named", err)
	}
	net := mustNet(t, 2, []nn.Layer{nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 2}, unregistered{}}}}, tensor.Float64, 1)
	if err := net.Save(filepath.Join(t.TempDir(), "m"), nil); !errors.Is(err, nn.ErrRegistry) {
		t.Errorf("Save with an unregistered inner layer: %v, want ErrRegistry", err)
	}
}

// TestLayerNormValue: each row normalised over its features, then scaled
// and offset per column.
func TestLayerNormValue(t *testing.T) {
	net := mustNet(t, 3, []nn.Layer{nn.LayerNorm{Epsilon: 0.01}}, tensor.Float64, 1)
	// Offset (0.5, 0, −1), Scale (1, 2, 3)
	if err := net.SetFlatLearnables([]float64{0.5, 0, -1, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	x := []float64{1, 2, 6, -1, -1, -1}
	y, err := net.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	// row 0: mean 3, variance (4 + 1 + 9)/3 = 14/3; row 1 is constant: X̂ = 0.
	rho := 1 / math.Sqrt(14.0/3+0.01)
	want := []float64{0.5 + 1*(-2)*rho, 0 + 2*(-1)*rho, -1 + 3*3*rho, 0.5, 0, -1}
	for i := range want {
		if math.Abs(y[i]-want[i]) > 1e-15 {
			t.Fatalf("y = %v, want %v", y, want)
		}
	}
	if _, err := nn.New(nn.Config{InputSize: 3, Layers: []nn.Layer{nn.LayerNorm{Epsilon: -1}}}, newRand(1)); !errors.Is(err, nn.ErrInvalidNetwork) {
		t.Errorf("negative Epsilon: %v, want ErrInvalidNetwork", err)
	}
}
