package main

import (
	"math"
	"math/rand/v2"
)

// problem is one benchmark problem, as written to the dump: enough for the
// Python side to compute the same objective.
type problem struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"` // rosenbrock, leastsq, quadratic, logistic
	Method string `json:"method"`
	N      int    `json:"n"`
	// X0 is the starting point; Lower and Upper the bounds (null: none),
	// or nil without bounds.
	X0    []float64  `json:"x0"`
	Lower []*float64 `json:"lower,omitempty"`
	Upper []*float64 `json:"upper,omitempty"`
	// L1 is the penalty λ of the L1 problems (0 for the bounded ones).
	L1 float64 `json:"l1"`
	// Data: the rows×N matrix A (row-major) and vector B of leastsq and
	// logistic (labels ±1); for quadratic, Householder vectors V (k×N),
	// eigenvalues Eig and linear term C (see quadratic).
	Rows int       `json:"rows"`
	A    []float64 `json:"a,omitempty"`
	B    []float64 `json:"b,omitempty"`
	V    []float64 `json:"v,omitempty"`
	Eig  []float64 `json:"eig,omitempty"`
	C    []float64 `json:"c,omitempty"`
	// Scale multiplies the least-squares loss: (Scale/2)·‖Ax − b‖².
	Scale float64 `json:"scale"`
	// Optimum is the known solution, where the construction gives one.
	Optimum []float64 `json:"optimum,omitempty"`

	lo, hi []float64 // the bounds as the solver takes them
}

func ptr(v float64) *float64 {
	if math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func (p *problem) setBounds(lo, hi []float64) {
	p.lo, p.hi = lo, hi
	p.Lower, p.Upper = make([]*float64, len(lo)), make([]*float64, len(hi))
	for i := range lo {
		p.Lower[i], p.Upper[i] = ptr(lo[i]), ptr(hi[i])
	}
}

func fill(n int, v float64) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = v
	}
	return x
}

func gaussian(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = rng.NormFloat64()
	}
	return x
}

// boundedProblems returns the five bound-constrained problems.
func boundedProblems(rng *rand.Rand) []*problem {
	inf := math.Inf(1)
	var ps []*problem

	// Rosenbrock with x₁ <= 0.5: the minimiser (1, 1) is cut off and the
	// solution is (0.5, 0.25) with the upper bound active.
	p := &problem{Name: "rosenbrock, x1 <= 0.5", Kind: "rosenbrock", N: 2, X0: []float64{-1.2, 1}, Optimum: []float64{0.5, 0.25}}
	p.setBounds([]float64{-inf, -inf}, []float64{0.5, inf})
	ps = append(ps, p)

	// Extended Rosenbrock, n = 100, the even coordinates in [−0.5, 0.5].
	p = &problem{Name: "extended rosenbrock n=100, half bounded", Kind: "rosenbrock", N: 100, X0: make([]float64, 100)}
	lo, hi := fill(100, -inf), fill(100, inf)
	for i := 0; i < 100; i += 2 {
		p.X0[i], p.X0[i+1] = -1.2, 1
		lo[i], hi[i] = -0.5, 0.5
	}
	p.setBounds(lo, hi)
	ps = append(ps, p)

	// Non-negative least squares 500×200 with a sparse non-negative truth.
	m, n := 500, 200
	p = &problem{Name: "nnls 500x200", Kind: "leastsq", N: n, Rows: m, A: gaussian(rng, m*n), Scale: 1, X0: make([]float64, n)}
	truth := make([]float64, n)
	for j := 0; j < n; j += 3 {
		truth[j] = rng.Float64() * 2
	}
	p.B = make([]float64, m)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			p.B[i] += p.A[i*n+j] * truth[j]
		}
		p.B[i] += 0.5 * rng.NormFloat64()
	}
	p.setBounds(fill(n, 0), fill(n, inf))
	ps = append(ps, p)

	ps = append(ps, quadratic(rng, 1000, 1e4))

	// Logistic regression, 1000 rows, 50 features with weights in [−1, 1]
	// (the unconstrained weights of the stronger features exceed 1).
	m, n = 1000, 50
	p = &problem{Name: "logistic 1000x50, w in [-1, 1]", Kind: "logistic", N: n, Rows: m, X0: make([]float64, n)}
	p.A, p.B = classification(rng, m, n, 3)
	p.setBounds(fill(n, -1), fill(n, 1))
	ps = append(ps, p)
	for _, p := range ps {
		p.Method = "L-BFGS-B"
	}
	return ps
}

// quadratic returns f(x) = ½xᵀQx − cᵀx on [−1, 1]ⁿ with Q = UᵀΛU, U a
// product of five Householder reflections and Λ log-spaced over [1, cond],
// and c chosen so that the known solution x̂ has every other coordinate at
// a bound with a multiplier in [0.1, 1.1] and the rest inside.
func quadratic(rng *rand.Rand, n int, cond float64) *problem {
	const k = 5
	p := &problem{Name: "box quadratic n=1000, cond 1e4", Kind: "quadratic", N: n, X0: make([]float64, n),
		V: gaussian(rng, k*n), Eig: make([]float64, n)}
	for i := range p.Eig {
		p.Eig[i] = math.Pow(cond, float64(i)/float64(n-1))
	}
	xhat, gstar := make([]float64, n), make([]float64, n)
	for i := range xhat {
		if i%2 == 0 {
			xhat[i] = 1
			gstar[i] = -(0.1 + rng.Float64()) // g <= 0 at an upper bound
			if rng.IntN(2) == 0 {
				xhat[i], gstar[i] = -1, -gstar[i]
			}
		} else {
			xhat[i] = 1.8*rng.Float64() - 0.9
		}
	}
	// c = Q·x̂ − g*, so that ∇f(x̂) = Qx̂ − c = g*.
	p.C = make([]float64, n)
	p.mulQ(p.C, xhat)
	for i := range p.C {
		p.C[i] -= gstar[i]
	}
	p.setBounds(fill(n, -1), fill(n, 1))
	p.Optimum = xhat
	return p
}

// reflect applies the Householder reflection I − 2vvᵀ/vᵀv to y in place.
func reflect(y, v []float64) {
	var vy, vv float64
	for i := range y {
		vy += v[i] * y[i]
		vv += v[i] * v[i]
	}
	f := 2 * vy / vv
	for i := range y {
		y[i] -= f * v[i]
	}
}

// mulQ sets out = UᵀΛU·x with U = H₀H₁…H_{k−1}.
func (p *problem) mulQ(out, x []float64) {
	n, k := p.N, len(p.V)/p.N
	copy(out, x)
	for j := k - 1; j >= 0; j-- {
		reflect(out, p.V[j*n:(j+1)*n])
	}
	for i := range out {
		out[i] *= p.Eig[i]
	}
	for j := 0; j < k; j++ {
		reflect(out, p.V[j*n:(j+1)*n])
	}
}

// classification returns rows×n features and ±1 labels from a true weight
// vector with every third weight non-zero, of size up to scale, and 5%
// flipped labels.
func classification(rng *rand.Rand, rows, n int, scale float64) ([]float64, []float64) {
	a := gaussian(rng, rows*n)
	w := make([]float64, n)
	for j := 0; j < n; j += 3 {
		w[j] = scale * (2*rng.Float64() - 1)
	}
	y := make([]float64, rows)
	for i := range y {
		var z float64
		for j := 0; j < n; j++ {
			z += a[i*n+j] * w[j]
		}
		y[i] = 1
		if z < 0 {
			y[i] = -1
		}
		if rng.IntN(20) == 0 {
			y[i] = -y[i]
		}
	}
	return a, y
}

// l1Problems returns the OWL-QN problems: L1 logistic regression and the
// lasso, each at three penalties.
func l1Problems(rng *rand.Rand) []*problem {
	var ps []*problem
	m, n := 500, 100
	a, y := classification(rng, m, n, 2)
	for _, l := range []float64{0.002, 0.01, 0.05} {
		ps = append(ps, &problem{Name: "l1 logistic 500x100", Kind: "logistic", Method: "OWL-QN", N: n, Rows: m, A: a, B: y, L1: l, X0: make([]float64, n)})
	}
	m, n = 400, 200
	a = gaussian(rng, m*n)
	truth := make([]float64, n)
	for j := 0; j < n; j += 5 {
		truth[j] = 3 * rng.NormFloat64()
	}
	b := make([]float64, m)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			b[i] += a[i*n+j] * truth[j]
		}
		b[i] += rng.NormFloat64()
	}
	for _, l := range []float64{0.01, 0.1, 0.5} {
		ps = append(ps, &problem{Name: "lasso 400x200", Kind: "leastsq", Method: "OWL-QN", N: n, Rows: m, A: a, B: b, L1: l, Scale: 1 / float64(m), X0: make([]float64, n)})
	}
	return ps
}

// loss returns the objective's smooth part as a loss closure.
func (p *problem) loss() func(x, g []float64) (float64, any, error) {
	switch p.Kind {
	case "rosenbrock":
		return func(x, g []float64) (float64, any, error) {
			var f float64
			clear(g)
			for i := 0; i+1 < len(x); i += 2 {
				t1, t2 := x[i+1]-x[i]*x[i], 1-x[i]
				f += 100*t1*t1 + t2*t2
				g[i] += -400*t1*x[i] - 2*t2
				g[i+1] += 200 * t1
			}
			return f, nil, nil
		}
	case "quadratic":
		return func(x, g []float64) (float64, any, error) {
			p.mulQ(g, x)
			var f float64
			for i := range x {
				f += 0.5*x[i]*g[i] - p.C[i]*x[i]
				g[i] -= p.C[i]
			}
			return f, nil, nil
		}
	case "leastsq":
		r := make([]float64, p.Rows)
		return func(x, g []float64) (float64, any, error) {
			n := p.N
			var f float64
			clear(g)
			for i := range r {
				row := p.A[i*n : (i+1)*n]
				var s float64
				for j, v := range row {
					s += v * x[j]
				}
				r[i] = s - p.B[i]
				f += r[i] * r[i]
				for j, v := range row {
					g[j] += p.Scale * v * r[i]
				}
			}
			return p.Scale / 2 * f, nil, nil
		}
	default: // logistic: mean log(1 + exp(−y aᵀx))
		return func(x, g []float64) (float64, any, error) {
			n := p.N
			var f float64
			clear(g)
			for i := 0; i < p.Rows; i++ {
				row := p.A[i*n : (i+1)*n]
				var s float64
				for j, v := range row {
					s += v * x[j]
				}
				z := -p.B[i] * s
				var l, sig float64
				if z > 0 {
					e := math.Exp(-z)
					l, sig = z+math.Log1p(e), 1/(1+e)
				} else {
					e := math.Exp(z)
					l, sig = math.Log1p(e), e/(1+e)
				}
				f += l
				c := -sig * p.B[i] / float64(p.Rows)
				for j, v := range row {
					g[j] += c * v
				}
			}
			return f / float64(p.Rows), nil, nil
		}
	}
}
