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

// dot returns aᵀb with four partial sums, so that the additions do not
// wait on each other.
func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// serialDot returns aᵀb summed in order, as the labels of NewLogistic were
// first drawn: the same seed keeps drawing the same problem.
func serialDot(a, b []float64) float64 {
	var s float64
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
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
		if rng.Float64() < sigmoid(serialDot(a, teacher)) {
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

// logisticChunk is the number of rows EvaluateRows takes through each of
// its three phases at a time: their 8·P values stay in the L1 cache for
// the gradient update after the margins were read from memory.
const logisticChunk = 8

// EvaluateRows returns the mean loss over rows (no extra output) and writes
// its gradient into grad when grad is not nil.
//
// The rows go in chunks of logisticChunk through three phases: the margins
// m_i = z_i a_iᵀw (the one read of the rows from memory), the losses and
// gradient weights (one exponential per row, independent across the chunk),
// and the gradient updates, from the cache. A row-by-row loop would wait on
// the exponentials between reads.
func (lg *Logistic) EvaluateRows(rows []int, w, grad []float64) (float64, any, error) {
	if err := lg.check(w, grad); err != nil {
		return 0, nil, err
	}
	clear(grad)
	var f float64
	var m, c [logisticChunk]float64
	for start := 0; start < len(rows); start += logisticChunk {
		chunk := rows[start:min(start+logisticChunk, len(rows))]
		for k, i := range chunk {
			m[k] = lg.Z[i] * dot(lg.Row(i), w)
		}
		for k, i := range chunk {
			// f_i = log(1 + e^{−m}) and ∂f_i/∂w = −z_i σ(−m) a_i, from
			// e = e^{−|m|}: σ(−m) = e/(1+e) for m ≥ 0, 1/(1+e) otherwise.
			e := math.Exp(-math.Abs(m[k]))
			if m[k] >= 0 {
				f += math.Log1p(e)
				c[k] = -lg.Z[i] * (e / (1 + e))
			} else {
				f += math.Log1p(e) - m[k]
				c[k] = -lg.Z[i] / (1 + e)
			}
		}
		if grad != nil {
			for k, i := range chunk {
				axpy(c[k], lg.Row(i), grad)
			}
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
