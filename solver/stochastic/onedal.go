package stochastic

import "fmt"

// CorrectionPairs returns a copy of oneDAL's correctionPairs table: 2M rows
// of length p, row-major, s_j in row j and y_j in row M+j; empty slots hold
// zeros.
func (c *core) CorrectionPairs() []float64 { return append([]float64(nil), c.hist.pairs...) }

// CorrectionIndices returns oneDAL's correctionIndices table: the buffer row
// of the newest correction pair (M−1 before the first) and the index of the
// last iteration performed (−1 before the first).
func (c *core) CorrectionIndices() [2]int { return [2]int{c.hist.newest, c.state.Iteration - 1} }

// AverageArgumentLIterations returns a copy of oneDAL's
// averageArgumentLIterations table, 2 rows of length p: row 0 is w̄ of the
// last complete L-block, row 1 the running sum of the iterates of the
// current block (zeros at a block boundary), as oneDAL keeps it.
func (s *SQN) AverageArgumentLIterations() []float64 { return append([]float64(nil), s.avg...) }

// SetOptionalInput loads oneDAL's optional inputs, as written by the three
// methods above, into a solver that has not run yet: the next Run continues
// from iteration correctionIndices[1]+1 with these pairs and averages.
// Together with the same engine (Options.Engine, see Engine) and x, the
// continuation is bit-identical to an uninterrupted run. A nil table keeps
// the fresh state's zeros.
func (s *SQN) SetOptionalInput(correctionPairs []float64, correctionIndices [2]int, averageArgumentLIterations []float64) error {
	if s.state.Iteration != 0 || s.state.TermsEvaluated != 0 {
		return fmt.Errorf("stochastic: SetOptionalInput on a solver that has already run: %w", ErrInvalidOption)
	}
	m, p := s.hist.m, s.p
	if correctionPairs != nil && len(correctionPairs) != 2*m*p {
		return optionErr("correctionPairs", fmt.Sprintf("%d values", len(correctionPairs)), "must be a 2M×p table of %d values (M = %d, p = %d)", 2*m*p, m, p)
	}
	if averageArgumentLIterations != nil && len(averageArgumentLIterations) != 2*p {
		return optionErr("averageArgumentLIterations", fmt.Sprintf("%d values", len(averageArgumentLIterations)), "must be a 2×p table of %d values (p = %d)", 2*p, p)
	}
	if k := correctionIndices[0]; k < 0 || k >= m {
		return optionErr("correctionIndices", correctionIndices, "the correction index must be in [0, M) with M = %d", m)
	}
	if correctionIndices[1] < -1 {
		return optionErr("correctionIndices", correctionIndices, "the last iteration must be >= -1")
	}
	for name, t := range map[string][]float64{"correctionPairs": correctionPairs, "averageArgumentLIterations": averageArgumentLIterations} {
		if i := firstNonFinite(t); i >= 0 {
			return optionErr(name, fmt.Sprintf("[%d] = %v", i, t[i]), "values must be finite")
		}
	}
	if correctionPairs != nil {
		copy(s.hist.pairs, correctionPairs)
		s.hist.recomputeRho()
	}
	s.hist.newest = correctionIndices[0]
	if averageArgumentLIterations != nil {
		copy(s.avg, averageArgumentLIterations)
	}
	s.state.Iteration = correctionIndices[1] + 1
	return nil
}
