package stochastic

import (
	"context"
	"math"
)

// MultiBatchOptions configure MultiBatch.
type MultiBatchOptions struct {
	Options

	// BatchSize is the number of terms of each batch. Default 1024;
	// valid: [2, N].
	BatchSize int

	// Overlap is the fraction of a batch shared with the next one; the
	// overlap holds round(Overlap·BatchSize) terms, at least 1 and at most
	// BatchSize/2. Default 0.25; valid: (0, 0.5].
	Overlap float64

	// PowellDamping replaces y by θy + (1−θ)Bs when sᵀy < 0.2·sᵀBs, with
	// θ = 0.8·sᵀBs/(sᵀBs − sᵀy) (Nocedal & Wright, Procedure 18.2), so that
	// every pair is stored; Bs = −α·g is known exactly from the step.
	// Default false (pairs that fail the curvature test are skipped).
	PowellDamping bool

	// BlockSize is the number B of consecutive rows that stay together in
	// the stream: each permutation is one of the blocks [q·B, (q+1)·B)
	// (the last shorter when B does not divide N), so that a batch is a run
	// of whole blocks, cut only at its ends, which an objective reading
	// rows from memory reads at about the cost of a sequential pass. Every
	// row is still visited once per pass over the data, but the rows of a
	// block enter a batch together: where neighbouring rows are alike
	// (data stored sorted or grouped) the batch gradient is noisier than
	// with rows drawn one by one, and, unlike progressive batching,
	// nothing here measures that. Default 1; valid: [1, BatchSize/2].
	BlockSize int
}

// DefaultMultiBatchOptions returns batches of 1024 terms drawn one by one,
// overlapping by a quarter, H₀ = sᵀy/yᵀy·I, step length 1 without damping, and the shared
// defaults of Options.
func DefaultMultiBatchOptions() MultiBatchOptions {
	o := MultiBatchOptions{Options: defaultOptions(), BatchSize: DefaultMultiBatchSize, Overlap: DefaultOverlap, BlockSize: 1}
	o.InitialScaling = ByrdScaling
	return o
}

// MultiBatch is the multi-batch L-BFGS method of Berahas, Nocedal and Takáč
// (2016): consecutive batches S_k, S_{k+1} share an overlap O_k, and the
// curvature pair is s = x_{k+1} − x_k, y = ∇F_{O_k}(x_{k+1}) − ∇F_{O_k}(x_k),
// a gradient difference on the same terms, which costs no extra evaluation.
// Batches are consecutive windows of a stream of random permutations of the
// terms.
type MultiBatch struct {
	core
	mopts    MultiBatchOptions
	overlap  int
	str      stream
	gh, gm   []float64 // gradients on the head (previous overlap) and the middle
	gt, gtP  []float64 // gradients on the tail (next overlap) at x_k and at x_{k−1}
	g, gP    []float64 // batch gradients at x_k and x_{k−1}
	step     []float64 // x_k − x_{k−1}
	y        []float64
	havePrev bool
}

// NewMultiBatch returns a multi-batch L-BFGS solver for obj in dimension p,
// after checking the options.
func NewMultiBatch(obj Objective, p int, opts MultiBatchOptions) (*MultiBatch, error) {
	var s MultiBatch
	if err := s.core.init(obj, p, opts.Options, max(1, opts.BatchSize)); err != nil {
		return nil, err
	}
	switch {
	case opts.BatchSize < 2 || opts.BatchSize > s.n:
		return nil, optionErr("BatchSize", opts.BatchSize, "must be in [2, N] with N = %d", s.n)
	case !(opts.Overlap > 0 && opts.Overlap <= 0.5):
		return nil, optionErr("Overlap", opts.Overlap, "must be in (0, 0.5]")
	case opts.BlockSize < 1 || opts.BlockSize > opts.BatchSize/2:
		return nil, optionErr("BlockSize", opts.BlockSize, "must be in [1, BatchSize/2] with BatchSize = %d", opts.BatchSize)
	}
	opts.Options = s.opts
	s.mopts = opts
	s.overlap = min(opts.BatchSize/2, max(1, int(math.Round(opts.Overlap*float64(opts.BatchSize)))))
	s.str = stream{n: s.n, block: opts.BlockSize}
	for _, b := range []*[]float64{&s.gh, &s.gm, &s.gt, &s.gtP, &s.g, &s.gP, &s.step, &s.y} {
		*b = make([]float64, p)
	}
	return &s, nil
}

// OverlapSize returns the number of terms two consecutive batches share.
func (s *MultiBatch) OverlapSize() int { return s.overlap }

// Run performs up to NIterations iterations from x, moving x in place, and
// continues the state of earlier Runs. hook, if not nil, is called after
// every iteration.
func (s *MultiBatch) Run(ctx context.Context, x []float64, hook func(*State) error) (Result, error) {
	if s == nil {
		return Result{}, errNilSolver
	}
	if err := s.checkSteps(s.state.Iteration, s.state.Iteration+s.opts.NIterations); err != nil {
		return Result{}, err
	}
	return s.run(ctx, x, hook, s.iterate)
}

// iterate is one multi-batch iteration on the window head | middle | tail.
func (s *MultiBatch) iterate(x []float64, _ int) (Status, error) {
	b, o := s.mopts.BatchSize, s.overlap
	w := s.str.window(s.rng, b)
	parts := [3]struct {
		rows []int
		g    []float64
	}{{w[:o], s.gh}, {w[o : b-o], s.gm}, {w[b-o:], s.gt}}
	var loss float64
	clear(s.g)
	for _, part := range parts {
		if len(part.rows) == 0 {
			clear(part.g)
			continue
		}
		f, err := s.eval(x, part.rows, part.g, "BatchSize", false)
		if err != nil {
			return 0, err
		}
		// F_S = Σ_parts |part|·F_part / |S|, and likewise the gradient.
		wgt := float64(len(part.rows)) / float64(b)
		loss += wgt * f
		axpy(wgt, part.g, s.g)
	}
	s.state.BatchLoss, s.state.GradientsNorm, s.state.BatchSize = loss, norm2(s.g), b
	if math.IsNaN(loss) || math.IsInf(loss, 0) || firstNonFinite(s.g) >= 0 {
		return Diverged, nil
	}
	if s.havePrev {
		s.pair()
	}
	if s.opts.ConvergenceTest == BatchGradient && s.accurate(s.g, x) {
		return BatchAccuracy, nil
	}
	copy(s.dir, s.g)
	s.hist.twoLoop(s.dir, s.hist.gamma(s.opts.InitialScaling))
	if !s.move(x, s.dir, s.step, s.stepLength(s.state.Iteration)) {
		return Diverged, nil
	}
	copy(s.gtP, s.gt)
	copy(s.gP, s.g)
	s.havePrev = true
	s.str.advance(b - o)
	return NotTerminated, nil
}

// pair forms y = ∇F_O(x_k) − ∇F_O(x_{k−1}) on the overlap O (the head of
// this batch, the tail of the previous one) with s = x_k − x_{k−1}.
func (s *MultiBatch) pair() {
	for i := range s.y {
		s.y[i] = s.gh[i] - s.gtP[i]
	}
	if !s.mopts.PowellDamping {
		s.acceptPair(s.step, s.y)
		return
	}
	// s = −c·H·g_{k−1} with c the step length times any MaxStepNorm
	// shortening, so B·s = −c·g_{k−1} exactly, with B = H⁻¹.
	c := s.factor
	sBs := -c * dot(s.step, s.gP)
	sy := dot(s.step, s.y)
	if sBs > 0 && sy < 0.2*sBs {
		theta := 0.8 * sBs / (sBs - sy)
		for i := range s.y {
			// y ← θ·y + (1−θ)·B·s
			s.y[i] = theta*s.y[i] - (1-theta)*c*s.gP[i]
		}
		s.acceptPair(s.step, s.y)
		if s.state.PairStatus == PairStored {
			s.state.PairStatus = PairDamped
		}
		return
	}
	s.acceptPair(s.step, s.y)
}
