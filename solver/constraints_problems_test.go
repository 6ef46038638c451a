package solver

import (
	"math"
	"math/rand/v2"
)

// Test problems and reference solvers for bounds and L1 (not part of the
// package).

// denseMatrix is an m×n row-major matrix.
type denseMatrix struct {
	m, n int
	a    []float64
}

func randomMatrix(rng *rand.Rand, m, n int) denseMatrix {
	a := denseMatrix{m, n, make([]float64, m*n)}
	for i := range a.a {
		a.a[i] = rng.NormFloat64()
	}
	return a
}

// residual sets r = A·x − b.
func (a denseMatrix) residual(r, x, b []float64) {
	for i := 0; i < a.m; i++ {
		r[i] = dotProduct(a.a[i*a.n:(i+1)*a.n], x) - b[i]
	}
}

// mulT sets g = c·Aᵀr.
func (a denseMatrix) mulT(g, r []float64, c float64) {
	clear(g)
	for i := 0; i < a.m; i++ {
		row := a.a[i*a.n : (i+1)*a.n]
		for j := range g {
			g[j] += c * row[j] * r[i]
		}
	}
}

// leastSquares returns f(x) = (c/2)·‖Ax − b‖², ∇f = c·Aᵀ(Ax − b).
func leastSquares(a denseMatrix, b []float64, c float64) LossFunc {
	return func(x, grad []float64) (float64, any, error) {
		r := make([]float64, a.m)
		a.residual(r, x, b)
		a.mulT(grad, r, c)
		return c / 2 * dotProduct(r, r), nil, nil
	}
}

// logistic returns the mean logistic loss of labels y ∈ {−1, 1} with
// features the rows of a: f(x) = (1/m)·Σ log(1 + exp(−y_i a_iᵀx)).
func logistic(a denseMatrix, y []float64) LossFunc {
	return func(x, grad []float64) (float64, any, error) {
		clear(grad)
		var f float64
		for i := 0; i < a.m; i++ {
			row := a.a[i*a.n : (i+1)*a.n]
			z := -y[i] * dotProduct(row, x)
			// log(1 + e^z) and its derivative σ(z), stable for large |z|
			var l, s float64
			if z > 0 {
				l, s = z+math.Log1p(math.Exp(-z)), 1/(1+math.Exp(-z))
			} else {
				l, s = math.Log1p(math.Exp(z)), math.Exp(z)/(1+math.Exp(z))
			}
			f += l
			for j := range grad {
				grad[j] -= s * y[i] * row[j] / float64(a.m)
			}
		}
		return f / float64(a.m), nil, nil
	}
}

// classification returns m rows of n features with labels from a sparse
// true weight vector and 10% label noise.
func classification(rng *rand.Rand, m, n int) (denseMatrix, []float64) {
	a := randomMatrix(rng, m, n)
	w := make([]float64, n)
	for j := 0; j < n; j += 3 {
		w[j] = rng.NormFloat64() * 2
	}
	y := make([]float64, m)
	for i := range y {
		y[i] = 1
		if dotProduct(a.a[i*n:(i+1)*n], w) < 0 {
			y[i] = -1
		}
		if rng.IntN(10) == 0 {
			y[i] = -y[i]
		}
	}
	return a, y
}

// extRosenbrock is the extended Rosenbrock function Σ 100(x_{2i+1} − x_{2i}²)² +
// (1 − x_{2i})² (n even).
func extRosenbrock(x, grad []float64) (float64, any, error) {
	var f float64
	clear(grad)
	for i := 0; i+1 < len(x); i += 2 {
		t1, t2 := x[i+1]-x[i]*x[i], 1-x[i]
		f += 100*t1*t1 + t2*t2
		grad[i] += -400*t1*x[i] - 2*t2
		grad[i+1] += 200 * t1
	}
	return f, nil, nil
}

// solveSPD solves the k×k symmetric positive definite system m·z = r by
// Cholesky decomposition (a copy of m is factored).
func solveSPD(m []float64, k int, r []float64) []float64 {
	l := append([]float64(nil), m...)
	for j := 0; j < k; j++ {
		for i := j; i < k; i++ {
			v := l[i*k+j]
			for p := 0; p < j; p++ {
				v -= l[i*k+p] * l[j*k+p]
			}
			if i == j {
				l[j*k+j] = math.Sqrt(v)
			} else {
				l[i*k+j] = v / l[j*k+j]
			}
		}
	}
	z := append([]float64(nil), r...)
	for i := 0; i < k; i++ {
		for p := 0; p < i; p++ {
			z[i] -= l[i*k+p] * z[p]
		}
		z[i] /= l[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		for p := i + 1; p < k; p++ {
			z[i] -= l[p*k+i] * z[p]
		}
		z[i] /= l[i*k+i]
	}
	return z
}

// lawsonHanson solves min ‖Ax − b‖₂ subject to x ≥ 0 with the active-set
// algorithm NNLS of Lawson and Hanson (Solving Least Squares Problems,
// 1974, ch. 23), the unconstrained subproblems by the normal equations on
// the passive columns.
func lawsonHanson(a denseMatrix, b []float64) []float64 {
	n := a.n
	x := make([]float64, n)
	passive := make([]bool, n)
	r, w := make([]float64, a.m), make([]float64, n)
	const tol = 1e-12
	// lsq returns the least-squares solution on the passive columns.
	lsq := func() []float64 {
		var idx []int
		for j := range passive {
			if passive[j] {
				idx = append(idx, j)
			}
		}
		k := len(idx)
		ata, atb := make([]float64, k*k), make([]float64, k)
		for p, j := range idx {
			for i := 0; i < a.m; i++ {
				atb[p] += a.a[i*n+j] * b[i]
				for q, l := range idx {
					ata[p*k+q] += a.a[i*n+j] * a.a[i*n+l]
				}
			}
		}
		z := solveSPD(ata, k, atb)
		s := make([]float64, n)
		for p, j := range idx {
			s[j] = z[p]
		}
		return s
	}
	for iter := 0; iter < 3*n; iter++ {
		a.residual(r, x, b)
		a.mulT(w, r, -1) // w = Aᵀ(b − Ax)
		best, j := tol, -1
		for i := range w {
			if !passive[i] && w[i] > best {
				best, j = w[i], i
			}
		}
		if j < 0 {
			break
		}
		passive[j] = true
		for {
			s := lsq()
			alpha, feasible := 1.0, true
			for i := range s {
				if passive[i] && s[i] <= 0 {
					feasible = false
					alpha = math.Min(alpha, x[i]/(x[i]-s[i]))
				}
			}
			if feasible {
				copy(x, s)
				break
			}
			for i := range x {
				x[i] += alpha * (s[i] - x[i])
				if passive[i] && x[i] <= tol {
					passive[i], x[i] = false, 0
				}
			}
		}
	}
	return x
}

// coordinateDescent solves the lasso min (1/2m)‖Ax − b‖² + λ‖x‖₁ by cyclic
// coordinate descent with soft thresholding (Friedman, Hastie and
// Tibshirani, Regularization paths for generalized linear models via
// coordinate descent, J. Stat. Softw. 33 (2010)), to a change below 1e-15.
func coordinateDescent(a denseMatrix, b []float64, lambda float64) []float64 {
	m, n := float64(a.m), a.n
	x, r := make([]float64, n), append([]float64(nil), b...) // r = b − Ax
	col := make([]float64, n)
	for j := 0; j < n; j++ {
		for i := 0; i < a.m; i++ {
			col[j] += a.a[i*n+j] * a.a[i*n+j] / m
		}
	}
	for sweep := 0; sweep < 100000; sweep++ {
		var change float64
		for j := 0; j < n; j++ {
			var rho float64
			for i := 0; i < a.m; i++ {
				rho += a.a[i*n+j] * (r[i] + a.a[i*n+j]*x[j]) / m
			}
			v := 0.0
			if rho > lambda {
				v = (rho - lambda) / col[j]
			} else if rho < -lambda {
				v = (rho + lambda) / col[j]
			}
			if dv := v - x[j]; dv != 0 {
				for i := 0; i < a.m; i++ {
					r[i] -= a.a[i*n+j] * dv
				}
				change = math.Max(change, math.Abs(dv))
				x[j] = v
			}
		}
		if change < 1e-15 {
			break
		}
	}
	return x
}
