package solver

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// boxProblem is a random instance for the L-BFGS-B kernels: a feasible x,
// a gradient g, bounds of every kind (none, one-sided, two-sided, fixed,
// x at a bound), and a compact representation with its dense matrix B.
type boxProblem struct {
	x, g, lo, hi []float64
	cb           compactBFGS
	b            []float64
}

func newBoxProblem(t *testing.T, rng *rand.Rand, n, k int) *boxProblem {
	t.Helper()
	S, Y, ids, theta := randomPairs(rng, n, k)
	p := &boxProblem{x: make([]float64, n), g: make([]float64, n), lo: make([]float64, n), hi: make([]float64, n)}
	if !p.cb.set(S, Y, ids, theta) {
		t.Fatal("factorisation failed")
	}
	p.b = denseBFGS(S, Y, theta, n)
	inf := math.Inf(1)
	for i := 0; i < n; i++ {
		p.x[i] = rng.NormFloat64()
		p.g[i] = rng.NormFloat64() * 3
		p.lo[i], p.hi[i] = -inf, inf
		switch rng.IntN(7) {
		case 1:
			p.lo[i] = p.x[i] - rng.Float64()
		case 2:
			p.hi[i] = p.x[i] + rng.Float64()
		case 3:
			p.lo[i], p.hi[i] = p.x[i]-rng.Float64(), p.x[i]+rng.Float64()
		case 4:
			p.lo[i], p.hi[i] = p.x[i], p.x[i] // fixed
		case 5:
			p.lo[i], p.hi[i] = p.x[i], p.x[i]+1 // at the lower bound
		case 6:
			p.lo[i], p.hi[i] = p.x[i]-1, p.x[i] // at the upper bound
		}
	}
	if rng.IntN(5) == 0 {
		p.g[rng.IntN(n)] = 0
	}
	return p
}

// model returns m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) with the dense B.
func (p *boxProblem) model(z []float64) float64 {
	n := len(p.x)
	dz := make([]float64, n)
	for i := range dz {
		dz[i] = z[i] - p.x[i]
	}
	var q float64
	for i := 0; i < n; i++ {
		q += dz[i] * dotProduct(p.b[i*n:(i+1)*n], dz)
	}
	return dotProduct(p.g, dz) + q/2
}

// bruteCauchy finds the first local minimiser of the model along
// P(x − t·g) by walking the path segment by segment with the dense B, each
// point computed afresh by projection: an implementation independent of
// Algorithm CP's recursive slope and curvature updates.
func (p *boxProblem) bruteCauchy() []float64 {
	n := len(p.x)
	at := func(t float64) []float64 {
		z := make([]float64, n)
		for i := range z {
			z[i] = math.Min(p.hi[i], math.Max(p.lo[i], p.x[i]-t*p.g[i]))
		}
		return z
	}
	var ts []float64
	tb := make([]float64, n)
	for i, gi := range p.g {
		tb[i] = math.Inf(1)
		if gi < 0 {
			tb[i] = (p.x[i] - p.hi[i]) / gi
		} else if gi > 0 {
			tb[i] = (p.x[i] - p.lo[i]) / gi
		}
		if tb[i] > 0 && !math.IsInf(tb[i], 1) {
			ts = append(ts, tb[i])
		}
	}
	slices.Sort(ts)
	ts = append(slices.Compact(ts), math.Inf(1))
	ta := 0.0
	for _, tnext := range ts {
		z := at(ta)
		d := make([]float64, n)
		for i := range d {
			if tb[i] > ta {
				d[i] = -p.g[i]
			}
		}
		dz := make([]float64, n)
		for i := range dz {
			dz[i] = z[i] - p.x[i]
		}
		var slope, curv float64
		slope = dotProduct(p.g, d)
		for i := 0; i < n; i++ {
			row := p.b[i*n : (i+1)*n]
			slope += d[i] * dotProduct(row, dz)
			curv += d[i] * dotProduct(row, d)
		}
		if slope >= 0 {
			return z
		}
		if tstar := ta - slope/curv; curv > 0 && tstar < tnext {
			return at(tstar)
		}
		ta = tnext
	}
	panic("model unbounded along the path")
}

func TestCauchyPointMatchesPiecewiseMinimisation(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 300; trial++ {
		n, k := 2+rng.IntN(14), rng.IntN(6)
		p := newBoxProblem(t, rng, n, k)
		var w boxWork
		w.grow(n, k)
		xc := make([]float64, n)
		p.cb.cauchyPoint(xc, p.x, p.g, p.lo, p.hi, &w)
		want := p.bruteCauchy()
		if d := maxAbsDiff(xc, want); d > 1e-9*(1+maxAbs(want)) {
			t.Fatalf("trial %d (n=%d k=%d): |x^c − brute force|∞ = %g\n got %v\nwant %v", trial, n, k, d, xc, want)
		}
		// c = Wᵀ(x^c − x)
		dz := make([]float64, n)
		for i := range dz {
			dz[i] = xc[i] - p.x[i]
		}
		c := make([]float64, 2*k)
		p.cb.mulWt(c, dz)
		if d := maxAbsDiff(w.c[:2*k], c); d > 1e-9*(1+maxAbs(c)) {
			t.Fatalf("trial %d: c differs from Wᵀ(x^c − x) by %g", trial, d)
		}
		for _, i := range w.free {
			if xc[i] == p.lo[i] || xc[i] == p.hi[i] {
				t.Fatalf("trial %d: coordinate %d listed free at a bound", trial, i)
			}
		}
		if m := p.model(xc); m > 1e-12 {
			t.Fatalf("trial %d: model at the Cauchy point %g > 0", trial, m)
		}
	}
}

// The Cauchy point never leaves the box, and is x itself when the
// projected gradient is zero.
func TestCauchyPointAtStationaryPoint(t *testing.T) {
	x := []float64{0, 1, 2}
	lo := []float64{0, 1, math.Inf(-1)}
	hi := []float64{1, 1, math.Inf(1)}
	g := []float64{5, -3, 0}
	var cb compactBFGS
	cb.set(nil, nil, nil, 2)
	var w boxWork
	w.grow(3, 0)
	xc := make([]float64, 3)
	cb.cauchyPoint(xc, x, g, lo, hi, &w)
	if !slices.Equal(xc, x) {
		t.Errorf("Cauchy point %v, want x = %v", xc, x)
	}
	if !slices.Equal(w.free, []int{2}) {
		t.Errorf("free coordinates %v, want [2]", w.free)
	}
}
