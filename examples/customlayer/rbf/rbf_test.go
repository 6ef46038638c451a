package rbf_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/examples/customlayer/rbf"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// TestGradient checks the layer's gradient, as gorgonia computes it from
// the layer's ops, against central differences: to 1e-6 relative in
// float64 and, in float32, to 2e-2 (the loss's rounding error, about
// 1e-7·|f|, over a step of 1e-2, as autodiff's documentation explains).
func TestGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const rows = 10
	x := make([]float64, rows*2)
	y := make([]float64, rows)
	for i := range rows {
		x[2*i], x[2*i+1] = 2*r.Float64()-1, 2*r.Float64()-1
		y[i] = math.Sin(3 * x[2*i])
	}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		net, err := nn.New(nn.Config{InputSize: 2, Dtype: dt, Layers: []nn.Layer{
			rbf.Layer{Centers: 5}, nn.FullyConnected{OutputSize: 1},
		}}, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.MeanSquaredError, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		opts := autodiff.DefaultCheckOptions()
		opts.Rand = rand.New(rand.NewPCG(5, 6))
		tol := 1e-6
		if dt == tensor.Float32 {
			opts.Step, opts.Floor, tol = 1e-2, 1e-2, 2e-2
		}
		res, err := autodiff.CheckGradient(obj.Evaluate, net.Flat(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.MaxRelativeError > tol {
			t.Errorf("%v: %v", dt, res)
		}
	}
}

// TestValue compares one output with the formula.
func TestValue(t *testing.T) {
	net, err := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{rbf.Layer{Centers: 2}}}, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	// Centers (2×2, column k is c_k): c_0 = (1, 0), c_1 = (0, 2);
	// LogWidth = (0, log 0.5): γ = (1, 0.5).
	if err := net.SetFlatLearnables([]float64{1, 0, 0, 2, 0, math.Log(0.5)}); err != nil {
		t.Fatal(err)
	}
	y, err := net.Predict([]float64{1, 1})
	if err != nil {
		t.Fatal(err)
	}
	// ‖(1,1) − (1,0)‖² = 1, ‖(1,1) − (0,2)‖² = 2.
	want := []float64{math.Exp(-1), math.Exp(-0.5 * 2)}
	for i := range want {
		if math.Abs(y[i]-want[i]) > 1e-15 {
			t.Errorf("y = %v, want %v", y, want)
		}
	}
}

func TestInvalid(t *testing.T) {
	for _, l := range []rbf.Layer{{}, {Centers: 2, Spread: -1}, {Centers: 2, Spread: math.Inf(1)}} {
		_, err := nn.New(nn.Config{InputSize: 2, Layers: []nn.Layer{l}}, rand.New(rand.NewPCG(1, 2)))
		if !errors.Is(err, nn.ErrInvalidNetwork) {
			t.Errorf("%+v: %v, want ErrInvalidNetwork", l, err)
		}
	}
	if err := nn.RegisterLayerType[rbf.Layer](rbf.Kind); !errors.Is(err, nn.ErrRegistry) {
		t.Errorf("second registration: %v, want ErrRegistry", err)
	}
}
