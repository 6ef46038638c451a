package stochastic

import (
	"errors"
	"fmt"
	"math"
)

// Objective is a function that is the mean of N terms,
//
//	F(x) = (1/N) Σ_{i<N} f_i(x),
//
// evaluated on any set S of term (row) indices as the mean over that set,
// F_S(x) = (1/|S|) Σ_{i∈S} f_i(x). A regularisation term belongs inside every
// f_i, so that F_S is an unbiased estimate of F.
//
// The interface uses standard types only, so that a package can satisfy it
// without importing this one: nn's objectives do.
type Objective interface {
	// NumRows returns N, the number of terms (rows). It is fixed for the
	// life of the objective.
	NumRows() int

	// EvaluateRows returns F_S(x) for the rows S = rows and writes ∇F_S(x)
	// into grad (len(grad) == len(x); the solvers always pass one). The
	// second result is any extra output of the objective (metrics), which
	// the solvers ignore. rows holds indices in [0, N) and must not be
	// retained or modified. An objective that can evaluate only the full set
	// returns an error wrapping ErrRowSubsets when rows is not 0, 1, …, N−1.
	EvaluateRows(rows []int, x, grad []float64) (float64, any, error)
}

// HessianVectorProducer is implemented by objectives that compute the
// product of the sub-sampled Hessian with a vector exactly (by a second
// differentiation or an R-operator). Without it the solvers fall back on
// FiniteDifferenceHessianVector.
type HessianVectorProducer interface {
	// HessianVectorRows writes ∇²F_S(x)·v into hv for the rows S = rows.
	HessianVectorRows(rows []int, x, v, hv []float64) error
}

// ErrRowSubsets is returned (wrapped) by an objective that cannot evaluate a
// subset of its rows; the solvers then name the option that asked for one.
var ErrRowSubsets = errors.New("stochastic: objective cannot evaluate row subsets")

// FiniteDifferenceHessianVector approximates ∇²F_S(x)·v by a central
// difference of gradients on the same rows S:
//
//	∇²F_S(x)·v ≈ ‖v‖ · (∇F_S(x + h·u) − ∇F_S(x − h·u)) / (2h),  u = v/‖v‖,
//	h = ε^{1/3} · (1 + ‖x‖∞),
//
// with ε the float64 machine epsilon. The step balances the O(h²) truncation
// error of the central difference against the O(ε/h) rounding error of the
// two gradients (Nocedal & Wright, §8.1), which gives a relative error of
// about ε^{2/3} ≈ 4e-11 on well-scaled problems. work must hold 3·len(x)
// values; the objective is evaluated twice, on the same rows.
func FiniteDifferenceHessianVector(obj Objective, rows []int, x, v, hv, work []float64) error {
	return FiniteDifferenceHessianVectorPrecision(obj, rows, x, v, hv, work, epsilon)
}

// FiniteDifferenceHessianVectorPrecision is FiniteDifferenceHessianVector
// for gradients computed with unit roundoff eps instead of float64's (for
// a float32 network, 2⁻²³): h = eps^{1/3}·(1 + ‖x‖∞), relative error about
// eps^{2/3}.
func FiniteDifferenceHessianVectorPrecision(obj Objective, rows []int, x, v, hv, work []float64, eps float64) error {
	n := len(x)
	if len(v) != n || len(hv) != n || len(work) < 3*n {
		return fmt.Errorf("stochastic: finite-difference Hessian-vector product: lengths x %d, v %d, hv %d, work %d (want %d, %d, %d, >= %d): %w",
			n, len(v), len(hv), len(work), n, n, n, 3*n, ErrDimension)
	}
	if !(eps > 0 && eps < 1) {
		return fmt.Errorf("stochastic: finite-difference Hessian-vector product: eps = %v, want 0 < eps < 1: %w", eps, ErrInvalidOption)
	}
	vnorm := norm2(v)
	if vnorm == 0 {
		clear(hv)
		return nil
	}
	h := math.Cbrt(eps) * (1 + normInf(x))
	xp, gp, gm := work[:n], work[n:2*n], work[2*n:3*n]
	step := h / vnorm
	for i := range xp {
		xp[i] = x[i] + step*v[i]
	}
	if _, _, err := obj.EvaluateRows(rows, xp, gp); err != nil {
		return err
	}
	for i := range xp {
		xp[i] = x[i] - step*v[i]
	}
	if _, _, err := obj.EvaluateRows(rows, xp, gm); err != nil {
		return err
	}
	// hv = ‖v‖·(g₊ − g₋)/(2h), the directional difference along u scaled back.
	scale := vnorm / (2 * h)
	for i := range hv {
		hv[i] = (gp[i] - gm[i]) * scale
	}
	return nil
}

// epsilon is the float64 machine epsilon, 2⁻⁵².
const epsilon = 0x1p-52

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func norm2(a []float64) float64 { return math.Sqrt(dot(a, a)) }

func normInf(a []float64) float64 {
	var m float64
	for _, v := range a {
		m = max(m, math.Abs(v))
	}
	return m
}

// firstNonFinite returns the index of the first NaN or infinite value, or −1.
func firstNonFinite(a []float64) int {
	for i, v := range a {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}
