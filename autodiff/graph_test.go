package autodiff_test

import (
	"errors"
	"fmt"
	"hash"
	"strings"
	"testing"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

func TestNewErrors(t *testing.T) {
	other := curveGraph(t, curveT, curveY, tensor.Float64)
	tests := []struct {
		name  string
		graph func() autodiff.Graph
	}{
		{"nil cost", func() autodiff.Graph { return autodiff.Graph{} }},
		{"vector cost", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Cost = g.Outputs[0]
			return g
		}},
		{"no parameters", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Params = nil
			return g
		}},
		{"nil parameter", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Params[1] = nil
			return g
		}},
		{"parameter of another graph", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Params[1] = other.Params[1]
			return g
		}},
		{"duplicate parameter", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Params[2] = g.Params[0]
			return g
		}},
		{"parameter is an op", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Params[0] = g.Outputs[0]
			return g
		}},
		{"parameter without value", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			p := gorgonia.NewScalar(g.Cost.Graph(), tensor.Float64, gorgonia.WithName("unbound"))
			g.Params = append(g.Params, p)
			return g
		}},
		{"parameter not affecting the cost", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			p := gorgonia.NewScalar(g.Cost.Graph(), tensor.Float64, gorgonia.WithName("unused"), gorgonia.WithValue(1.0))
			g.Params = append(g.Params, p)
			return g
		}},
		{"nil output", func() autodiff.Graph {
			g := curveGraph(t, curveT, curveY, tensor.Float64)
			g.Outputs = append(g.Outputs, nil)
			return g
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := autodiff.New(tt.graph(), autodiff.Options{})
			if !errors.Is(err, autodiff.ErrInvalidGraph) || ev != nil {
				t.Errorf("New: %v, %v; want nil, ErrInvalidGraph", ev, err)
			}
		})
	}
}

func TestNewShardedErrors(t *testing.T) {
	g := func() autodiff.Graph { return curveGraph(t, curveT, curveY, tensor.Float64) }
	fewer := func() autodiff.Graph {
		x := g()
		x.Params = x.Params[:2]
		return x
	}
	noOutputs := func() autodiff.Graph {
		x := g()
		x.Outputs = nil
		return x
	}
	same := g()
	tests := []struct {
		name   string
		graphs []autodiff.Graph
	}{
		{"no graphs", nil},
		{"different parameter counts", []autodiff.Graph{g(), fewer()}},
		{"different output counts", []autodiff.Graph{g(), noOutputs()}},
		{"same graph twice", []autodiff.Graph{same, same}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := autodiff.NewSharded(tt.graphs, autodiff.Options{}); !errors.Is(err, autodiff.ErrInvalidGraph) {
				t.Errorf("NewSharded: %v, want ErrInvalidGraph", err)
			}
		})
	}
}

// failOp is an identity op whose Do fails, to check that Evaluate
// returns gorgonia's failures as errors.
type failOp struct{}

func (op failOp) Arity() int { return 1 }
func (op failOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}
func (op failOp) InferShape(ds ...gorgonia.DimSizer) (tensor.Shape, error) {
	return ds[0].(tensor.Shape).Clone(), nil
}
func (op failOp) Do(...gorgonia.Value) (gorgonia.Value, error) {
	return nil, errors.New("failOp failed")
}
func (op failOp) ReturnsPtr() bool      { return false }
func (op failOp) CallsExtern() bool     { return false }
func (op failOp) OverwritesInput() int  { return -1 }
func (op failOp) WriteHash(h hash.Hash) { fmt.Fprint(h, "failOp") }
func (op failOp) Hashcode() uint32      { return 1 }
func (op failOp) String() string        { return "failOp" }
func (op failOp) DiffWRT(int) []bool    { return []bool{true} }
func (op failOp) SymDiff(_ gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	return gorgonia.Nodes{grad}, nil
}

func TestEvaluateGorgoniaFailure(t *testing.T) {
	g := gorgonia.NewGraph()
	p := gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName("p"), gorgonia.WithValue(1.0))
	cost := gorgonia.Must(gorgonia.ApplyOp(failOp{}, p))
	ev, err := autodiff.New(autodiff.Graph{Cost: cost, Params: []*gorgonia.Node{p}}, autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // the evaluator stays usable after a failure
		_, _, err = ev.Evaluate([]float64{2}, make([]float64, 1))
		if !errors.Is(err, autodiff.ErrRun) || !strings.Contains(err.Error(), "failOp failed") {
			t.Errorf("Evaluate: %v, want ErrRun with failOp's error", err)
		}
	}
}
