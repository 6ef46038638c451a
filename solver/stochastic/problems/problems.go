package problems

import (
	"errors"
	"math"
	"math/rand/v2"
)

// ErrShape reports a vector of the wrong length.
var ErrShape = errors.New("problems: wrong vector length")

// Rows is a dense N×P design matrix, row-major.
type Rows struct {
	N, P int
	A    []float64
}

// Row returns row i.
func (r *Rows) Row(i int) []float64 { return r.A[i*r.P : (i+1)*r.P] }

// NumRows returns N.
func (r *Rows) NumRows() int { return r.N }

func (r *Rows) check(x []float64, vs ...[]float64) error {
	if len(x) != r.P {
		return ErrShape
	}
	for _, v := range vs {
		if v != nil && len(v) != r.P {
			return ErrShape
		}
	}
	return nil
}

func dot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i, v := range x {
		y[i] += a * v
	}
}

// LeastSquares is F(x) = (1/N) Σ_i ½(a_iᵀx − b_i)², with Hessian AᵀA/N.
type LeastSquares struct {
	Rows
	B []float64
}

// NewLeastSquares draws an n×p problem with standard normal entries.
func NewLeastSquares(rng *rand.Rand, n, p int) *LeastSquares {
	ls := &LeastSquares{Rows: Rows{N: n, P: p, A: make([]float64, n*p)}, B: make([]float64, n)}
	for i := range ls.A {
		ls.A[i] = rng.NormFloat64()
	}
	for i := range ls.B {
		ls.B[i] = rng.NormFloat64()
	}
	return ls
}

// EvaluateRows returns the mean loss over rows (no extra output) and writes
// its gradient into grad when grad is not nil.
func (ls *LeastSquares) EvaluateRows(rows []int, x, grad []float64) (float64, any, error) {
	if err := ls.check(x, grad); err != nil {
		return 0, nil, err
	}
	clear(grad)
	var f float64
	for _, i := range rows {
		a := ls.Row(i)
		r := dot(a, x) - ls.B[i]
		f += 0.5 * r * r
		if grad != nil {
			axpy(r, a, grad)
		}
	}
	inv := 1 / float64(len(rows))
	for j := range grad {
		grad[j] *= inv
	}
	return f * inv, nil, nil
}

// HessianVectorRows writes (1/|S|) Σ_{i∈S} a_i a_iᵀ v into hv.
func (ls *LeastSquares) HessianVectorRows(rows []int, x, v, hv []float64) error {
	if err := ls.check(x, v, hv); err != nil {
		return err
	}
	clear(hv)
	for _, i := range rows {
		a := ls.Row(i)
		axpy(dot(a, v), a, hv)
	}
	inv := 1 / float64(len(rows))
	for j := range hv {
		hv[j] *= inv
	}
	return nil
}

// Logistic is L2-regularised binary logistic regression,
// F(w) = (1/N) Σ_i log(1 + exp(−z_i a_iᵀw)) + (λ/2)‖w‖², z_i = ±1.
type Logistic struct {
	Rows
	Z      []float64 // labels ±1
	Lambda float64
}

// NewLogistic draws an n×p problem: standard normal features (the last one
// a constant 1, the intercept), labels from a random teacher w* with
// probability σ(a_iᵀw*), so that the classes are not separable; λ is the
// L2 weight.
func NewLogistic(rng *rand.Rand, n, p int, lambda float64) *Logistic {
	lg := &Logistic{Rows: Rows{N: n, P: p, A: make([]float64, n*p)}, Z: make([]float64, n), Lambda: lambda}
	teacher := make([]float64, p)
	for j := range teacher {
		teacher[j] = rng.NormFloat64() / math.Sqrt(float64(p)) * 3
	}
	for i := range n {
		a := lg.Row(i)
		for j := range a {
			a[j] = rng.NormFloat64()
		}
		a[p-1] = 1
		lg.Z[i] = -1
		if rng.Float64() < sigmoid(dot(a, teacher)) {
			lg.Z[i] = 1
		}
	}
	return lg
}

func sigmoid(t float64) float64 {
	if t >= 0 {
		return 1 / (1 + math.Exp(-t))
	}
	e := math.Exp(t)
	return e / (1 + e)
}

// log1pExp returns log(1 + exp(t)) without overflow.
func log1pExp(t float64) float64 {
	if t > 0 {
		return t + math.Log1p(math.Exp(-t))
	}
	return math.Log1p(math.Exp(t))
}

// EvaluateRows returns the mean loss over rows (no extra output) and writes
// its gradient into grad when grad is not nil.
func (lg *Logistic) EvaluateRows(rows []int, w, grad []float64) (float64, any, error) {
	if err := lg.check(w, grad); err != nil {
		return 0, nil, err
	}
	clear(grad)
	var f float64
	for _, i := range rows {
		a := lg.Row(i)
		m := lg.Z[i] * dot(a, w)
		// f_i = log(1 + e^{−m}); ∂f_i/∂w = −z_i σ(−m) a_i
		f += log1pExp(-m)
		if grad != nil {
			axpy(-lg.Z[i]*sigmoid(-m), a, grad)
		}
	}
	inv := 1 / float64(len(rows))
	for j := range grad {
		grad[j] = grad[j]*inv + lg.Lambda*w[j]
	}
	return f*inv + 0.5*lg.Lambda*dot(w, w), nil, nil
}

// HessianVectorRows writes (1/|S|) Σ σ(m_i)(1−σ(m_i)) (a_iᵀv) a_i + λv into hv.
func (lg *Logistic) HessianVectorRows(rows []int, w, v, hv []float64) error {
	if err := lg.check(w, v, hv); err != nil {
		return err
	}
	clear(hv)
	for _, i := range rows {
		a := lg.Row(i)
		s := sigmoid(dot(a, w))
		axpy(s*(1-s)*dot(a, v), a, hv)
	}
	inv := 1 / float64(len(rows))
	for j := range hv {
		hv[j] = hv[j]*inv + lg.Lambda*v[j]
	}
	return nil
}
