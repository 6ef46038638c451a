package stochastic

import (
	"context"
	"math"
	"strconv"
)

// SampleTest chooses the test that decides when the batch of
// ProgressiveBatch grows. Both compare the noise of the batch gradient g
// with the full gradient ∇F, from variances estimated on the batch.
type SampleTest int

const (
	// NormTest is the norm test of Byrd, Chin, Nocedal and Wu (2012):
	// E‖g − ∇F‖² ≤ θ²‖∇F‖², the noise no larger than θ times the
	// gradient. It keeps the linear rate of the full-batch method.
	NormTest SampleTest = iota
	// InnerProductTest is the augmented inner product test of Bollapragada
	// et al. (2018): Var(∇f_iᵀ∇F)/|S| ≤ θ²‖∇F‖⁴ (g a descent direction
	// in expectation) and E‖∇f_i − proj_∇F ∇f_i‖²/|S| ≤ ν²‖∇F‖² (the
	// noise orthogonal to the gradient, with ν = OrthogonalityNu). It
	// tolerates far noisier gradients than the norm test, which suits
	// networks better than convergence to an exact minimiser.
	InnerProductTest
)

// String returns "norm" or "inner-product".
func (t SampleTest) String() string {
	switch t {
	case NormTest:
		return "norm"
	case InnerProductTest:
		return "inner-product"
	}
	return "SampleTest(" + strconv.Itoa(int(t)) + ")"
}

// ProgressiveBatchOptions configure ProgressiveBatch.
type ProgressiveBatchOptions struct {
	Options

	// InitialBatchSize is the number of terms of the first batch; the
	// batch grows from there as SampleTest asks. Default 512; valid:
	// [2, N].
	InitialBatchSize int

	// VarianceGroups is the number K of equal parts a batch is evaluated
	// in: the spread of their mean gradients estimates the variances the
	// tests need, at no extra evaluation. A batch of fewer than K terms is
	// split into single terms. The group gradients take K·p values of
	// memory. Default 16; valid: [2, 4096].
	VarianceGroups int

	// SampleTest chooses the test. Default NormTest.
	SampleTest SampleTest

	// Theta is θ of the test. Default 0.9; valid: finite and > 0.
	Theta float64

	// OrthogonalityNu is ν of the orthogonality part of InnerProductTest;
	// Bollapragada et al. use 5.84 (tan 80°, DefaultOrthogonalityNu).
	// Default 0; valid: 0 with NormTest, finite and > 0 with
	// InnerProductTest.
	OrthogonalityNu float64

	// MaxGrowth is the largest factor by which the batch grows in one
	// iteration, so that one noisy variance estimate (a few groups, few
	// dimensions) cannot jump to the whole set. Default 10; valid: finite
	// and > 1.
	MaxGrowth float64

	// SufficientDecrease is c₁ of the Armijo condition the line search
	// asks of the batch loss, F_S(x − α·d) ≤ F_S(x) − c₁·α·gᵀd.
	// Default 1e-4; valid: (0, 0.5).
	SufficientDecrease float64

	// MaxLineSearchTrials is the number of points the line search may
	// evaluate in one iteration before the run stops with
	// LineSearchFailed. Default 20; valid: >= 1.
	MaxLineSearchTrials int

	// BlockSize is the number B of consecutive rows drawn together: a
	// batch is made of whole blocks [q·B, (q+1)·B) (the last block shorter
	// when B does not divide N), drawn uniformly without replacement, and
	// each variance group of whole blocks. Every row stays equally likely
	// to be in a batch, but the rows of a block enter together: where
	// neighbouring rows are alike (data stored sorted or grouped) a batch
	// holds less information than as many rows drawn one by one. The
	// variance estimates, made from groups of whole blocks, measure the
	// noise of the batch as drawn, so the sample test then grows the batch
	// sooner. Blocks pay off with an objective that reads its rows from
	// memory: a block is one sequential read instead of B random ones
	// (with rows in random order on disk or in memory, as after a
	// shuffle, a block is as good a sample as B single rows). Batch sizes
	// are whole blocks: the next batch is rounded up to a multiple of
	// VarianceGroups·B. Default 1 (rows drawn one by one); valid:
	// [1, InitialBatchSize/2], so that a batch holds two blocks at least.
	BlockSize int
}

// The defaults of ProgressiveBatchOptions.
const (
	DefaultInitialBatchSize    = 512
	DefaultVarianceGroups      = 16
	DefaultTheta               = 0.9
	DefaultMaxGrowth           = 10
	DefaultOrthogonalityNu     = 5.84 // Bollapragada et al.'s ν, for InnerProductTest
	DefaultSufficientDecrease  = 1e-4
	DefaultMaxLineSearchTrials = 20
	maxVarianceGroups          = 4096
)

// DefaultProgressiveBatchOptions returns a first batch of 512 terms drawn
// one by one, 16 variance groups, the norm test with θ = 0.9, growth by at
// most 10 times per iteration, c₁ = 1e-4, H₀ = sᵀy/yᵀy·I, a first trial
// step of 1 for the line search (StepLengthSequence), and the shared
// defaults of Options.
func DefaultProgressiveBatchOptions() ProgressiveBatchOptions {
	o := ProgressiveBatchOptions{
		Options:             defaultOptions(),
		InitialBatchSize:    DefaultInitialBatchSize,
		VarianceGroups:      DefaultVarianceGroups,
		Theta:               DefaultTheta,
		MaxGrowth:           DefaultMaxGrowth,
		SufficientDecrease:  DefaultSufficientDecrease,
		MaxLineSearchTrials: DefaultMaxLineSearchTrials,
		BlockSize:           1,
	}
	o.InitialScaling = ByrdScaling
	return o
}

// ProgressiveBatch is the progressive batching L-BFGS method of
// Bollapragada, Mudigere, Nocedal, Shi and Tang (2018): each iteration draws a
// fresh batch S_k, takes the L-BFGS direction d = H·∇F_S(x) and a
// backtracking Armijo line search on the batch loss F_S, and forms the
// pair s = x_{k+1} − x_k, y = ∇F_S(x_{k+1}) − ∇F_S(x_k) on the same batch
// (the gradient at the accepted trial point, which the line search
// evaluated anyway). The batch grows when SampleTest fails (the norm test
// of Byrd, Chin, Nocedal and Wu, or the augmented inner product test of
// Bollapragada et al.), to the size that would pass it; the variances come
// from the mean gradients of VarianceGroups parts of the batch. Once the batch holds all N terms it is the whole set in
// order and the method is full-batch L-BFGS with a backtracking line
// search (the accepted trial's gradient is the next iteration's), which
// converges to the exact minimiser at the rate of full-batch L-BFGS.
//
// StepLengthSequence gives the first trial step of each line search;
// StepDecay must be 0, since the line search chooses the step. BlockSize
// draws batches as blocks of consecutive rows, which an objective reading
// rows from memory evaluates at about the cost of a sequential pass.
type ProgressiveBatch struct {
	core
	popts ProgressiveBatchOptions
	size  int   // terms of the next batch
	perm  []int // the block indices 0, 1, …, ⌈N/B⌉−1 between two samples
	swaps []int
	rows  []int // the batch, group after group
	// drawn holds the blocks of the batch, group after group; bounds the
	// k+1 row offsets of the groups in rows.
	drawn, bounds []int
	// groups holds the K group mean gradients of the last batch, row j
	// for group j, and serves the line search as scratch.
	groups    []float64
	g, gt, xt []float64 // batch gradient at x and at the trial point, the trial point
	step, y   []float64
	haveNext  bool // the batch is the whole set and g, fNext hold F and ∇F at x
	fNext     float64
	noise     float64 // estimated E‖g − ∇F‖² of the batch gradient, 0 on the whole set
	// partial holds the rows of the last batch when the next is the whole
	// set: g and fNext then hold the gradient and loss on these rows at x
	// (from the accepted trial), and the first iteration on the whole set
	// evaluates only the other rows.
	partial      []int
	mark         []bool
	comp         []int
	sorted       []int    // the batch in increasing order, for the line search
	sortedBlocks []int    // its blocks in increasing order
	gid          []uint16 // 1 + the variance group of each block of the batch being ordered, else 0
	next         []int
	pending      int // the size of the next batch, decided before the line search
}

// NewProgressiveBatch returns a progressive batching L-BFGS solver for obj
// in dimension p, after checking the options.
func NewProgressiveBatch(obj Objective, p int, opts ProgressiveBatchOptions) (*ProgressiveBatch, error) {
	var s ProgressiveBatch
	if err := s.core.init(obj, p, opts.Options, max(1, opts.InitialBatchSize)); err != nil {
		return nil, err
	}
	switch {
	case opts.InitialBatchSize < 2 || opts.InitialBatchSize > s.n:
		return nil, optionErr("InitialBatchSize", opts.InitialBatchSize, "must be in [2, N] with N = %d", s.n)
	case opts.VarianceGroups < 2 || opts.VarianceGroups > maxVarianceGroups:
		return nil, optionErr("VarianceGroups", opts.VarianceGroups, "must be in [2, %d]", maxVarianceGroups)
	case opts.SampleTest != NormTest && opts.SampleTest != InnerProductTest:
		return nil, optionErr("SampleTest", opts.SampleTest, "must be NormTest or InnerProductTest")
	case !(opts.Theta > 0) || math.IsInf(opts.Theta, 0):
		return nil, optionErr("Theta", opts.Theta, "must be finite and > 0")
	case opts.SampleTest == NormTest && opts.OrthogonalityNu != 0:
		return nil, optionErr("OrthogonalityNu", opts.OrthogonalityNu, "must be 0 with SampleTest NormTest (it belongs to InnerProductTest)")
	case opts.SampleTest == InnerProductTest && (!(opts.OrthogonalityNu > 0) || math.IsInf(opts.OrthogonalityNu, 0)):
		return nil, optionErr("OrthogonalityNu", opts.OrthogonalityNu, "must be finite and > 0 with SampleTest InnerProductTest (Bollapragada et al. use 5.84)")
	case !(opts.MaxGrowth > 1) || math.IsInf(opts.MaxGrowth, 0):
		return nil, optionErr("MaxGrowth", opts.MaxGrowth, "must be finite and > 1")
	case !(opts.SufficientDecrease > 0 && opts.SufficientDecrease < 0.5):
		return nil, optionErr("SufficientDecrease", opts.SufficientDecrease, "must be in (0, 0.5)")
	case opts.MaxLineSearchTrials < 1:
		return nil, optionErr("MaxLineSearchTrials", opts.MaxLineSearchTrials, "must be >= 1")
	case opts.StepDecay != 0:
		return nil, optionErr("StepDecay", opts.StepDecay, "must be 0 for ProgressiveBatch: its line search chooses the step")
	case opts.BlockSize < 1 || opts.BlockSize > opts.InitialBatchSize/2:
		return nil, optionErr("BlockSize", opts.BlockSize, "must be in [1, InitialBatchSize/2] with InitialBatchSize = %d (a batch of two blocks at least)", opts.InitialBatchSize)
	}
	opts.Options = s.opts
	s.popts = opts
	s.size = opts.InitialBatchSize
	if bs := opts.BlockSize; (s.size+bs-1)/bs >= (s.n+bs-1)/bs {
		// A first batch of every block is the whole set.
		s.size = s.n
	}
	if opts.FullSetEvery == 0 {
		// Iterations vary in cost: once per epoch of terms instead.
		s.every, s.perEpoch = 0, true
	}
	s.groups = make([]float64, min(opts.VarianceGroups, s.n)*p)
	for _, b := range []*[]float64{&s.g, &s.gt, &s.xt, &s.step, &s.y} {
		*b = make([]float64, p)
	}
	return &s, nil
}

// BatchSize returns the number of terms of the next iteration's batch.
func (s *ProgressiveBatch) BatchSize() int { return s.size }

// Run performs up to NIterations iterations from x, moving x in place, and
// continues the state of earlier Runs. hook, if not nil, is called after
// every iteration.
func (s *ProgressiveBatch) Run(ctx context.Context, x []float64, hook func(*State) error) (Result, error) {
	if s == nil {
		return Result{}, errNilSolver
	}
	if err := s.checkSteps(s.state.Iteration, s.state.Iteration+s.opts.NIterations); err != nil {
		return Result{}, err
	}
	return s.run(ctx, x, hook, s.iterate)
}

// iterate is one progressive batching iteration.
func (s *ProgressiveBatch) iterate(x []float64, _ int) (Status, error) {
	full := s.size == s.n
	rows := s.sample(s.size)
	b := len(rows)
	f := s.fNext
	var err error
	switch {
	case s.haveNext:
	case len(s.partial) > 0:
		f, err = s.completeFull(x)
	default:
		f, err = s.evalBatch(x, rows, s.g, !full)
	}
	if err != nil {
		return 0, err
	}
	s.haveNext, s.partial = false, s.partial[:0]
	s.state.BatchLoss, s.state.GradientsNorm, s.state.BatchSize = f, norm2(s.g), b
	s.state.LineSearchTrials = 0
	if math.IsNaN(f) || math.IsInf(f, 0) || firstNonFinite(s.g) >= 0 {
		return Diverged, nil
	}
	if s.opts.ConvergenceTest == BatchGradient && s.accurate(s.g, x) {
		return BatchAccuracy, nil
	}
	s.pending, s.noise = b, 0
	if !full {
		s.pending = s.testedSize(b)
	}
	copy(s.dir, s.g)
	s.hist.twoLoop(s.dir, s.hist.gamma(s.opts.InitialScaling))
	gd := dot(s.g, s.dir)
	if !(gd > 0) || math.IsInf(gd, 0) {
		// Not a descent direction (rounding in a badly conditioned
		// history): the steepest descent direction instead.
		copy(s.dir, s.g)
		gd = dot(s.g, s.g)
	}
	st, err := s.lineSearch(x, rows, f, gd, full)
	if err != nil || st != NotTerminated {
		return st, err
	}
	s.size = s.pending
	return NotTerminated, nil
}

// trialRows returns the rows of the batch in increasing order.
func (s *ProgressiveBatch) trialRows(rows []int, full bool) []int {
	if full {
		return rows
	}
	return s.sorted
}

// completeFull returns F(x) and writes ∇F(x) into s.g when s.g and
// s.fNext hold them on the rows s.partial: it evaluates the other rows
// only and combines, F = (|P|·F_P + |C|·F_C)/N.
func (s *ProgressiveBatch) completeFull(x []float64) (float64, error) {
	if s.mark == nil {
		s.mark = make([]bool, s.n)
	}
	for _, r := range s.partial {
		s.mark[r] = true
	}
	s.comp = s.comp[:0]
	for i, in := range s.mark {
		if !in {
			s.comp = append(s.comp, i)
		}
	}
	clear(s.mark)
	fc, err := s.eval(x, s.comp, s.gt, "InitialBatchSize", false)
	if err != nil {
		return 0, err
	}
	w := float64(len(s.partial)) / float64(s.n)
	for i := range s.g {
		s.g[i] = w*s.g[i] + (1-w)*s.gt[i]
	}
	return w*s.fNext + (1-w)*fc, nil
}

// evalBatch returns F_S(x) and writes ∇F_S(x) into grad, evaluating the
// batch in the groups s.bounds delimits, whose mean gradients land in
// s.groups, when grouped is set, in one piece otherwise.
func (s *ProgressiveBatch) evalBatch(x []float64, rows []int, grad []float64, grouped bool) (float64, error) {
	if !grouped {
		return s.eval(x, rows, grad, "InitialBatchSize", false)
	}
	b, p := len(rows), s.p
	clear(grad)
	var f float64
	for j := range len(s.bounds) - 1 {
		lo, hi := s.bounds[j], s.bounds[j+1]
		gj := s.groups[j*p : (j+1)*p]
		fj, err := s.eval(x, rows[lo:hi], gj, "InitialBatchSize", false)
		if err != nil {
			return 0, err
		}
		// F_S = Σ_j |G_j|·F_{G_j} / |S|, and likewise the gradient.
		w := float64(hi-lo) / float64(b)
		f += w * fj
		axpy(w, gj, grad)
	}
	return f, nil
}

// testedSize applies the augmented inner product test to the batch of b
// terms just evaluated and returns the size of the next batch: b if it
// passes, else the smallest size that would pass with the estimated
// variances, at most MaxGrowth·b, rounded up to a multiple of
// VarianceGroups·BlockSize, at most N. It also sets s.noise, the
// estimated E‖g − ∇F‖² of the batch gradient g.
//
// With group means ḡ_j of n_j terms and d_j = ḡ_j − g, the per-term
// variances come from the between-groups sums of squares (K − 1 degrees
// of freedom, since E[n_j·‖ḡ_j − μ‖²] is the per-term variance):
//
//	tr Σ                  ≈ Σ_j n_j ‖d_j‖² / (K−1)
//	Var(∇f_iᵀg)           ≈ Σ_j n_j (d_jᵀg)² / (K−1)
//	E‖∇f_i − proj_g ∇f_i‖² ≈ Σ_j n_j (‖d_j‖² − (d_jᵀg)²/‖g‖²) / (K−1)
//
// ‖∇F‖² in the tests is estimated without the bias of ‖g‖², whose
// expectation is ‖∇F‖² + tr Σ/b: G² = ‖g‖² − tr Σ/b.
func (s *ProgressiveBatch) testedSize(b int) int {
	p, k := s.p, len(s.bounds)-1
	gg := dot(s.g, s.g)
	s.noise = 0
	if !(gg > 0) {
		return s.n
	}
	var trace, vInner, vOrth float64
	for j := range k {
		nj := float64(s.bounds[j+1] - s.bounds[j])
		gj := s.groups[j*p : (j+1)*p]
		var dg, dd float64
		for i, v := range gj {
			d := v - s.g[i]
			dg += d * s.g[i]
			dd += d * d
		}
		trace += nj * dd
		vInner += nj * dg * dg
		vOrth += nj * max(0, dd-dg*dg/gg)
	}
	dof := float64(k - 1)
	trace, vInner, vOrth = trace/dof, vInner/dof, vOrth/dof
	s.noise = trace / float64(b)
	signal := gg - s.noise
	theta, nu := s.popts.Theta, s.popts.OrthogonalityNu
	// The smallest b' that passes: tr Σ/b' ≤ θ²G² (norm test), or
	// Var_inner/b' ≤ θ²G⁴ and Var_orth/b' ≤ ν²G² (inner product test);
	// without a positive G² the batch cannot tell the gradient from its
	// noise and grows as much as it may.
	need := math.Inf(1)
	if signal > 0 {
		need = trace / (theta * theta * signal)
		if s.popts.SampleTest == InnerProductTest {
			need = max(vInner/(theta*theta*signal*signal), vOrth/(nu*nu*signal))
		}
	}
	if !(need > float64(b)) {
		return b
	}
	need = min(need, s.popts.MaxGrowth*float64(b))
	if need >= float64(s.n) {
		return s.n
	}
	kk := s.popts.VarianceGroups * s.popts.BlockSize
	return min(s.n, (int(math.Ceil(need))+kk-1)/kk*kk)
}

// lineSearch backtracks from the first trial step until the batch loss
// decreases enough (Armijo), then moves x and forms the pair on the batch.
// gd = gᵀd > 0. Trial steps shrink by the minimiser of the quadratic
// through F_S(x), its slope and the last trial, kept in [0.1, 0.5] times
// the last step (Nocedal & Wright, §3.5).
func (s *ProgressiveBatch) lineSearch(x []float64, rows []int, f, gd float64, full bool) (Status, error) {
	// The first trial step, shortened by the noise of the batch gradient:
	// α₀ = α/(1 + E‖g − ∇F‖²/‖g‖²) (Bollapragada et al., §3).
	alpha := s.stepLength(s.state.Iteration) / (1 + s.noise/dot(s.g, s.g))
	clipped := false
	if mx := s.opts.MaxStepNorm; mx > 0 {
		if dn := norm2(s.dir); alpha*dn > mx {
			alpha, clipped = mx/dn, true
		}
	}
	c1 := s.popts.SufficientDecrease
	for trial := 1; trial <= s.popts.MaxLineSearchTrials; trial++ {
		for i := range x {
			s.step[i] = -alpha * s.dir[i]
			s.xt[i] = x[i] + s.step[i]
		}
		// The trial needs no groups: the batch in row order, in one piece.
		ft, err := s.eval(s.xt, s.trialRows(rows, full), s.gt, "InitialBatchSize", false)
		if err != nil {
			return 0, err
		}
		s.state.LineSearchTrials = trial
		finite := !math.IsNaN(ft) && !math.IsInf(ft, 0) && firstNonFinite(s.gt) < 0
		if finite && ft <= f-c1*alpha*gd {
			s.accept(x, rows, ft, alpha, clipped, full)
			return NotTerminated, nil
		}
		next := 0.5 * alpha
		if finite {
			// φ(a) ≈ f − gd·a + c·a² through φ(alpha) = ft; its minimiser.
			q := gd * alpha * alpha / (2 * (ft - f + gd*alpha))
			next = min(0.5*alpha, max(0.1*alpha, q))
		}
		alpha = next
	}
	return LineSearchFailed, nil
}

// accept moves x to the trial point and forms the pair
// y = ∇F_S(x_{k+1}) − ∇F_S(x_k) on the batch. On the whole set the trial's
// loss and gradient are the next iteration's and the full-set values;
// before the first iteration on the whole set they are its part on rows.
func (s *ProgressiveBatch) accept(x []float64, rows []int, ft, alpha float64, clipped, full bool) {
	s.state.StepLength, s.state.StepClipped, s.state.StepNorm = alpha, clipped, norm2(s.step)
	s.factor = alpha
	copy(x, s.xt)
	for i := range s.y {
		s.y[i] = s.gt[i] - s.g[i]
	}
	s.acceptPair(s.step, s.y)
	switch {
	case full:
		copy(s.g, s.gt)
		copy(s.gFull, s.gt)
		s.fNext, s.haveNext = ft, true
		s.fullAtX, s.fullAtXLoss = true, ft
	case s.pending == s.n:
		copy(s.g, s.gt)
		s.fNext = ft
		s.partial = append(s.partial[:0], rows...)
	}
}
