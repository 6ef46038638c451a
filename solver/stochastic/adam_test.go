package stochastic

import (
	"errors"
	"math"
	"math/rand/v2"
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

// TestAdamVectorMatchesLoop: Step, which takes pairs of elements with
// packed instructions where it can, ends bit for bit where the Go loop
// alone ends, over five steps on every length up to 9 and on 321, with
// gradients of many scales, zeros and subnormals.
func TestAdamVectorMatchesLoop(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	grads := func(n int) []float64 {
		g := make([]float64, n)
		for i := range g {
			switch r.IntN(5) {
			case 0:
				g[i] = 0
			case 1:
				g[i] = 5e-324 * float64(r.IntN(9)-4)
			default:
				g[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(40)-20))
			}
		}
		return g
	}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 321} {
		opts := DefaultAdamOptions()
		opts.LearningRate = 0.01
		a, err := NewAdam(n, opts)
		if err != nil {
			t.Fatal(err)
		}
		ref, _ := NewAdam(n, opts)
		x := grads(n)
		xr := append([]float64(nil), x...)
		for step := 1; step <= 5; step++ {
			g := grads(n)
			if err := a.Step(x, g); err != nil {
				t.Fatal(err)
			}
			ref.t++
			c := ref.coefficients()
			adamLoop(xr, g, ref.m, ref.v, &c)
			for i := range x {
				if math.Float64bits(x[i]) != math.Float64bits(xr[i]) || math.Float64bits(a.m[i]) != math.Float64bits(ref.m[i]) || math.Float64bits(a.v[i]) != math.Float64bits(ref.v[i]) {
					t.Fatalf("n = %d, step %d, element %d: x, m, v = %v, %v, %v; the Go loop gives %v, %v, %v", n, step, i, x[i], a.m[i], a.v[i], xr[i], ref.m[i], ref.v[i])
				}
			}
		}
	}
}

// BenchmarkAdamStep times a step on 321 values (examples/hybrid's
// network) with Step, which takes pairs with packed instructions where it
// can, beside the Go loop alone on the same values.
//
//	go test -run XXX -bench AdamStep ./solver/stochastic
func BenchmarkAdamStep(b *testing.B) {
	const n = 321
	a, err := NewAdam(n, DefaultAdamOptions())
	if err != nil {
		b.Fatal(err)
	}
	x, g := make([]float64, n), make([]float64, n)
	for i := range g {
		g[i] = float64(i%7) - 3
	}
	b.Run("Step", func(b *testing.B) {
		for range b.N {
			if err := a.Step(x, g); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("loop", func(b *testing.B) {
		for range b.N {
			a.t++
			c := a.coefficients()
			adamLoop(x, g, a.m, a.v, &c)
		}
	})
}
