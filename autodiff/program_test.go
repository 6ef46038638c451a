package autodiff_test

import (
	"errors"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// TestProgram runs y = a·b + a for rebound inputs: each Run reads the
// values bound at that moment, and nodes the result does not need have no
// value.
func TestProgram(t *testing.T) {
	g := gorgonia.NewGraph()
	a := gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName("a"), gorgonia.WithValue(2.0))
	b := gorgonia.NewScalar(g, tensor.Float64, gorgonia.WithName("b"), gorgonia.WithValue(3.0))
	y := gorgonia.Must(gorgonia.Add(gorgonia.Must(gorgonia.Mul(a, b)), a))
	unused := gorgonia.Must(gorgonia.Sub(a, b))
	p, err := autodiff.NewProgram(y)
	if err != nil {
		t.Fatal(err)
	}
	if v := p.Value(y); v != nil {
		t.Errorf("Value before Run = %v, want nil", v)
	}
	for _, tt := range []struct{ a, b, want float64 }{{2, 3, 8}, {-1, 5, -6}, {2, 3, 8}} {
		if err := gorgonia.Let(a, tt.a); err != nil {
			t.Fatal(err)
		}
		if err := gorgonia.Let(b, tt.b); err != nil {
			t.Fatal(err)
		}
		if err := p.Run(); err != nil {
			t.Fatal(err)
		}
		if got := p.Value(y).Data().(float64); got != tt.want {
			t.Errorf("a = %v, b = %v: y = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
	if v := p.Value(unused); v != nil {
		t.Errorf("Value of a node the result does not need = %v, want nil", v)
	}
}

func TestProgramErrors(t *testing.T) {
	g1, g2 := gorgonia.NewGraph(), gorgonia.NewGraph()
	a := gorgonia.NewScalar(g1, tensor.Float64, gorgonia.WithName("a"), gorgonia.WithValue(1.0))
	b := gorgonia.NewScalar(g2, tensor.Float64, gorgonia.WithName("b"), gorgonia.WithValue(1.0))
	for name, results := range map[string][]*gorgonia.Node{
		"no results": nil,
		"nil result": {a, nil},
		"two graphs": {a, b},
		"nil first":  {nil},
	} {
		if _, err := autodiff.NewProgram(results...); !errors.Is(err, autodiff.ErrInvalidGraph) {
			t.Errorf("%s: error %v, want ErrInvalidGraph", name, err)
		}
	}
	var nilProgram *autodiff.Program
	if err := nilProgram.Run(); !errors.Is(err, autodiff.ErrInvalidGraph) {
		t.Errorf("nil Program: Run error %v, want ErrInvalidGraph", err)
	}
	// An input with no value bound fails at Run, naming it.
	c := gorgonia.NewScalar(g1, tensor.Float64, gorgonia.WithName("unbound"))
	p, err := autodiff.NewProgram(gorgonia.Must(gorgonia.Add(a, c)))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Run(); !errors.Is(err, autodiff.ErrRun) {
		t.Errorf("unbound input: Run error %v, want ErrRun", err)
	}
}
