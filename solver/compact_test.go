package solver

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randomPairs returns k curvature pairs of dimension n with sᵀy > 0, drawn
// as y = A·s for a random symmetric positive definite A (as a quadratic
// would give them), and θ = yᵀy/sᵀy of the newest pair.
func randomPairs(rng *rand.Rand, n, k int) (S, Y [][]float64, ids []int, theta float64) {
	// A = QᵀQ + I
	q := make([]float64, n*n)
	for i := range q {
		q[i] = rng.NormFloat64()
	}
	a := make([]float64, n*n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			var v float64
			for l := 0; l < n; l++ {
				v += q[l*n+i] * q[l*n+j]
			}
			if i == j {
				v++
			}
			a[i*n+j] = v
		}
	}
	for p := 0; p < k; p++ {
		s, y := make([]float64, n), make([]float64, n)
		for i := range s {
			s[i] = rng.NormFloat64()
		}
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				y[i] += a[i*n+j] * s[j]
			}
		}
		S, Y, ids = append(S, s), append(Y, y), append(ids, p+1)
	}
	theta = 1.0
	if k > 0 {
		theta = dotProduct(Y[k-1], Y[k-1]) / dotProduct(S[k-1], Y[k-1])
	}
	return S, Y, ids, theta
}

// denseBFGS returns the n×n BFGS matrix built by the direct recursion
// B ← B − B s sᵀB/(sᵀBs) + y yᵀ/(yᵀs) from B₀ = θI (Nocedal & Wright,
// eq. 6.19): the reference for the compact representation.
func denseBFGS(S, Y [][]float64, theta float64, n int) []float64 {
	b := make([]float64, n*n)
	for i := 0; i < n; i++ {
		b[i*n+i] = theta
	}
	bs := make([]float64, n)
	for p := range S {
		s, y := S[p], Y[p]
		for i := 0; i < n; i++ {
			bs[i] = dotProduct(b[i*n:(i+1)*n], s)
		}
		sbs, ys := dotProduct(s, bs), dotProduct(y, s)
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				b[i*n+j] += -bs[i]*bs[j]/sbs + y[i]*y[j]/ys
			}
		}
	}
	return b
}

// compactDense returns θI − W·M·Wᵀ as an n×n matrix, through mulM and row.
func compactDense(cb *compactBFGS, n int) []float64 {
	m := 2 * cb.k
	b := make([]float64, n*n)
	wi, mwi := make([]float64, m), make([]float64, m)
	for i := 0; i < n; i++ {
		cb.row(wi, i)
		cb.mulM(mwi, wi)
		for j := 0; j < n; j++ {
			b[i*n+j] = -cb.rowDot(j, mwi)
		}
		b[i*n+i] += cb.theta
	}
	return b
}

func maxAbsDiff(a, b []float64) float64 {
	var d float64
	for i := range a {
		d = math.Max(d, math.Abs(a[i]-b[i]))
	}
	return d
}

func maxAbs(a []float64) float64 {
	var d float64
	for _, v := range a {
		d = math.Max(d, math.Abs(v))
	}
	return d
}

func TestCompactMatchesBFGSRecursion(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, k int }{{1, 1}, {5, 1}, {6, 3}, {12, 5}, {20, 10}} {
		S, Y, ids, theta := randomPairs(rng, tc.n, tc.k)
		var cb compactBFGS
		if !cb.set(S, Y, ids, theta) {
			t.Fatalf("n=%d k=%d: factorisation failed", tc.n, tc.k)
		}
		want := denseBFGS(S, Y, theta, tc.n)
		got := compactDense(&cb, tc.n)
		if d := maxAbsDiff(got, want); d > 1e-9*maxAbs(want) {
			t.Errorf("n=%d k=%d: max |B_compact − B_recursion| = %g, want <= %g", tc.n, tc.k, d, 1e-9*maxAbs(want))
		}
	}
}

// After the history drops its oldest pair and appends a new one, the
// reused inner products must give what a fresh representation gives.
func TestCompactReusesShiftedHistory(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 9
	S, Y, ids, theta := randomPairs(rng, n, 6)
	var inc compactBFGS
	for _, w := range [][2]int{{0, 3}, {0, 4}, {1, 5}, {2, 6}, {2, 6}, {3, 6}} {
		s, y, id := S[w[0]:w[1]], Y[w[0]:w[1]], ids[w[0]:w[1]]
		var fresh compactBFGS
		if !inc.set(s, y, id, theta) || !fresh.set(s, y, id, theta) {
			t.Fatalf("window %v: factorisation failed", w)
		}
		for i := range fresh.sy {
			if inc.sy[i] != fresh.sy[i] || inc.ss[i] != fresh.ss[i] {
				t.Fatalf("window %v: reused inner products differ from fresh ones at %d", w, i)
			}
		}
	}
	// A history that was reset (new iterations only) shares nothing.
	if !inc.set(S[:2], Y[:2], []int{40, 41}, theta) {
		t.Fatal("reset history: factorisation failed")
	}
	if got, want := inc.sy[1], dotProduct(S[0], Y[1]); got != want {
		t.Errorf("after a reset sy[0][1] = %v, want %v", got, want)
	}
}

// Repeating a pair leaves a BFGS matrix unchanged (B s = y already holds),
// so the compact form of a repeated pair, whose S is rank deficient, must
// still be usable and equal to the single pair's; a pair with sᵀy <= 0 is
// refused.
func TestCompactRepeatedAndNonPositivePairs(t *testing.T) {
	s := []float64{1, 2, 3}
	y := []float64{2, 4, 6.5}
	var one, two compactBFGS
	if !one.set([][]float64{s}, [][]float64{y}, []int{1}, 1) || !two.set([][]float64{s, s}, [][]float64{y, y}, []int{1, 2}, 1) {
		t.Fatal("factorisation failed")
	}
	if d := maxAbsDiff(compactDense(&one, 3), compactDense(&two, 3)); d > 1e-12 {
		t.Errorf("repeated pair changed B by %g", d)
	}
	var bad compactBFGS
	if bad.set([][]float64{s}, [][]float64{{-2, -4, -6.5}}, []int{1}, 1) {
		t.Error("set accepted a pair with sᵀy < 0")
	}
}

func TestMaxFeasibleStep(t *testing.T) {
	inf := math.Inf(1)
	lo := []float64{0, -inf, -1, 2}
	hi := []float64{1, inf, 1, 2}
	x := []float64{0.5, 3, 1, 2}
	for _, tc := range []struct {
		name string
		d    []float64
		want float64
	}{
		{"upper first", []float64{1, 5, -1, 0}, 0.5},
		{"lower first", []float64{-0.1, 0, -4, 0}, 0.5},
		{"unbounded", []float64{0, -7, 0, 0}, inf},
		{"at bound outward", []float64{0, 0, 1, 0}, 0},
		{"fixed coordinate", []float64{0, 0, 0, 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := maxFeasibleStep(x, tc.d, lo, hi); got != tc.want {
				t.Errorf("maxFeasibleStep = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestProjectedGradientNorm(t *testing.T) {
	inf := math.Inf(1)
	lo := []float64{0, 0, -inf, -1}
	hi := []float64{1, 1, inf, -1}
	x := []float64{0, 0.25, 5, -1}
	// coordinate 0 at its lower bound with g > 0 is optimal (0); coordinate
	// 1 can move 0.25 down of its 3; coordinate 2 is free; 3 is fixed.
	g := []float64{2, 3, -0.5, 100}
	norm, active := projectedGradientNorm(x, g, lo, hi)
	if norm != 0.5 || active != 2 {
		t.Errorf("projectedGradientNorm = %v, %d active; want 0.5, 2", norm, active)
	}
	y := []float64{-3, 0.5, 0, 0}
	if !projectBox(y, lo, hi) || y[0] != 0 || y[1] != 0.5 || y[3] != -1 {
		t.Errorf("projectBox gave %v, want [0 0.5 0 -1]", y)
	}
}
