package nn_test

import (
	"errors"
	"math"
	"os"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// useBLAS switches nn to backend b for the rest of the test and restores
// the backend in use before. OpenBLAS missing skips the test, unless
// LBFGSNET_BLAS=openblas asks for it (as .ci/run does): then it fails.
func useBLAS(t *testing.T, b nn.BLASBackend) {
	t.Helper()
	before, _ := nn.BLAS()
	if err := nn.UseBLAS(b); err != nil {
		if os.Getenv("LBFGSNET_BLAS") == "openblas" {
			t.Fatalf("UseBLAS(%v) with LBFGSNET_BLAS=openblas: %v", b, err)
		}
		t.Skipf("UseBLAS(%v): %v", b, err)
	}
	t.Cleanup(func() {
		if err := nn.UseBLAS(before.Backend); err != nil {
			t.Errorf("restoring BLAS %v: %v", before.Backend, err)
		}
	})
}

// evalOn returns the loss and gradient of net's objective on (x, y) with
// the products on backend b.
func evalOn(t *testing.T, b nn.BLASBackend, net *nn.Network, x, y []float64, opts nn.ObjectiveOptions) (float64, []float64) {
	t.Helper()
	useBLAS(t, b)
	ev, _ := evaluator(t, net, x, y, opts)
	g := make([]float64, len(net.Flat()))
	loss, _, err := ev.Evaluate(net.Flat(), g)
	if err != nil {
		t.Fatal(err)
	}
	return loss, g
}

// blasTolerance is the largest relative difference allowed between the
// backends' losses and gradients (each gradient relative to its largest
// component: a component that cancels to near zero differs by the
// rounding of the terms it cancels). The backends sum each product's
// terms in a different order. A product of inner dimension k computed in
// two orders differs by at most about k·u relative to Σ|a·b| (Higham,
// Accuracy and Stability of Numerical Algorithms, 2nd ed., §3.1), u the
// unit roundoff, and typically by √k·u. Here k ≤ 150 (the weight
// gradients sum over the batch's rows). In float64 (u = 2⁻⁵³ ≈ 1.1e-16)
// that bound is 2e-14, so 1e-12 leaves room for the few layers the
// differences pass through; measured: at most 4e-16. In float32
// (u = 2⁻²⁴ ≈ 6e-8) the bound is 9e-6, hence 1e-5; measured: at most
// 1.2e-7.
func blasTolerance(dt tensor.Dtype) float64 {
	if dt == tensor.Float32 {
		return 1e-5
	}
	return 1e-12
}

// TestBLASBackendsAgree evaluates every layer and loss of the gradient
// checks (gradCases), and the iris network on iris, with OpenBLAS and with
// gonum, in float64 and float32, and compares losses and gradients.
func TestBLASBackendsAgree(t *testing.T) {
	type blasCase struct {
		gradCase
		rows, in int
	}
	var cases []blasCase
	for _, c := range gradCases() {
		cases = append(cases, blasCase{c, 40, 7})
	}
	cases = append(cases, blasCase{gradCase{name: "iris network", layers: irisLayers(), loss: nn.CrossEntropy, l2: 1e-3}, 150, 4})
	for i, c := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			t.Run(c.name+"/"+dt.String(), func(t *testing.T) {
				r := newRand(uint64(300 + i))
				x, y := randomBatch(r, c.rows, c.in, outputSize(c.layers), c.loss)
				net := mustNet(t, c.in, c.layers, dt, uint64(i))
				opts := nn.ObjectiveOptions{Loss: c.loss, L2: c.l2, Shards: c.shards}
				if c.more != nil {
					c.more(&opts, c.rows)
				}
				lossO, gO := evalOn(t, nn.OpenBLAS, net, x, y, opts)
				lossG, gG := evalOn(t, nn.GonumBLAS, net, x, y, opts)
				tol := blasTolerance(dt)
				if d := relDiff(lossO, lossG, 0); d > tol {
					t.Errorf("loss: OpenBLAS %v, gonum %v: relative difference %.3g > %g", lossO, lossG, d, tol)
				}
				scale := 0.0
				for _, v := range gG {
					scale = max(scale, math.Abs(v))
				}
				for k := range gO {
					if d := math.Abs(gO[k]-gG[k]) / scale; d > tol || math.IsNaN(d) {
						t.Errorf("gradient[%d]: OpenBLAS %v, gonum %v: difference %.3g of max |g| %.3g > %g", k, gO[k], gG[k], d, scale, tol)
					}
				}
			})
		}
	}
}

// TestBLASPredictAgree compares the network's outputs on both backends.
func TestBLASPredictAgree(t *testing.T) {
	x, _, _ := iris(t)
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			net := mustNet(t, 4, irisLayers(), dt, 5)
			var out [2][]float64
			for i, b := range []nn.BLASBackend{nn.OpenBLAS, nn.GonumBLAS} {
				useBLAS(t, b)
				var err error
				if out[i], err = net.Predict(x); err != nil {
					t.Fatal(err)
				}
			}
			for k := range out[0] {
				if d := relDiff(out[0][k], out[1][k], 1e-3); d > blasTolerance(dt) {
					t.Fatalf("output[%d]: OpenBLAS %v, gonum %v: relative difference %.3g", k, out[0][k], out[1][k], d)
				}
			}
		})
	}
}

// TestBLASInfo checks what BLAS reports after UseBLAS, and that a bad
// backend and thread count are errors.
func TestBLASInfo(t *testing.T) {
	useBLAS(t, nn.GonumBLAS)
	info, err := nn.BLAS()
	if err != nil || info.Backend != nn.GonumBLAS || info.Threads < 1 || info.Library != "" {
		t.Errorf("after UseBLAS(GonumBLAS): BLAS() = %+v, %v", info, err)
	}
	if err := nn.UseBLAS(nn.BLASBackend(99)); err == nil {
		t.Error("UseBLAS(99) = nil, want an error")
	}
	useBLAS(t, nn.OpenBLAS)
	info, err = nn.BLAS()
	if err != nil || info.Backend != nn.OpenBLAS || info.Library == "" || info.Config == "" {
		t.Errorf("after UseBLAS(OpenBLAS): BLAS() = %+v, %v", info, err)
	}
	defer func(n int) { _ = nn.SetBLASThreads(n) }(info.Threads)
	if err := nn.SetBLASThreads(2); err != nil {
		t.Fatal(err)
	}
	if info, _ := nn.BLAS(); info.Threads != 2 {
		t.Errorf("after SetBLASThreads(2): Threads = %d", info.Threads)
	}
	for _, n := range []int{0, -1, 1 << 20} {
		if err := nn.SetBLASThreads(n); err == nil || errors.Is(err, nn.ErrBLAS) {
			t.Errorf("SetBLASThreads(%d) = %v, want an invalid-setting error", n, err)
		}
	}
}
