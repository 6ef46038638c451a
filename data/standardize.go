package data

import (
	"fmt"
	"math"
)

// A Standardizer maps each column of a row-major matrix to zero mean and unit
// variance (the z-score): x' = (x − Mean[j]) / Scale[j] for column j. Fit it
// on the training rows only, apply it to every set (training, validation,
// prediction input), and store it with the model: its exported fields
// marshal to JSON as {"mean": [...], "scale": [...]} and back exactly
// (encoding/json writes float64 in shortest round-trip form), so prediction
// applies the very transform training used. It also serves regression
// targets, with InverseTransform mapping predictions back to the original
// units.
type Standardizer struct {
	// Mean[j] is the mean of column j over the fitted rows.
	Mean []float64 `json:"mean"`
	// Scale[j] is the population standard deviation of column j (divisor n,
	// as scikit-learn's StandardScaler), or 1 for a column that is constant
	// over the fitted rows, which the transform then maps to 0. Valid:
	// finite and > 0.
	Scale []float64 `json:"scale"`
}

// FitStandardizer fits a Standardizer to x, a row-major matrix with cols
// columns (len(x) a positive multiple of cols). The error wraps
// ErrInvalidOption for a bad shape, or ErrNonFinite if x holds a NaN or an
// infinity. The statistics of finite values are always finite: the sums
// are scaled so that columns of values up to the float64 limit do not
// overflow.
func FitStandardizer(x []float64, cols int) (*Standardizer, error) {
	if cols < 1 || len(x) == 0 || len(x)%cols != 0 {
		return nil, fmt.Errorf("%w: FitStandardizer: len(x) = %d, cols = %d (valid: cols >= 1, len(x) a positive multiple of cols)", ErrInvalidOption, len(x), cols)
	}
	if i := firstNonFinite(x); i >= 0 {
		return nil, fmt.Errorf("%w: FitStandardizer: x[%d] = %v (row %d, column %d, counted from 0)", ErrNonFinite, i, x[i], i/cols, i%cols)
	}
	rows := len(x) / cols
	s := &Standardizer{Mean: make([]float64, cols), Scale: make([]float64, cols)}
	lo, hi := make([]float64, cols), make([]float64, cols)
	copy(lo, x[:cols])
	copy(hi, x[:cols])
	for i := 0; i < len(x); i += cols {
		for j, v := range x[i : i+cols] {
			lo[j] = min(lo[j], v)
			hi[j] = max(hi[j], v)
		}
	}
	// Each column is summed scaled by the power of two p[j] = 2^(e−1)
	// with max|x| = f·2^e, f in [0.5, 1) (so |x/p| < 2, and p is finite
	// up to the float64 limit), so that neither the sum nor the
	// squares overflow (values near ±1e200 have a representable standard
	// deviation whose square is not). Scaling by a power of two is exact,
	// so the results are those of the unscaled formulas wherever those do
	// not overflow.
	p := make([]float64, cols)
	for j := range p {
		_, e := math.Frexp(max(math.Abs(lo[j]), math.Abs(hi[j])))
		p[j] = math.Ldexp(1, e-1)
	}
	for i := 0; i < len(x); i += cols {
		for j, v := range x[i : i+cols] {
			s.Mean[j] += v / p[j]
		}
	}
	for j := range s.Mean {
		s.Mean[j] /= float64(rows) // the scaled mean, |μ/p| < 2
	}
	// Two-pass variance: σ² = Σ (x − μ)² / n, more accurate than Σx²/n − μ².
	for i := 0; i < len(x); i += cols {
		for j, v := range x[i : i+cols] {
			d := v/p[j] - s.Mean[j]
			s.Scale[j] += d * d
		}
	}
	for j := range s.Scale {
		sd := math.Sqrt(s.Scale[j]/float64(rows)) * p[j]
		s.Mean[j] *= p[j]
		switch {
		case lo[j] == hi[j]:
			// Constant column: exact mean (a sum of equal values divided by n
			// can be off by an ulp) and scale 1, so the column maps to 0.
			s.Mean[j], s.Scale[j] = lo[j], 1
		case sd == 0:
			// Spread so small that its square underflows: treat as constant.
			s.Scale[j] = 1
		default:
			s.Scale[j] = sd
		}
		// σ <= (max − min)/2 <= max|x| and |μ| <= max|x|: both finite.
		if math.IsInf(s.Mean[j], 0) || math.IsInf(s.Scale[j], 0) {
			panic(fmt.Sprintf("data: FitStandardizer: column %d: statistics of finite values overflow", j))
		}
	}
	return s, nil
}

// Validate reports whether s is usable: len(Mean) == len(Scale) >= 1, every
// Mean finite and every Scale finite and > 0. A Standardizer read back from
// a file should be validated; the transforms do it themselves. The error
// wraps ErrInvalidStandardizer.
func (s *Standardizer) Validate() error {
	if s == nil {
		return fmt.Errorf("%w: nil", ErrInvalidStandardizer)
	}
	if len(s.Mean) == 0 || len(s.Mean) != len(s.Scale) {
		return fmt.Errorf("%w: len(Mean) = %d, len(Scale) = %d (valid: equal and >= 1)", ErrInvalidStandardizer, len(s.Mean), len(s.Scale))
	}
	for j := range s.Mean {
		if m := s.Mean[j]; math.IsNaN(m) || math.IsInf(m, 0) {
			return fmt.Errorf("%w: Mean[%d] = %v (valid: finite)", ErrInvalidStandardizer, j, m)
		}
		if c := s.Scale[j]; !(c > 0) || math.IsInf(c, 0) {
			return fmt.Errorf("%w: Scale[%d] = %v (valid: finite and > 0)", ErrInvalidStandardizer, j, c)
		}
	}
	return nil
}

// Cols returns the number of columns s was fitted to (0 for nil).
func (s *Standardizer) Cols() int {
	if s == nil {
		return 0
	}
	return len(s.Mean)
}

// Transform standardises x in place: x[i*c+j] = (x[i*c+j] − Mean[j]) /
// Scale[j], with c = len(Mean). len(x) must be a multiple of c (zero rows is
// allowed). Non-finite values pass through as non-finite.
func (s *Standardizer) Transform(x []float64) error {
	if err := s.check(x); err != nil {
		return err
	}
	c := len(s.Mean)
	for i := 0; i < len(x); i += c {
		row := x[i : i+c]
		for j := range row {
			d := row[j] - s.Mean[j]
			if math.IsInf(d, 0) && !math.IsInf(row[j], 0) {
				// x and μ of opposite signs near the float64 limit: the
				// difference overflows where the result need not.
				d = row[j]/s.Scale[j] - s.Mean[j]/s.Scale[j]
				row[j] = d
				continue
			}
			row[j] = d / s.Scale[j]
		}
	}
	return nil
}

// InverseTransform undoes Transform in place: x[i*c+j] = x[i*c+j]·Scale[j] +
// Mean[j]. Use it to return standardised regression predictions to the
// target's units.
func (s *Standardizer) InverseTransform(x []float64) error {
	if err := s.check(x); err != nil {
		return err
	}
	c := len(s.Mean)
	for i := 0; i < len(x); i += c {
		row := x[i : i+c]
		for j := range row {
			row[j] = row[j]*s.Scale[j] + s.Mean[j]
		}
	}
	return nil
}

// check validates s and the length of x.
func (s *Standardizer) check(x []float64) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if len(x)%len(s.Mean) != 0 {
		return fmt.Errorf("%w: Standardizer: len(x) = %d is not a multiple of the %d fitted columns", ErrInvalidOption, len(x), len(s.Mean))
	}
	return nil
}
