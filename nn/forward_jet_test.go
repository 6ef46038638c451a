package nn_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// TestForwardDerivatives checks a network's ForwardDerivatives against
// central differences of Predict in the inputs: u_x and u_t to 1e-7, u_xx
// and u_xt (second differences, h = 1e-3) to 1e-5 relative.
func TestForwardDerivatives(t *testing.T) {
	block := nn.Residual{Layers: []nn.Layer{nn.FullyConnected{OutputSize: 4}, nn.Tanh{}, nn.FullyConnected{OutputSize: 6}}}
	for _, act := range []nn.Layer{nn.Tanh{}, nn.Sigmoid{}, nn.Softplus{}, nn.Swish{}, nn.GELU{}, nn.ELU{}, wave{}, block} {
		t.Run(fmt.Sprintf("%T", act), func(t *testing.T) {
			net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 6}, act, nn.FullyConnected{OutputSize: 6}, act, nn.FullyConnected{OutputSize: 1}}, tensor.Float64, 7)
			x := []float64{0.3, -0.4, -0.8, 0.1, 0.55, 0.9}
			g := gorgonia.NewGraph()
			xn := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 2), gorgonia.WithName("x"),
				gorgonia.WithValue(tensor.New(tensor.WithShape(3, 2), tensor.WithBacking(append([]float64(nil), x...)))))
			dn, err := net.ForwardDerivatives(xn, nn.Derivatives{First: []int{0, 1}, Second: [][2]int{{0, 0}, {0, 1}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			nodes := append([]*gorgonia.Node{dn.Output}, append(dn.First, dn.Second...)...)
			vals := make([]gorgonia.Value, len(nodes))
			for i, n := range nodes {
				gorgonia.Read(n, &vals[i])
			}
			vm := gorgonia.NewTapeMachine(g)
			defer vm.Close()
			if err := vm.RunAll(); err != nil {
				t.Fatal(err)
			}
			u := func(dx, dt float64) []float64 {
				xs := append([]float64(nil), x...)
				for r := 0; r < 3; r++ {
					xs[2*r] += dx
					xs[2*r+1] += dt
				}
				y, err := net.Predict(xs)
				if err != nil {
					t.Fatal(err)
				}
				return y
			}
			const h, h2 = 1e-5, 1e-3
			up, um, tp, tm, u0 := u(h, 0), u(-h, 0), u(0, h), u(0, -h), u(0, 0)
			xp2, xm2 := u(h2, 0), u(-h2, 0)
			pp, pm, mp, mm := u(h2, h2), u(h2, -h2), u(-h2, h2), u(-h2, -h2)
			for r := 0; r < 3; r++ {
				want := [][2]float64{
					{u0[r], 1e-12},
					{(up[r] - um[r]) / (2 * h), 1e-7},
					{(tp[r] - tm[r]) / (2 * h), 1e-7},
					{(xp2[r] - 2*u0[r] + xm2[r]) / (h2 * h2), 1e-5},
					{(pp[r] - pm[r] - mp[r] + mm[r]) / (4 * h2 * h2), 1e-5},
				}
				for k, w := range want {
					got := vals[k].(*tensor.Dense).Float64s()[r]
					if math.Abs(got-w[0]) > w[1]*max(1, math.Abs(w[0])) {
						t.Errorf("row %d, channel %d: %.10g, finite differences %.10g", r, k, got, w[0])
					}
				}
			}
			// a second batch shares the learnable nodes
			x0 := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 2), gorgonia.WithName("x0"),
				gorgonia.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{0, 0, 1, 1}))))
			d0, err := net.ForwardDerivatives(x0, nn.Derivatives{}, dn.Learnables)
			if err != nil {
				t.Fatal(err)
			}
			if d0.Learnables[0] != dn.Learnables[0] || len(d0.First) != 0 {
				t.Errorf("second batch: learnables not shared, or unexpected derivatives")
			}
		})
	}
}

// TestForwardDerivativesErrors checks the errors of bad requests.
func TestForwardDerivativesErrors(t *testing.T) {
	net := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 3}, nn.Softmax{}}, tensor.Float64, 1)
	g := gorgonia.NewGraph()
	x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(4, 2), gorgonia.WithName("x"))
	for name, c := range map[string]struct {
		d    nn.Derivatives
		want error
	}{
		"input out of range": {nn.Derivatives{First: []int{2}}, nn.ErrInvalidOption},
		"negative input":     {nn.Derivatives{Second: [][2]int{{0, -1}}}, nn.ErrInvalidOption},
		"duplicate first":    {nn.Derivatives{First: []int{1, 1}}, nn.ErrInvalidOption},
		"duplicate pair":     {nn.Derivatives{Second: [][2]int{{0, 1}, {1, 0}}}, nn.ErrInvalidOption},
		"softmax":            {nn.Derivatives{First: []int{0}}, nn.ErrInvalidNetwork},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := net.ForwardDerivatives(x, c.d, nil)
			if !errors.Is(err, c.want) {
				t.Errorf("error %v, want %v", err, c.want)
			}
		})
	}
	if _, err := net.ForwardDerivatives(nil, nn.Derivatives{}, nil); !errors.Is(err, nn.ErrGraph) {
		t.Errorf("nil x: error %v, want ErrGraph", err)
	}
	if _, err := net.ForwardDerivatives(x, nn.Derivatives{}, make([]*gorgonia.Node, 1)); !errors.Is(err, nn.ErrShape) {
		t.Errorf("wrong learnables: error %v, want ErrShape", err)
	}
}
