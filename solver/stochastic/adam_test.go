package stochastic

import (
	"errors"
	"math"
	"testing"
)

// TestAdamMatchesPyTorch: three steps with given gradients end where
// torch.optim.Adam(lr=0.1) ends (PyTorch 1.13, float64, default betas and
// eps), bit for bit: Step performs torch's operations in torch's order.
func TestAdamMatchesPyTorch(t *testing.T) {
	opts := DefaultAdamOptions()
	opts.LearningRate = 0.1
	a, err := NewAdam(3, opts)
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1, -2, 0.5}
	for _, g := range [][]float64{{0.3, -1, 2}, {0.1, 0.5, -4}, {-0.2, 0, 1}} {
		if err := a.Step(x, g); err != nil {
			t.Fatal(err)
		}
	}
	want := []float64{0.79017109101043, -1.8527783673314504, 0.45027941934124416}
	for i := range x {
		if x[i] != want[i] {
			t.Errorf("x[%d] = %.17g, want %.17g", i, x[i], want[i])
		}
	}
	if a.Steps() != 3 {
		t.Errorf("Steps() = %d, want 3", a.Steps())
	}
}

// TestAdamMinimises: on f(x) = ½ Σ d_i x_i² with curvatures 1 to 100, the
// loss falls below a millionth of its start (measured: 1e-9 after 2000
// steps of α = 0.01).
func TestAdamMinimises(t *testing.T) {
	d := []float64{1, 10, 100}
	x, g := []float64{1, -1, 1}, make([]float64, 3)
	f := func() float64 {
		s := 0.0
		for i := range x {
			g[i] = d[i] * x[i]
			s += 0.5 * d[i] * x[i] * x[i]
		}
		return s
	}
	opts := DefaultAdamOptions()
	opts.LearningRate = 0.01
	a, err := NewAdam(3, opts)
	if err != nil {
		t.Fatal(err)
	}
	f0 := f()
	for range 2000 {
		f()
		if err := a.Step(x, g); err != nil {
			t.Fatal(err)
		}
	}
	if got := f(); !(got < f0*1e-6) {
		t.Errorf("loss after 2000 steps %g, want below %g", got, f0*1e-6)
	}
}

func TestAdamErrors(t *testing.T) {
	mod := func(f func(*AdamOptions)) AdamOptions {
		o := DefaultAdamOptions()
		f(&o)
		return o
	}
	for _, tt := range []struct {
		option string
		opts   AdamOptions
	}{
		{"LearningRate", mod(func(o *AdamOptions) { o.LearningRate = 0 })},
		{"LearningRate", mod(func(o *AdamOptions) { o.LearningRate = math.Inf(1) })},
		{"LearningRate", mod(func(o *AdamOptions) { o.LearningRate = math.NaN() })},
		{"Beta1", mod(func(o *AdamOptions) { o.Beta1 = 1 })},
		{"Beta2", mod(func(o *AdamOptions) { o.Beta2 = -0.1 })},
		{"Epsilon", mod(func(o *AdamOptions) { o.Epsilon = 0 })},
	} {
		_, err := NewAdam(2, tt.opts)
		var oe *OptionError
		if !errors.As(err, &oe) || oe.Option != tt.option || !errors.Is(err, ErrInvalidOption) {
			t.Errorf("%+v: error %v, want an *OptionError for %s", tt.opts, err, tt.option)
		}
	}
	if _, err := NewAdam(0, DefaultAdamOptions()); !errors.Is(err, ErrDimension) {
		t.Errorf("NewAdam(0): error %v, want ErrDimension", err)
	}
	a, err := NewAdam(2, DefaultAdamOptions())
	if err != nil {
		t.Fatal(err)
	}
	x := []float64{1, 2}
	if err := a.Step(x, []float64{1}); !errors.Is(err, ErrDimension) || x[0] != 1 || x[1] != 2 || a.Steps() != 0 {
		t.Errorf("Step with a short gradient: error %v, x %v, %d steps; want ErrDimension, x unchanged, 0 steps", err, x, a.Steps())
	}
	var nilAdam *Adam
	if err := nilAdam.Step(x, x); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("nil Adam: error %v, want ErrInvalidOption", err)
	}
}

// TestAdamAllocations: a step allocates nothing.
func TestAdamAllocations(t *testing.T) {
	a, err := NewAdam(100, DefaultAdamOptions())
	if err != nil {
		t.Fatal(err)
	}
	x, g := make([]float64, 100), make([]float64, 100)
	for i := range g {
		g[i] = float64(i) - 50
	}
	if n := testing.AllocsPerRun(10, func() { _ = a.Step(x, g) }); n != 0 {
		t.Errorf("%v allocations per step, want 0", n)
	}
}
