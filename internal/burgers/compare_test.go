package burgers

import (
	"math"
	"testing"
)

// TestCompare checks the error figures on predictions with known errors:
// the exact solution itself (0), and u scaled by 1.1 on every slice (0.1
// everywhere, the 2-norm being homogeneous).
func TestCompare(t *testing.T) {
	e, err := NewExact(Nu, DefaultHermiteNodes)
	if err != nil {
		t.Fatal(err)
	}
	g := NewGrid(e)
	if n := len(g.Inputs()); n != 2*4*SliceSize {
		t.Fatalf("%d input values, want %d", n, 2*4*SliceSize)
	}
	var exact, scaled []float64
	for _, row := range g.Exact {
		for _, u := range row {
			exact = append(exact, u)
			scaled = append(scaled, 1.1*u)
		}
	}
	for name, c := range map[string]struct {
		pred []float64
		want float64
	}{"exact": {exact, 0}, "scaled": {scaled, 0.1}} {
		got, err := g.Compare(c.pred)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range append(got.Slices, got.Matrix) {
			if math.Abs(v-c.want) > 1e-12 {
				t.Errorf("%s: figure %d = %v, want %v", name, k, v, c.want)
			}
		}
	}
	// one slice off by δ at one point: the matrix figure is δ/σ_max(U)
	pred := append([]float64(nil), exact...)
	pred[3*SliceSize+500] += 0.5
	got, err := g.Compare(pred)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slices[0] != 0 || got.Slices[3] == 0 || got.Matrix >= got.Slices[3] {
		t.Errorf("one point off: %+v", got)
	}
	if _, err := g.Compare(exact[1:]); err == nil {
		t.Error("short prediction: no error")
	}
}
