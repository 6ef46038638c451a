package stochastic

import (
	"math"
	"math/rand/v2"
	"strconv"
)

// Defaults. The oneDAL parameters (M, L, BatchSize, CorrectionPairBatchSize,
// StepLengthSequence, NIterations, AccuracyThreshold) default to oneDAL's
// values; the seed to that of oneDAL's mt19937 engine.
const (
	DefaultM                       = 10   // oneDAL m
	DefaultL                       = 10   // oneDAL L
	DefaultBatchSize               = 10   // oneDAL batchSize
	DefaultCorrectionPairBatchSize = 100  // oneDAL correctionPairBatchSize
	DefaultStepLength              = 1.0  // oneDAL stepLengthSequence, a 1×1 table holding 1
	DefaultNIterations             = 100  // oneDAL nIterations
	DefaultAccuracyThreshold       = 1e-5 // oneDAL accuracyThreshold
	DefaultSeed                    = 777  // oneDAL's mt19937 default seed
	DefaultCurvatureEpsilon        = 1e-8
	DefaultMultiBatchSize          = 1024
	DefaultOverlap                 = 0.25

	// The settings of RecommendedSQNOptions.
	RecommendedStepLength              = 0.5
	RecommendedStepDecay               = 1.0
	RecommendedMaxStepNorm             = 1.0
	RecommendedBatchSize               = 256
	RecommendedCorrectionPairBatchSize = 1024
)

// InitialScaling chooses H₀, the initial inverse Hessian of the two-loop
// recursion.
type InitialScaling int

const (
	// IdentityScaling: H₀ = I, as oneDAL.
	IdentityScaling InitialScaling = iota
	// ByrdScaling: H₀ = (sᵀy / yᵀy)·I from the newest stored pair, as Byrd
	// et al. (2016) and Berahas et al. (2016).
	ByrdScaling
)

// String returns "identity" or "byrd".
func (s InitialScaling) String() string {
	switch s {
	case IdentityScaling:
		return "identity"
	case ByrdScaling:
		return "byrd"
	}
	return "InitialScaling(" + strconv.Itoa(int(s)) + ")"
}

// ConvergenceTest chooses what the accuracy threshold is tested on. Both
// tests are oneDAL's, ‖g‖₂² < AccuracyThreshold · max(1, ‖x‖₂²); they differ
// in the gradient g.
type ConvergenceTest int

const (
	// FullSetGradient tests the gradient on all N terms, computed every
	// FullSetEvery iterations (the default: a minibatch gradient is too noisy
	// to stop on).
	FullSetGradient ConvergenceTest = iota
	// BatchGradient tests the gradient of the current batch at every
	// iteration, as oneDAL does. On small batches it fires spuriously.
	BatchGradient
	// NoConvergenceTest runs until NIterations, MaxEpochs, cancellation or
	// the hook stops the run.
	NoConvergenceTest
)

// String returns "full-set", "batch" or "none".
func (c ConvergenceTest) String() string {
	switch c {
	case FullSetGradient:
		return "full-set"
	case BatchGradient:
		return "batch"
	case NoConvergenceTest:
		return "none"
	}
	return "ConvergenceTest(" + strconv.Itoa(int(c)) + ")"
}

// Options are shared by SQN and MultiBatch.
type Options struct {
	// M is the history size, oneDAL's m: the number of correction pairs kept
	// in the cyclic buffer. Default 10; valid: >= 1.
	M int

	// StepLengthSequence holds the step lengths α, oneDAL's
	// stepLengthSequence: one value used at every iteration, or one value per
	// iteration, indexed by the global iteration number (0 for the first
	// iteration of a fresh run; a resumed run continues the indexing, so the
	// table must cover every iteration the run reaches). Default [1]; valid:
	// finite values > 0.
	StepLengthSequence []float64

	// StepDecay, when > 0, divides the step length of iteration k (0 for
	// the first) by 1 + StepDecay·k·BatchSize/N, the passes over the data
	// the batch gradients have made, a schedule that tames the noise of the
	// batch gradients as the run goes on. It depends on k alone, so a run
	// resumed from oneDAL's tables continues it.
	// Default 0 (off, as oneDAL); valid: finite and >= 0.
	StepDecay float64

	// MaxStepNorm, when > 0, shortens every step to at most this Euclidean
	// length, so that one noisy gradient cannot throw x far away. Default 0
	// (off, as oneDAL); valid: finite and >= 0.
	MaxStepNorm float64

	// InitialScaling chooses H₀. Default IdentityScaling (oneDAL).
	InitialScaling InitialScaling

	// CurvatureEpsilon is ε in the pair-acceptance test sᵀy > ε·‖s‖·‖y‖; a
	// pair that fails it is skipped and the skip recorded. Default 1e-8;
	// valid: finite and >= 0.
	CurvatureEpsilon float64

	// NIterations is the number of iterations of one Run, oneDAL's
	// nIterations. Default 100; valid: >= 0.
	NIterations int

	// MaxEpochs, when > 0, stops the run once the terms evaluated for
	// gradients and Hessian-vector products reach MaxEpochs·N. Default 0
	// (no limit); valid: finite and >= 0.
	MaxEpochs float64

	// AccuracyThreshold is ε in oneDAL's convergence test
	// ‖g‖₂² < ε·max(1, ‖x‖₂²). Default 1e-5; valid: finite and >= 0.
	AccuracyThreshold float64

	// ConvergenceTest chooses the gradient the threshold is tested on.
	// Default FullSetGradient.
	ConvergenceTest ConvergenceTest

	// FullSetEvery is the number of iterations between two evaluations of
	// the loss and gradient on all N terms (State.FullLoss); the last
	// iteration of a run is always evaluated. 0 (the default) means once per
	// epoch, every ⌈N/BatchSize⌉ iterations; −1 never (only with a
	// ConvergenceTest other than FullSetGradient). These evaluations watch
	// the run and do not count towards Epoch. Valid: >= −1.
	FullSetEvery int

	// Seed seeds the random engine (a PCG, math/rand/v2) that samples the
	// batches when Engine is nil. Default 777.
	Seed uint64

	// Engine, when not nil, is the random engine, as oneDAL's engine
	// parameter: the run draws from it and leaves it advanced, so passing
	// the same engine to the next run continues the random stream. Seed must
	// then be 0. Default nil.
	Engine *rand.PCG
}

// defaultOptions returns the shared defaults listed in the field docs.
func defaultOptions() Options {
	return Options{
		M:                  DefaultM,
		StepLengthSequence: []float64{DefaultStepLength},
		CurvatureEpsilon:   DefaultCurvatureEpsilon,
		NIterations:        DefaultNIterations,
		AccuracyThreshold:  DefaultAccuracyThreshold,
		Seed:               DefaultSeed,
	}
}

// validate checks the shared options; n is the number of terms.
func (o *Options) validate() error {
	switch {
	case o.M < 1:
		return optionErr("M", o.M, "must be >= 1")
	case len(o.StepLengthSequence) == 0:
		return optionErr("StepLengthSequence", o.StepLengthSequence, "must hold one value or one per iteration")
	case !finiteNonNeg(o.StepDecay):
		return optionErr("StepDecay", o.StepDecay, "must be finite and >= 0")
	case !finiteNonNeg(o.MaxStepNorm):
		return optionErr("MaxStepNorm", o.MaxStepNorm, "must be finite and >= 0")
	case o.InitialScaling != IdentityScaling && o.InitialScaling != ByrdScaling:
		return optionErr("InitialScaling", o.InitialScaling, "must be IdentityScaling or ByrdScaling")
	case !finiteNonNeg(o.CurvatureEpsilon):
		return optionErr("CurvatureEpsilon", o.CurvatureEpsilon, "must be finite and >= 0")
	case o.NIterations < 0:
		return optionErr("NIterations", o.NIterations, "must be >= 0")
	case !finiteNonNeg(o.MaxEpochs):
		return optionErr("MaxEpochs", o.MaxEpochs, "must be finite and >= 0")
	case !finiteNonNeg(o.AccuracyThreshold):
		return optionErr("AccuracyThreshold", o.AccuracyThreshold, "must be finite and >= 0")
	case o.ConvergenceTest < FullSetGradient || o.ConvergenceTest > NoConvergenceTest:
		return optionErr("ConvergenceTest", o.ConvergenceTest, "must be FullSetGradient, BatchGradient or NoConvergenceTest")
	case o.FullSetEvery < -1:
		return optionErr("FullSetEvery", o.FullSetEvery, "must be >= -1 (-1 never, 0 once per epoch)")
	case o.FullSetEvery == -1 && o.ConvergenceTest == FullSetGradient:
		return optionErr("FullSetEvery", o.FullSetEvery, "must be >= 0 with ConvergenceTest FullSetGradient (the test needs full-set gradients)")
	case o.Engine != nil && o.Seed != 0:
		return optionErr("Seed", o.Seed, "must be 0 when Engine is set (the engine carries its own state)")
	}
	for i, a := range o.StepLengthSequence {
		if !(a > 0) || math.IsInf(a, 0) {
			return optionErr("StepLengthSequence", a, "element %d must be finite and > 0", i)
		}
	}
	return nil
}

func finiteNonNeg(v float64) bool { return v >= 0 && !math.IsInf(v, 0) }
