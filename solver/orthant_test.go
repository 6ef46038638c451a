package solver

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestPseudoGradient(t *testing.T) {
	for _, tc := range []struct {
		name         string
		x, g, lambda float64
		want         float64
	}{
		{"positive", 2, 0.5, 1, 1.5},
		{"negative", -2, 0.5, 1, -0.5},
		{"zero, pushed right", 0, -3, 1, -2},
		{"zero, pushed left", 0, 3, 1, 2},
		{"zero, inside the subdifferential", 0, 0.7, 1, 0},
		{"zero, at the edge", 0, -1, 1, 0},
		{"smooth coordinate", 0, 0.7, 0, 0.7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pg := []float64{math.NaN()}
			pseudoGradient(pg, []float64{tc.x}, []float64{tc.g}, []float64{tc.lambda})
			if pg[0] != tc.want {
				t.Errorf("pseudo-gradient = %v, want %v", pg[0], tc.want)
			}
		})
	}
}

// The pseudo-gradient is the steepest-descent element: −pg_i is, per
// coordinate, the negative of the one-sided derivative of F in the direction
// that decreases F fastest, checked by finite differences of F.
func TestPseudoGradientIsDirectionalDerivative(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	const h = 1e-7
	for trial := 0; trial < 200; trial++ {
		x, g, lambda := make([]float64, 1), make([]float64, 1), make([]float64, 1)
		if rng.IntN(2) == 0 {
			x[0] = rng.NormFloat64()
		}
		g[0], lambda[0] = rng.NormFloat64(), rng.Float64()
		// F(x + t) ≈ F(x) + t·g + λ|x + t|, the linearised objective.
		F := func(t float64) float64 { return t*g[0] + lambda[0]*math.Abs(x[0]+t) }
		right := (F(h) - F(0)) / h
		left := (F(0) - F(-h)) / h
		want := 0.0 // 0 ∈ ∂F: no descending side
		if right < 0 {
			want = right
		} else if left > 0 {
			want = left
		}
		pg := make([]float64, 1)
		pseudoGradient(pg, x, g, lambda)
		if math.Abs(pg[0]-want) > 1e-6 {
			t.Fatalf("x=%v g=%v λ=%v: pseudo-gradient %v, finite differences %v", x[0], g[0], lambda[0], pg[0], want)
		}
	}
}

func TestOrthantAlignAndProject(t *testing.T) {
	lambda := []float64{1, 1, 1, 0, 1}
	x := []float64{1, 0, -2, 0, 0}
	pg := []float64{0.5, -1, 0.5, 2, 0}
	d := []float64{-1, 2, 1, 3, 0.5}
	// d[2] = 1 agrees in sign with pg[2] = 0.5 (an ascent): zeroed; d[3] is smooth: kept.
	gd := alignDirection(d, pg, lambda)
	if want := []float64{-1, 2, 0, 3, 0}; !slices.Equal(d, want) {
		t.Errorf("aligned direction %v, want %v", d, want)
	}
	if gd != -0.5-2+6 {
		t.Errorf("pgᵀd = %v, want %v", gd, -0.5-2+6)
	}
	xi := make([]float64, 5)
	orthantSigns(xi, x, pg)
	if want := []float64{1, 1, -1, -1, 0}; !slices.Equal(xi, want) {
		t.Errorf("orthant %v, want %v", xi, want)
	}
	trial := []float64{-0.5, 0.3, 0.2, -7, 1}
	projectOrthant(trial, xi, lambda)
	if want := []float64{0, 0.3, 0, -7, 0}; !slices.Equal(trial, want) {
		t.Errorf("projected %v, want %v", trial, want)
	}
	if got := l1Penalty([]float64{1, -2, 3}, []float64{1, 0.5, 0}); got != 2 {
		t.Errorf("l1Penalty = %v, want 2", got)
	}
	if got := zeroCount([]float64{0, 0, 1}, []float64{1, 0, 1}); got != 1 {
		t.Errorf("zeroCount = %v, want 1 (a zero smooth coordinate does not count)", got)
	}
}
