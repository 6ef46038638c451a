package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// For a linear network with the mean squared error the Hessian is known:
// F = (1/(N·K)) Σ ‖XW + 1bᵀ − T‖², so ∇²F·(V, c) = (2/(N·K))·(Xᵀ·R, 1ᵀ·R)
// with R = XV + 1cᵀ. HessianVectorRows must match it on a row subset, to
// about the unit roundoff^(2/3) of the dtype.
func TestHessianVectorRowsExact(t *testing.T) {
	const in, out, rows = 5, 3, 40
	for _, tc := range []struct {
		dtype tensor.Dtype
		tol   float64 // relative: float64 ε^{2/3} ≈ 4e-11, float32 ≈ 4e-5, with margin
	}{{tensor.Float64, 1e-8}, {tensor.Float32, 2e-3}} {
		t.Run(tc.dtype.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(4, 5))
			net, err := nn.New(nn.Config{InputSize: in, Layers: []nn.Layer{&nn.FullyConnected{OutputSize: out}}, Dtype: tc.dtype}, rng)
			if err != nil {
				t.Fatal(err)
			}
			x, tg := make([]float64, rows*in), make([]float64, rows*out)
			for i := range x {
				x[i] = rng.NormFloat64()
			}
			for i := range tg {
				tg[i] = rng.NormFloat64()
			}
			obj, err := net.NewObjective(x, tg, nn.ObjectiveOptions{Loss: nn.MeanSquaredError})
			if err != nil {
				t.Fatal(err)
			}
			p := net.NumLearnables() // W (in×out, row-major) then b (out)
			w, v := net.Flat(), make([]float64, p)
			for i := range v {
				v[i] = rng.NormFloat64()
			}
			subset := []int{1, 4, 9, 16, 25, 36}
			hv := make([]float64, p)
			if err := obj.HessianVectorRows(subset, w, v, hv); err != nil {
				t.Fatal(err)
			}
			want := make([]float64, p)
			scale := 2 / float64(len(subset)*out)
			for _, r := range subset {
				xr := x[r*in : (r+1)*in]
				for j := range out {
					// R_rj = x_rᵀ V_{·j} + c_j
					rj := v[in*out+j]
					for k := range in {
						rj += xr[k] * v[k*out+j]
					}
					for k := range in {
						want[k*out+j] += scale * xr[k] * rj
					}
					want[in*out+j] += scale * rj
				}
			}
			var diff, norm float64
			for i := range want {
				diff = math.Max(diff, math.Abs(hv[i]-want[i]))
				norm = math.Max(norm, math.Abs(want[i]))
			}
			if diff > tc.tol*norm {
				t.Errorf("max |Hv − exact| = %.3g, %.3g relative; want <= %g", diff, diff/norm, tc.tol)
			}
			if err := obj.HessianVectorRows(subset, w[:p-1], v, hv); err == nil {
				t.Error("x of the wrong length: no error")
			}
		})
	}
}
