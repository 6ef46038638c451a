package stochastic

import (
	"context"
	"fmt"
	"math"
)

// SQNOptions configure SQN. The fields named after oneDAL's parameters take
// oneDAL's defaults; see DefaultSQNOptions and RecommendedSQNOptions.
type SQNOptions struct {
	Options

	// L is the number of iterations between two correction pairs, oneDAL's
	// L. Default 10; valid: >= 1.
	L int

	// BatchSize is the number of terms of the stochastic gradient, oneDAL's
	// batchSize. With BatchSize = N every iteration uses all terms, in
	// order, and draws nothing from the engine. Default 10; valid: [1, N].
	BatchSize int

	// CorrectionPairBatchSize is the number of terms of the sub-sampled
	// Hessian of a correction pair, oneDAL's correctionPairBatchSize (all
	// terms, in order, when equal to N). Default 100; valid: [1, N].
	CorrectionPairBatchSize int

	// BatchIndices, oneDAL's batchIndices, replaces random sampling: row i
	// holds the BatchSize term indices of the i-th iteration of the Run
	// (rows count from 0 at every Run, as in oneDAL). Default nil; valid:
	// nil, or at least NIterations rows of BatchSize distinct indices in
	// [0, N).
	BatchIndices [][]int

	// CorrectionPairIndices, oneDAL's correctionPairIndices, replaces random
	// sampling for the correction pairs: row i holds the
	// CorrectionPairBatchSize term indices of the i-th pair the Run computes
	// (at most NIterations/L + 1 of them). Default nil; valid: nil, or at
	// least as many rows as the Run computes pairs, each of
	// CorrectionPairBatchSize distinct indices in [0, N).
	CorrectionPairIndices [][]int
}

// DefaultSQNOptions returns oneDAL's defaults exactly (m = 10, L = 10,
// batchSize = 10, correctionPairBatchSize = 100, a step length of 1,
// nIterations = 100, accuracyThreshold = 1e-5, H₀ = I, no step limit), with
// the convergence test on the full-set gradient once per epoch; set
// ConvergenceTest to BatchGradient for oneDAL's stopping rule as well.
func DefaultSQNOptions() SQNOptions {
	return SQNOptions{
		Options:                 defaultOptions(),
		L:                       DefaultL,
		BatchSize:               DefaultBatchSize,
		CorrectionPairBatchSize: DefaultCorrectionPairBatchSize,
	}
}

// RecommendedSQNOptions returns the settings this package recommends for
// training on n terms: H₀ = sᵀy/yᵀy·I (Byrd et al.), batches of
// min(256, n) terms, correction pairs on min(1024, n) terms every 10
// iterations, a step length of 0.5 divided by 1 + epoch (StepDecay 1), and
// steps of at most 1 in Euclidean length, so that a noisy batch cannot blow
// the iterate up.
func RecommendedSQNOptions(n int) SQNOptions {
	o := DefaultSQNOptions()
	o.InitialScaling = ByrdScaling
	o.StepLengthSequence = []float64{RecommendedStepLength}
	o.StepDecay = RecommendedStepDecay
	o.MaxStepNorm = RecommendedMaxStepNorm
	o.BatchSize = max(1, min(RecommendedBatchSize, n))
	o.CorrectionPairBatchSize = max(1, min(RecommendedCorrectionPairBatchSize, n))
	return o
}

// SQN is the stochastic quasi-Newton method of Byrd, Hansen, Nocedal and
// Singer (2016) as oneDAL's LBFGS solver implements it: x ← x − α·H·∇F_S(x)
// on a batch S of BatchSize terms; every L iterations the average w̄ of the
// last L iterates gives the pair s = w̄_t − w̄_{t−1}, y = ∇²F_T(w̄_t)·s on
// CorrectionPairBatchSize terms T, stored in a cyclic buffer of M pairs.
type SQN struct {
	core
	sopts   SQNOptions
	avg     []float64 // rows 0 (w̄ of the previous block) and 1 (running sum of the current block): oneDAL's averageArgumentLIterations
	g, step []float64
	y, work []float64
	rows    []int
	hrows   []int
	seen    map[int]struct{}
	pairRow int // correction pairs computed in the current Run
}

// NewSQN returns an SQN solver for obj in dimension p, after checking the
// options (an *OptionError names the first bad one).
func NewSQN(obj Objective, p int, opts SQNOptions) (*SQN, error) {
	var s SQN
	if err := s.core.init(obj, p, opts.Options, max(1, opts.BatchSize)); err != nil {
		return nil, err
	}
	n := s.n
	switch {
	case opts.L < 1:
		return nil, optionErr("L", opts.L, "must be >= 1")
	case opts.BatchSize < 1 || opts.BatchSize > n:
		return nil, optionErr("BatchSize", opts.BatchSize, "must be in [1, N] with N = %d", n)
	case opts.CorrectionPairBatchSize < 1 || opts.CorrectionPairBatchSize > n:
		return nil, optionErr("CorrectionPairBatchSize", opts.CorrectionPairBatchSize, "must be in [1, N] with N = %d", n)
	}
	if err := checkTable("BatchIndices", opts.BatchIndices, opts.BatchSize, n); err != nil {
		return nil, err
	}
	if err := checkTable("CorrectionPairIndices", opts.CorrectionPairIndices, opts.CorrectionPairBatchSize, n); err != nil {
		return nil, err
	}
	opts.Options = s.opts
	s.sopts = opts
	s.avg = make([]float64, 2*p)
	s.g, s.step, s.y, s.work = make([]float64, p), make([]float64, p), make([]float64, p), make([]float64, 3*p)
	s.rows, s.hrows = make([]int, opts.BatchSize), make([]int, opts.CorrectionPairBatchSize)
	s.seen = make(map[int]struct{})
	return &s, nil
}

// checkTable checks an index table: rows of width distinct values in [0, n).
func checkTable(name string, t [][]int, width, n int) error {
	for i, row := range t {
		if len(row) != width {
			return optionErr(name, fmt.Sprintf("row %d of %d values", i, len(row)), "each row must hold %d indices", width)
		}
		seen := make(map[int]bool, len(row))
		for j, v := range row {
			if v < 0 || v >= n {
				return optionErr(name, fmt.Sprintf("[%d][%d] = %d", i, j, v), "indices must be in [0, N) with N = %d", n)
			}
			if seen[v] {
				return optionErr(name, fmt.Sprintf("[%d][%d] = %d", i, j, v), "indices in a row must be distinct")
			}
			seen[v] = true
		}
	}
	return nil
}

// pairsIn returns the number of correction pairs SQN computes over global
// iterations [from, to): one at the end of every L-block from the second on.
func pairsIn(from, to, l int) int {
	blocks := func(k int) int { return max(0, k/l-1) }
	return blocks(to) - blocks(from)
}

// Run performs up to NIterations iterations from x, moving x in place, and
// continues the state of earlier Runs (as oneDAL does when given its
// optional inputs). hook, if not nil, is called after every iteration.
func (s *SQN) Run(ctx context.Context, x []float64, hook func(*State) error) (Result, error) {
	if s == nil {
		return Result{}, errNilSolver
	}
	from := s.state.Iteration
	to := from + s.opts.NIterations
	if err := s.checkSteps(from, to); err != nil {
		return Result{}, err
	}
	if t := s.sopts.BatchIndices; t != nil && len(t) < s.opts.NIterations {
		return Result{}, optionErr("BatchIndices", fmt.Sprintf("%d rows", len(t)), "must have NIterations = %d rows of %d indices", s.opts.NIterations, s.sopts.BatchSize)
	}
	if t, need := s.sopts.CorrectionPairIndices, pairsIn(from, to, s.sopts.L); t != nil && len(t) < need {
		return Result{}, optionErr("CorrectionPairIndices", fmt.Sprintf("%d rows", len(t)), "this run computes %d correction pairs and needs a row of %d indices for each", need, s.sopts.CorrectionPairBatchSize)
	}
	s.pairRow = 0
	return s.run(ctx, x, hook, s.iterate)
}

// batch returns the rows of the call's it-th iteration.
func (s *SQN) batch(it int) []int {
	switch {
	case s.sopts.BatchIndices != nil:
		return s.sopts.BatchIndices[it]
	case s.sopts.BatchSize == s.n:
		return s.allRows()
	}
	sampleWithoutReplacement(s.rng, s.n, s.rows, s.seen)
	return s.rows
}

// iterate is one SQN iteration.
func (s *SQN) iterate(x []float64, it int) (Status, error) {
	rows := s.batch(it)
	f, err := s.eval(x, rows, s.g, "BatchSize", false)
	if err != nil {
		return 0, err
	}
	s.state.BatchLoss, s.state.GradientsNorm, s.state.BatchSize = f, norm2(s.g), len(rows)
	if math.IsNaN(f) || math.IsInf(f, 0) || firstNonFinite(s.g) >= 0 {
		return Diverged, nil
	}
	if s.opts.ConvergenceTest == BatchGradient && s.accurate(s.g, x) {
		return BatchAccuracy, nil
	}
	p := s.p
	sum := s.avg[p:]
	// Σ over the block of the iterates at the start of each iteration.
	axpy(1, x, sum)
	copy(s.dir, s.g)
	s.hist.twoLoop(s.dir, s.hist.gamma(s.opts.InitialScaling))
	if !s.move(x, s.dir, s.step, s.stepLength(s.state.Iteration)) {
		axpy(-1, x, sum)
		return Diverged, nil
	}
	if (s.state.Iteration+1)%s.sopts.L != 0 {
		return NotTerminated, nil
	}
	return NotTerminated, s.endBlock()
}

// endBlock closes an L-block: w̄_t = (1/L)·Σ x, and from the second block on
// the pair s = w̄_t − w̄_{t−1}, y = ∇²F_T(w̄_t)·s.
func (s *SQN) endBlock() error {
	p := s.p
	prev, cur := s.avg[:p], s.avg[p:]
	invL := 1 / float64(s.sopts.L)
	for i := range cur {
		cur[i] *= invL
	}
	if (s.state.Iteration+1)/s.sopts.L >= 2 {
		for i := range s.step {
			s.step[i] = cur[i] - prev[i]
		}
		rows := s.pairRows()
		if err := s.hessVec(cur, rows, s.step, s.y, s.work, "CorrectionPairBatchSize"); err != nil {
			return err
		}
		s.pairRow++
		if firstNonFinite(s.y) >= 0 {
			s.state.PairStatus = PairSkipped
			s.state.PairsSkipped++
		} else {
			s.acceptPair(s.step, s.y)
		}
	}
	copy(prev, cur)
	clear(cur)
	return nil
}

func (s *SQN) pairRows() []int {
	switch {
	case s.sopts.CorrectionPairIndices != nil:
		return s.sopts.CorrectionPairIndices[s.pairRow]
	case s.sopts.CorrectionPairBatchSize == s.n:
		return s.allRows()
	}
	sampleWithoutReplacement(s.rng, s.n, s.hrows, s.seen)
	return s.hrows
}
