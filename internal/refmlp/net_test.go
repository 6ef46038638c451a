package refmlp

import (
	"errors"
	"math"
	"testing"
)

func TestLossGradHandComputed(t *testing.T) {
	// A single linear layer (sizes [2, 2]) with zero parameters: both classes
	// get probability 1/2, so the loss is ln 2 and ∂loss/∂Z = (p − y)/B with
	// B = 2 is [[-1/4, 1/4], [1/4, -1/4]]. dW = Xᵀ·∂Z with X = [[1, 2],
	// [3, 4]]: dW[0][0] = 1·(−1/4) + 3·(1/4) = 1/2, and so on; db sums to 0.
	net, err := New[float64]([]int{2, 2}, 2)
	if err != nil {
		t.Fatal(err)
	}
	params := make([]float64, net.NumParams())
	grad := make([]float64, net.NumParams())
	loss, err := net.LossGrad(params, []float64{1, 2, 3, 4}, []int{0, 1}, grad)
	if err != nil {
		t.Fatal(err)
	}
	if want := math.Ln2; math.Abs(loss-want) > 1e-15 {
		t.Errorf("loss = %v, want ln 2 = %v", loss, want)
	}
	wantGrad := []float64{0.5, -0.5, 0.5, -0.5, 0, 0}
	if !closeSlices(grad, wantGrad, 1e-15) {
		t.Errorf("grad = %v, want %v", grad, wantGrad)
	}
}

func TestLossGradHandComputedHidden(t *testing.T) {
	// sizes [1, 1, 2], one row x = 2, label 0. Layer 1: W1 = 1.5, b1 = −1, so
	// a = 2, h = 2. Layer 2: W2 = [1, −1], b2 = [0, 0.5], so z = [2, −1.5].
	// With p1 = 1/(1 + e^{3.5}): loss = log(1 + e^{−3.5}), ∂z = [−p1, p1],
	// dW2 = h·∂z = [−2p1, 2p1], db2 = ∂z, ∂h = ∂z·W2ᵀ = −2p1 = ∂a (a > 0),
	// dW1 = x·∂a = −4p1, db1 = −2p1.
	p1 := 1 / (1 + math.Exp(3.5))
	tests := []struct {
		name     string
		b1       float64
		wantLoss float64
		wantGrad []float64 // W1, b1, W2 (1×2), b2
	}{
		{"active unit", -1, math.Log1p(math.Exp(-3.5)), []float64{-4 * p1, -2 * p1, -2 * p1, 2 * p1, -p1, p1}},
		// b1 = −3 makes a = 0 exactly: h = 0, z = [0, 0.5], and the ReLU
		// derivative at 0 is taken as 0, so layer 1 gets no gradient.
		// q = softmax(z)_1 = 1/(1 + e^{−0.5}).
		{"unit exactly at zero", -3, math.Log1p(math.Exp(0.5)), []float64{0, 0, 0, 0, -1 / (1 + math.Exp(-0.5)), 1 / (1 + math.Exp(-0.5))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net, err := New[float64]([]int{1, 1, 2}, 1)
			if err != nil {
				t.Fatal(err)
			}
			params := []float64{1.5, tt.b1, 1, -1, 0, 0.5}
			grad := make([]float64, net.NumParams())
			loss, err := net.LossGrad(params, []float64{2}, []int{0}, grad)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(loss-tt.wantLoss) > 1e-15 {
				t.Errorf("loss = %v, want %v", loss, tt.wantLoss)
			}
			if !closeSlices(grad, tt.wantGrad, 1e-15) {
				t.Errorf("grad = %v, want %v", grad, tt.wantGrad)
			}
		})
	}
}

func TestLossGradFiniteDifferences(t *testing.T) {
	sizes, batch := []int{3, 5, 4, 3}, 7
	net, params, x, labels := randomProblem[float64](t, sizes, batch, 1)
	grad := make([]float64, net.NumParams())
	if _, err := net.LossGrad(params, x, labels, grad); err != nil {
		t.Fatal(err)
	}
	// Central differences: truncation error O(h²) ≈ 1e-12 and rounding error
	// O(ε/h) ≈ 1e-10 for h = 1e-6, both far below the 1e-6 tolerance (the
	// float64 tolerance of the nn issue's gradient checks).
	const h, tol = 1e-6, 1e-6
	for i := range params {
		orig := params[i]
		params[i] = orig + h
		up, err := net.LossGrad(params, x, labels, nil)
		if err != nil {
			t.Fatal(err)
		}
		params[i] = orig - h
		down, err := net.LossGrad(params, x, labels, nil)
		if err != nil {
			t.Fatal(err)
		}
		params[i] = orig
		fd := (up - down) / (2 * h)
		if math.Abs(grad[i]-fd) > tol*max(1, math.Abs(fd)) {
			t.Errorf("grad[%d] = %v, central difference %v", i, grad[i], fd)
		}
	}
}

func TestLossGradMatchesNaive(t *testing.T) {
	// The iris network shape, against straightforward loops over the
	// documented parameter layout.
	sizes, batch := []int{4, 32, 32, 3}, 150
	net, params, x, labels := randomProblem[float64](t, sizes, batch, 2)
	grad := make([]float64, net.NumParams())
	loss, err := net.LossGrad(params, x, labels, grad)
	if err != nil {
		t.Fatal(err)
	}
	wantLoss, wantGrad := naiveLossGrad(sizes, params, x, labels)
	// Sums in a different order: agreement to a few ulps of the values.
	if math.Abs(loss-wantLoss) > 1e-13*math.Abs(wantLoss) {
		t.Errorf("loss = %v, naive %v", loss, wantLoss)
	}
	if !closeSlices(grad, wantGrad, 1e-12) {
		t.Errorf("gradient differs from the naive loops")
	}
}

func TestLossGradFloat32(t *testing.T) {
	sizes, batch := []int{4, 32, 32, 3}, 150
	net64, params, x, labels := randomProblem[float64](t, sizes, batch, 3)
	net32, err := New[float32](sizes, batch)
	if err != nil {
		t.Fatal(err)
	}
	grad64 := make([]float64, net64.NumParams())
	loss64, err := net64.LossGrad(params, x, labels, grad64)
	if err != nil {
		t.Fatal(err)
	}
	grad32 := make([]float32, net32.NumParams())
	loss32, err := net32.LossGrad(toFloat32(params), toFloat32(x), labels, grad32)
	if err != nil {
		t.Fatal(err)
	}
	// float32 has ε ≈ 6e-8; dot products of up to 150 terms and three layers
	// of rounding stay well within 1e-4 relative to the values' magnitude.
	const tol = 1e-4
	if math.Abs(loss32-loss64) > tol*math.Abs(loss64) {
		t.Errorf("float32 loss %v, float64 loss %v", loss32, loss64)
	}
	for i := range grad64 {
		if d := math.Abs(float64(grad32[i]) - grad64[i]); d > tol*max(1, math.Abs(grad64[i])) {
			t.Fatalf("grad[%d]: float32 %v, float64 %v", i, grad32[i], grad64[i])
		}
	}
}

func TestLossGradRepeatable(t *testing.T) {
	// Evaluating at p1, p2, p1 gives bit-identical results for the two p1
	// calls: no state leaks between calls.
	net, p1, x, labels := randomProblem[float64](t, []int{4, 8, 3}, 10, 4)
	p2 := make([]float64, len(p1))
	for i := range p2 {
		p2[i] = -2 * p1[i]
	}
	g1 := make([]float64, len(p1))
	g2 := make([]float64, len(p1))
	g3 := make([]float64, len(p1))
	l1, _ := net.LossGrad(p1, x, labels, g1)
	l2, _ := net.LossGrad(p2, x, labels, g2)
	l3, _ := net.LossGrad(p1, x, labels, g3)
	if l1 != l3 || l1 == l2 {
		t.Errorf("losses %v, %v, %v: want the first and third equal, the second different", l1, l2, l3)
	}
	for i := range g1 {
		if g1[i] != g3[i] {
			t.Fatalf("grad[%d]: %v then %v", i, g1[i], g3[i])
		}
	}
}

func TestLossGradAllocatesNothing(t *testing.T) {
	// At iris size every GEMM runs serially in gonum, so a call allocates
	// nothing (see the package documentation).
	sizes, batch := []int{4, 32, 32, 3}, 150
	net64, params, x, labels := randomProblem[float64](t, sizes, batch, 5)
	grad := make([]float64, net64.NumParams())
	if a := testing.AllocsPerRun(20, func() { net64.LossGrad(params, x, labels, grad) }); a != 0 {
		t.Errorf("float64: %v allocations per call, want 0", a)
	}
	net32, err := New[float32](sizes, batch)
	if err != nil {
		t.Fatal(err)
	}
	p32, x32, g32 := toFloat32(params), toFloat32(x), make([]float32, len(params))
	if a := testing.AllocsPerRun(20, func() { net32.LossGrad(p32, x32, labels, g32) }); a != 0 {
		t.Errorf("float32: %v allocations per call, want 0", a)
	}
}

func TestNewErrors(t *testing.T) {
	tests := []struct {
		name  string
		sizes []int
		batch int
	}{
		{"no sizes", nil, 1},
		{"one size", []int{3}, 1},
		{"zero width", []int{3, 0, 2}, 1},
		{"negative width", []int{3, -1}, 1},
		{"zero batch", []int{3, 2}, 0},
		{"huge buffer", []int{3, 1 << 20}, 1 << 20},
		{"huge layer", []int{1 << 20, 1 << 20}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New[float64](tt.sizes, tt.batch); !errors.Is(err, ErrShape) {
				t.Errorf("got %v, want ErrShape", err)
			}
		})
	}
}

func TestLossGradErrors(t *testing.T) {
	net, err := New[float64]([]int{2, 3, 2}, 2) // 2·3+3 + 3·2+2 = 17 parameters
	if err != nil {
		t.Fatal(err)
	}
	p, x, y, g := make([]float64, 17), make([]float64, 4), []int{0, 1}, make([]float64, 17)
	tests := []struct {
		name   string
		p, x   []float64
		labels []int
		g      []float64
		want   error
	}{
		{"short params", p[:16], x, y, g, ErrShape},
		{"long grad", p, x, y, make([]float64, 18), ErrShape},
		{"short x", p, x[:3], y, g, ErrShape},
		{"labels length", p, x, []int{0}, g, ErrShape},
		{"label too large", p, x, []int{0, 2}, g, ErrLabel},
		{"negative label", p, x, []int{-1, 0}, g, ErrLabel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := net.LossGrad(tt.p, tt.x, tt.labels, tt.g); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
	var zero Net[float64]
	if _, err := zero.LossGrad(nil, nil, nil, nil); !errors.Is(err, ErrShape) {
		t.Errorf("zero Net: got %v, want ErrShape", err)
	}
	if _, _, err := zero.Layer(nil, 0); !errors.Is(err, ErrShape) {
		t.Errorf("zero Net Layer: got %v, want ErrShape", err)
	}
}

func TestLayer(t *testing.T) {
	net, err := New[float64]([]int{2, 3, 1}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.NumParams(); got != 2*3+3+3*1+1 {
		t.Fatalf("NumParams() = %d, want 13", got)
	}
	params := make([]float64, 13)
	for i := range params {
		params[i] = float64(i)
	}
	w, b, err := net.Layer(params, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 3 || w[0] != 9 || len(b) != 1 || b[0] != 12 {
		t.Errorf("layer 1: weights %v, bias %v; want [9 10 11], [12]", w, b)
	}
	for _, l := range []int{-1, 2} {
		if _, _, err := net.Layer(params, l); !errors.Is(err, ErrShape) {
			t.Errorf("Layer(%d): got %v, want ErrShape", l, err)
		}
	}
	if _, _, err := net.Layer(params[:12], 0); !errors.Is(err, ErrShape) {
		t.Errorf("short params: got %v, want ErrShape", err)
	}
	if s := net.Sizes(); len(s) != 3 || net.Batch() != 1 {
		t.Errorf("Sizes() = %v, Batch() = %d", s, net.Batch())
	}
}
