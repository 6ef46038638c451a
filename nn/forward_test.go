package nn_test

import (
	"errors"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

func TestForwardErrors(t *testing.T) {
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	g := gorgonia.NewGraph()
	tests := []struct {
		name string
		x    *gorgonia.Node
		want error
	}{
		{"nil", nil, nn.ErrGraph},
		{"wrong width", gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(3, 5)), nn.ErrShape},
		{"vector", gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(4)), nn.ErrShape},
		{"wrong dtype", gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(3, 4)), nn.ErrShape},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := net.Forward(tt.x, nn.ForwardOptions{}); !errors.Is(err, tt.want) {
				t.Errorf("Forward: %v, want %v", err, tt.want)
			}
		})
	}
}

// TestForwardInputGradient differentiates with respect to the input as
// well as the learnables when asked to, and checks that gradient.
func TestForwardInputGradient(t *testing.T) {
	net := mustNet(t, 3, []nn.Layer{nn.FullyConnected{OutputSize: 4}, nn.Tanh{}, nn.FullyConnected{OutputSize: 2}, nn.Softmax{}}, tensor.Float64, 1)
	for _, inputGrad := range []bool{false, true} {
		g := gorgonia.NewGraph()
		x := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("x"),
			gorgonia.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, -1, 0.5, 0}))))
		fw, err := net.Forward(x, nn.ForwardOptions{InputGradient: inputGrad})
		if err != nil {
			t.Fatal(err)
		}
		cost := gorgonia.Must(gorgonia.Sum(gorgonia.Must(gorgonia.Square(fw.Logits))))
		params := append([]*gorgonia.Node{x}, fw.Learnables...)
		ev, err := autodiff.New(autodiff.Graph{Cost: cost, Params: params}, autodiff.Options{})
		if !inputGrad {
			if !errors.Is(err, autodiff.ErrInvalidGraph) {
				t.Errorf("gradient with respect to a data input: %v, want ErrInvalidGraph", err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		p := append([]float64{1, 2, 3, -1, 0.5, 0}, net.Flat()...)
		opts := autodiff.DefaultCheckOptions()
		opts.Rand = newRand(1)
		res, err := autodiff.CheckGradient(ev.Evaluate, p, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.MaxRelativeError > 1e-6 {
			t.Errorf("%v", res)
		}
	}
}
