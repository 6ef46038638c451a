package solver

import (
	"math"
	"math/rand/v2"
	"testing"
)

// denseSolve solves the m×m system a·z = b with a copy of a (test helper).
func denseSolve(t *testing.T, a []float64, m int, b []float64) []float64 {
	t.Helper()
	ac, z := append([]float64(nil), a...), append([]float64(nil), b...)
	if !luSolve(ac, m, z, make([]int, m)) {
		t.Fatal("dense system singular")
	}
	return z
}

// The reduced Newton step satisfies (ZᵀBZ)·d^u = −r on the free
// coordinates, with B the dense BFGS matrix.
func TestReducedNewtonSolvesReducedSystem(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := 0; trial < 100; trial++ {
		n, k := 2+rng.IntN(14), 1+rng.IntN(6)
		S, Y, ids, theta := randomPairs(rng, n, k)
		var cb compactBFGS
		if !cb.set(S, Y, ids, theta) {
			t.Fatal("factorisation failed")
		}
		b := denseBFGS(S, Y, theta, n)
		var w boxWork
		w.grow(n, k)
		w.free = w.free[:0]
		for i := 0; i < n; i++ {
			if rng.IntN(3) > 0 {
				w.free = append(w.free, i)
			}
		}
		r, du := make([]float64, n), make([]float64, n)
		for i := range r {
			r[i] = rng.NormFloat64()
		}
		if !cb.reducedNewton(du, r, &w) {
			t.Fatalf("trial %d: N singular", trial)
		}
		var worst, scale float64
		for _, i := range w.free {
			v := r[i]
			for _, j := range w.free {
				v += b[i*n+j] * du[j] // (ZᵀBZ d^u + r)_i
			}
			worst = math.Max(worst, math.Abs(v))
			scale = math.Max(scale, math.Abs(r[i]))
		}
		if worst > 1e-9*(1+scale) {
			t.Fatalf("trial %d (n=%d k=%d, %d free): residual of the reduced Newton equations %g", trial, n, k, len(w.free), worst)
		}
	}
}

// Without bounds every coordinate is free and x̄ − x is the quasi-Newton
// step −B⁻¹g.
func TestSubspaceStepUnboundedIsNewtonStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, tc := range []struct{ n, k int }{{4, 0}, {6, 2}, {15, 5}, {25, 10}} {
		S, Y, ids, theta := randomPairs(rng, tc.n, tc.k)
		var cb compactBFGS
		if !cb.set(S, Y, ids, theta) {
			t.Fatal("factorisation failed")
		}
		n := tc.n
		x, g, lo, hi := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range x {
			x[i], g[i] = rng.NormFloat64(), rng.NormFloat64()
			lo[i], hi[i] = math.Inf(-1), math.Inf(1)
		}
		var w boxWork
		w.grow(n, tc.k)
		xc, xbar := make([]float64, n), make([]float64, n)
		cb.cauchyPoint(xc, x, g, lo, hi, &w)
		if !cb.subspaceStep(xbar, x, g, xc, lo, hi, &w) {
			t.Fatal("subspace step failed")
		}
		step := denseSolve(t, denseBFGS(S, Y, theta, n), n, g) // B⁻¹g
		for i := range x {
			if d := xbar[i] - x[i] + step[i]; math.Abs(d) > 1e-9*(1+math.Abs(step[i])) {
				t.Fatalf("n=%d k=%d: (x̄ − x)[%d] = %v, want −(B⁻¹g) = %v", n, tc.k, i, xbar[i]-x[i], -step[i])
			}
		}
	}
}

// With bounds x̄ is feasible, x̄ − x descends, coordinates at a bound at the
// Cauchy point stay there, and where no free coordinate was clamped x̄
// minimises the model over the face (zero reduced gradient).
func TestSubspaceStepWithBounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	interior := 0
	for trial := 0; trial < 300; trial++ {
		n, k := 2+rng.IntN(14), rng.IntN(6)
		p := newBoxProblem(t, rng, n, k)
		var w boxWork
		w.grow(n, k)
		xc, xbar := make([]float64, n), make([]float64, n)
		p.cb.cauchyPoint(xc, p.x, p.g, p.lo, p.hi, &w)
		free := append([]int(nil), w.free...)
		if !p.cb.subspaceStep(xbar, p.x, p.g, xc, p.lo, p.hi, &w) {
			t.Fatalf("trial %d: subspace step failed", trial)
		}
		isFree := make([]bool, n)
		for _, i := range free {
			isFree[i] = true
		}
		inside := true
		for i := range xbar {
			if xbar[i] < p.lo[i] || xbar[i] > p.hi[i] {
				t.Fatalf("trial %d: x̄[%d] = %v outside [%v, %v]", trial, i, xbar[i], p.lo[i], p.hi[i])
			}
			if !isFree[i] && xbar[i] != xc[i] {
				t.Fatalf("trial %d: bound coordinate %d moved from %v to %v", trial, i, xc[i], xbar[i])
			}
			if isFree[i] && (xbar[i] == p.lo[i] || xbar[i] == p.hi[i]) {
				inside = false
			}
		}
		dx := make([]float64, n)
		for i := range dx {
			dx[i] = xbar[i] - p.x[i]
		}
		if dg := dotProduct(p.g, dx); maxAbs(dx) > 0 && !(dg < 0) {
			t.Fatalf("trial %d: gᵀ(x̄ − x) = %v, not a descent direction", trial, dg)
		}
		if !inside || len(free) == 0 {
			continue
		}
		interior++
		for _, i := range free {
			v := p.g[i] + dotProduct(p.b[i*n:(i+1)*n], dx) // (g + B(x̄ − x))_i
			if math.Abs(v) > 1e-8*(1+maxAbs(p.g)) {
				t.Fatalf("trial %d: reduced gradient at x̄ [%d] = %g, want 0", trial, i, v)
			}
		}
	}
	if interior < 30 {
		t.Errorf("only %d of 300 trials had an interior subspace minimiser; the test checks too little", interior)
	}
}
