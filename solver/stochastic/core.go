package stochastic

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// core holds what SQN and MultiBatch share: the objective, the options, the
// history, the engine, the state and the work buffers.
type core struct {
	obj   Objective
	hvp   HessianVectorProducer
	n, p  int
	opts  Options
	every int // full-set evaluation period in iterations, 0 for never
	batch int // terms of a batch gradient
	hist  history

	engine *rand.PCG
	rng    *rand.Rand

	state State
	all   []int // 0, 1, …, N−1, built on first use
	gFull []float64
	dir   []float64
	// perEpoch evaluates the full set once per epoch of terms evaluated
	// (ProgressiveBatch, whose iterations vary in size) rather than every
	// `every` iterations; lastFullEpoch is ⌊Epoch⌋ at the last evaluation.
	perEpoch      bool
	lastFullEpoch int64
	// fullAtX reports that the iteration evaluated all N terms at the new x
	// (ProgressiveBatch on the whole set): fullAtXLoss and gFull hold the
	// loss and gradient, so the full-set check costs nothing.
	fullAtX     bool
	fullAtXLoss float64
	// factor is c in x_{k+1} − x_k = −c·d of the last step: α times any
	// MaxStepNorm shortening.
	factor float64
}

func (c *core) init(obj Objective, p int, opts Options, batchSize int) error {
	if obj == nil {
		return fmt.Errorf("stochastic: nil objective: %w", ErrInvalidOption)
	}
	n := obj.NumRows()
	if n < 1 {
		return fmt.Errorf("stochastic: objective has %d terms, want >= 1: %w", n, ErrDimension)
	}
	if p < 1 {
		return fmt.Errorf("stochastic: dimension %d, want >= 1: %w", p, ErrDimension)
	}
	if err := opts.validate(); err != nil {
		return err
	}
	opts.StepLengthSequence = append([]float64(nil), opts.StepLengthSequence...)
	c.obj, c.n, c.p, c.opts, c.batch = obj, n, p, opts, batchSize
	c.hvp, _ = obj.(HessianVectorProducer)
	switch {
	case opts.FullSetEvery > 0:
		c.every = opts.FullSetEvery
	case opts.FullSetEvery == 0:
		c.every = (n + batchSize - 1) / batchSize
	}
	c.hist = newHistory(opts.M, p)
	c.engine = opts.Engine
	if c.engine == nil {
		c.engine = rand.NewPCG(opts.Seed, 0)
	}
	c.rng = rand.New(c.engine)
	c.state = State{FullLoss: math.NaN(), FullGradientsNorm: math.NaN(), FullSetIteration: -1}
	c.gFull = make([]float64, p)
	c.dir = make([]float64, p)
	return nil
}

// Engine returns the random engine, advanced by the runs so far; pass it as
// Options.Engine to continue the random stream in a new solver.
func (c *core) Engine() *rand.PCG { return c.engine }

// State returns a copy of the current state.
func (c *core) State() State { return c.state }

func (c *core) allRows() []int {
	if c.all == nil {
		c.all = make([]int, c.n)
		for i := range c.all {
			c.all[i] = i
		}
	}
	return c.all
}

// eval evaluates the objective on rows, counting the terms unless watch is
// set. option names the setting that asked for a subset, for the error an
// objective without row subsets causes.
func (c *core) eval(x []float64, rows []int, grad []float64, option string, watch bool) (float64, error) {
	f, _, err := c.obj.EvaluateRows(rows, x, grad)
	if err != nil {
		return 0, c.objectiveErr(err, rows, option)
	}
	if !watch {
		c.count(int64(len(rows)))
	}
	return f, nil
}

// objectiveErr wraps an error of the objective; one that cannot evaluate row
// subsets is reported against the option that asked for them.
func (c *core) objectiveErr(err error, rows []int, option string) error {
	if errors.Is(err, ErrRowSubsets) && option != "" {
		return fmt.Errorf("stochastic: %s = %d asks for a subset of the N = %d rows, but the objective cannot evaluate row subsets: %w (%w)",
			option, len(rows), c.n, ErrInvalidOption, err)
	}
	return fmt.Errorf("%w: %w", ErrObjective, err)
}

func (c *core) count(terms int64) {
	c.state.TermsEvaluated += terms
	c.state.Epoch = float64(c.state.TermsEvaluated) / float64(c.n)
}

// hessVec writes ∇²F_S(x)·v into hv with the objective's product (one term
// per row), or by FiniteDifferenceHessianVector (two gradient terms per
// row).
func (c *core) hessVec(x []float64, rows []int, v, hv, work []float64, option string) error {
	if c.hvp != nil {
		if err := c.hvp.HessianVectorRows(rows, x, v, hv); err != nil {
			return c.objectiveErr(err, rows, option)
		}
		c.count(int64(len(rows)))
		c.state.HessianVectorTerms += int64(len(rows))
		return nil
	}
	if err := FiniteDifferenceHessianVector(c.obj, rows, x, v, hv, work); err != nil {
		return c.objectiveErr(err, rows, option)
	}
	c.count(2 * int64(len(rows)))
	return nil
}

// stepLength returns α for the global iteration k.
func (c *core) stepLength(k int) float64 {
	seq := c.opts.StepLengthSequence
	alpha := seq[0]
	if len(seq) > 1 {
		alpha = seq[k]
	}
	if c.opts.StepDecay > 0 {
		// α_k = α / (1 + decay·k·b/N)
		alpha /= 1 + c.opts.StepDecay*float64(k)*float64(c.batch)/float64(c.n)
	}
	return alpha
}

// checkSteps checks that StepLengthSequence covers iterations [from, to).
func (c *core) checkSteps(from, to int) error {
	if n := len(c.opts.StepLengthSequence); n > 1 && n < to {
		return optionErr("StepLengthSequence", fmt.Sprintf("%d values", n),
			"must hold one value or one per iteration: this run reaches iteration %d (from %d)", to, from)
	}
	return nil
}

// accurate is oneDAL's convergence test ‖g‖² < ε·max(1, ‖x‖²).
func (c *core) accurate(g, x []float64) bool {
	return dot(g, g) < c.opts.AccuracyThreshold*max(1, dot(x, x))
}

// move sets x ← x − α·d, shortened to MaxStepNorm, and records the step in
// the state; step receives x_{k+1} − x_k. It reports false, leaving x as it
// was, if the step is not finite.
func (c *core) move(x, d, step []float64, alpha float64) bool {
	for i := range step {
		step[i] = -alpha * d[i]
	}
	norm := norm2(step)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return false
	}
	c.state.StepLength, c.state.StepClipped = alpha, false
	c.factor = alpha
	if mx := c.opts.MaxStepNorm; mx > 0 && norm > mx {
		scale := mx / norm
		for i := range step {
			step[i] *= scale
		}
		norm, c.state.StepClipped = norm2(step), true
		c.factor = alpha * scale
	}
	for i := range x {
		x[i] += step[i]
	}
	c.state.StepNorm = norm
	return true
}

// acceptPair applies the curvature test sᵀy > ε·‖s‖·‖y‖ and stores the pair
// if it passes.
func (c *core) acceptPair(s, y []float64) {
	sy := dot(s, y)
	if sy > c.opts.CurvatureEpsilon*norm2(s)*norm2(y) && !math.IsInf(sy, 0) {
		c.hist.push(s, y)
		c.state.PairStatus = PairStored
		c.state.PairsStored++
		return
	}
	c.state.PairStatus = PairSkipped
	c.state.PairsSkipped++
}

// Result is what Run returns: how the run ended and the state then.
type Result struct {
	// Status says why the run stopped.
	Status Status
	// Iterations is the number of iterations this Run performed.
	Iterations int
	// State is the state after the last iteration.
	State State
}

// stepper performs one iteration: callIter counts from 0 within the Run.
// It returns a non-zero status to stop (Diverged, BatchAccuracy) without
// having counted the iteration.
type stepper func(x []float64, callIter int) (Status, error)

// run is the loop shared by SQN and MultiBatch.
func (c *core) run(ctx context.Context, x []float64, hook func(*State) error, step stepper) (Result, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if len(x) != c.p {
		return Result{}, fmt.Errorf("stochastic: len(x) = %d, want %d: %w", len(x), c.p, ErrDimension)
	}
	if i := firstNonFinite(x); i >= 0 {
		return Result{}, fmt.Errorf("stochastic: x[%d] = %v: %w", i, x[i], ErrInvalidOption)
	}
	c.state.Status = NotTerminated
	maxTerms := int64(math.MaxInt64)
	if c.opts.MaxEpochs > 0 {
		maxTerms = int64(math.Ceil(c.opts.MaxEpochs * float64(c.n)))
	}
	for it := 0; ; it++ {
		if err := ctx.Err(); err != nil {
			return c.stop(Cancelled, it), nil
		}
		if it == c.opts.NIterations {
			return c.stop(IterationLimit, it), nil
		}
		if c.state.TermsEvaluated >= maxTerms {
			return c.stop(EpochLimit, it), nil
		}
		c.state.PairStatus, c.state.FullSetEvaluated, c.fullAtX = NoPair, false, false
		st, err := step(x, it)
		if err != nil {
			c.state.Status = Failure
			return Result{Status: Failure, Iterations: it, State: c.state}, err
		}
		if st != NotTerminated {
			return c.stop(st, it), nil
		}
		c.state.Iteration++
		last := it+1 == c.opts.NIterations || c.state.TermsEvaluated >= maxTerms
		if c.wantFull(last) {
			if err := c.fullSet(x); err != nil {
				c.state.Status = Failure
				return Result{Status: Failure, Iterations: it + 1, State: c.state}, err
			}
			if c.opts.ConvergenceTest == FullSetGradient && c.accurate(c.gFull, x) {
				c.state.Status = FullSetAccuracy
			}
		}
		if c.state.Status == NotTerminated && last {
			c.state.Status = IterationLimit
			if it+1 != c.opts.NIterations {
				c.state.Status = EpochLimit
			}
		}
		if hook != nil {
			if err := hook(&c.state); err != nil {
				c.state.Status = HookStopped
				if errors.Is(err, ErrStop) {
					err = nil
				}
				return Result{Status: HookStopped, Iterations: it + 1, State: c.state}, err
			}
		}
		if c.state.Status != NotTerminated {
			return Result{Status: c.state.Status, Iterations: it + 1, State: c.state}, nil
		}
	}
}

func (c *core) stop(st Status, iterations int) Result {
	c.state.Status = st
	return Result{Status: st, Iterations: iterations, State: c.state}
}

// wantFull reports whether the iteration just counted evaluates the full
// set: every `every` iterations, or once per epoch (perEpoch), and always
// at the last iteration of a run or when the iteration's own evaluation
// was the full set; never with FullSetEvery = −1.
func (c *core) wantFull(last bool) bool {
	switch {
	case c.opts.FullSetEvery == -1:
		return false
	case last || c.fullAtX:
		return true
	case c.perEpoch && c.every == 0:
		return int64(c.state.Epoch) > c.lastFullEpoch
	}
	return c.every > 0 && c.state.Iteration%c.every == 0
}

// fullSet evaluates the loss and gradient on all N terms at x, or takes
// them from the iteration when it evaluated them (fullAtX).
func (c *core) fullSet(x []float64) error {
	f := c.fullAtXLoss
	if !c.fullAtX {
		var err error
		if f, err = c.eval(x, c.allRows(), c.gFull, "", true); err != nil {
			return err
		}
	}
	c.lastFullEpoch = int64(c.state.Epoch)
	c.state.FullSetEvaluated = true
	c.state.FullLoss, c.state.FullGradientsNorm = f, norm2(c.gFull)
	c.state.FullSetIteration = c.state.Iteration
	return nil
}
