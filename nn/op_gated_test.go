package nn

import (
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// gatedGraph returns the gradient graph of Σ Z for Z = Dense(Y) (twice,
// summed, when twice is set), Y = DenseReLU(X), on 8 rows, widths 16 → 32
// → 4.
func gatedGraph(t *testing.T, twice bool) *gorgonia.ExprGraph {
	t.Helper()
	g := gorgonia.NewGraph()
	mat := func(name string, r, c int) *gorgonia.Node {
		return gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(r, c), gorgonia.WithName(name), gorgonia.WithInit(gorgonia.Ones()))
	}
	vec := func(name string, n int) *gorgonia.Node {
		return gorgonia.NewVector(g, tensor.Float32, gorgonia.WithShape(n), gorgonia.WithName(name), gorgonia.WithInit(gorgonia.Ones()))
	}
	x, w1, b1, w2, b2 := mat("x", 8, 16), mat("w1", 16, 32), vec("b1", 32), mat("w2", 32, 4), vec("b2", 4)
	y := gorgonia.Must(gorgonia.ApplyOp(&denseActOp{opBase: newOpBase(), act: activation{kind: actReLU}, name: "DenseReLU"}, x, w1, b1))
	z := gorgonia.Must(gorgonia.ApplyOp(&denseOp{opBase: newOpBase(), inputGrad: true}, y, w2, b2))
	if twice {
		z2 := gorgonia.Must(gorgonia.ApplyOp(&denseOp{opBase: newOpBase(), inputGrad: true}, y, w2, b2))
		z = gorgonia.Must(gorgonia.Add(z, z2))
	}
	if _, err := gorgonia.Grad(gorgonia.Must(gorgonia.Sum(z)), w1, b1, w2, b2); err != nil {
		t.Fatal(err)
	}
	return g
}

// hasGated reports whether g holds a gatedBackOp.
func hasGated(g *gorgonia.ExprGraph) bool {
	for _, n := range g.AllNodes() {
		if _, ok := n.Op().(*gatedBackOp); ok {
			return true
		}
	}
	return false
}

// TestGatedBackChosen checks that the backward pass of a dense layer with
// few outputs over a fused ReLU layer is the one-pass op where the
// processor has AVX-512, and that it is not when another op reads the
// ReLU layer's output too (the gradients of Y then add up, and dZ′ must
// be gated after the sum).
func TestGatedBackChosen(t *testing.T) {
	if got := hasGated(gatedGraph(t, false)); got != haveBack {
		t.Errorf("one reader: gatedBackOp %t, want %t", got, haveBack)
	}
	if hasGated(gatedGraph(t, true)) {
		t.Error("two readers: gatedBackOp in the graph")
	}
}
