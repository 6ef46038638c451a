package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// The solvers of --solver.
const (
	solverLBFGS       = "lbfgs"
	solverSQN         = "sqn"
	solverMultiBatch  = "multi-batch"
	solverProgressive = "progressive-batch"
)

// Defaults of the stochastic solvers in the command: the recommended
// settings (stochastic.RecommendedSQNOptions; multi-batch with batches of
// 4096 rows, Powell damping and a decaying step), which never diverged in
// bench/stochastic_vs_torch.sh, unlike oneDAL's exact defaults.
const (
	defaultMaxEpochs           = 10
	defaultMultiBatchSize      = 4096
	defaultMultiBatchStepDecay = 1.0
	defaultWarmStartBatchSize  = defaultMultiBatchSize
)

var (
	solverNames          = []string{solverLBFGS, solverSQN, solverMultiBatch, solverProgressive}
	sampleTestNames      = []string{"norm", "inner-product"}
	initialScalingNames  = []string{"byrd", "identity"}
	convergenceTestNames = []string{"full-set", "batch", "none"}
)

// stochasticFlags are the flags of --solver sqn and multi-batch, named
// after oneDAL's parameters where oneDAL has them.
type stochasticFlags struct {
	solver          *choice
	batchSize       int
	pairBatchSize   int
	l               int
	stepLength      floatList
	stepDecay       float64
	maxStepNorm     float64
	initialScaling  *choice
	maxEpochs       float64
	accuracy        float64
	convergenceTest *choice
	fullSetEvery    int
	overlap         float64
	powellDamping   bool
	warmStart       float64
	varianceGroups  int
	sampleTest      *choice
	theta           float64
	nu              float64
	maxGrowth       float64
	blockSize       int
}

// floatList is a comma-separated list of numbers.
type floatList []float64

func (l *floatList) String() string {
	if l == nil {
		return ""
	}
	s := make([]string, len(*l))
	for i, v := range *l {
		s[i] = strconv.FormatFloat(v, 'g', -1, 64)
	}
	return strings.Join(s, ",")
}

func (l *floatList) Set(s string) error {
	var out floatList
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", f)
		}
		out = append(out, v)
	}
	*l = out
	return nil
}

func addStochasticFlags(c *cmdFlags, f *stochasticFlags) {
	f.solver = newChoice(solverLBFGS, solverNames...)
	c.Var(f.solver, "solver", "`SOLVER`: lbfgs (full batches), sqn (oneDAL's stochastic L-BFGS), multi-batch\n(overlapping batches) or progressive-batch (growing batches); see docs/stochastic.md")
	c.IntVar(&f.batchSize, "batch-size", 0, "sqn, multi-batch: rows per batch, oneDAL's batchSize; progressive-batch: rows of the\nfirst batch (`ROWS`); 0 for 256 (sqn), 4096 (multi-batch) or 512 (progressive-batch), at most the\ntraining rows; valid: 0 to the training rows")
	c.IntVar(&f.pairBatchSize, "correction-pair-batch-size", 0, "sqn: rows of the sub-sampled Hessian of a correction pair, oneDAL's\ncorrectionPairBatchSize (`ROWS`); 0 for 1024, at most the training rows")
	c.IntVar(&f.l, "L", stochastic.DefaultL, "sqn: iterations between correction pairs, oneDAL's L (`NUMBER`); valid: >= 1")
	f.stepLength = floatList{stochastic.RecommendedStepLength}
	c.Var(&f.stepLength, "step-length", "sqn, multi-batch: oneDAL's stepLengthSequence, one step length or one per iteration;\nprogressive-batch: the first trial step of each line search (`STEPS`, comma-separated; default\n0.5 for sqn, 1 for the others)")
	c.Float64Var(&f.stepDecay, "step-decay", stochastic.RecommendedStepDecay, "sqn, multi-batch: divide the step of iteration k by 1 + `DECAY`·k·batch/rows; 0 for a fixed step")
	c.Float64Var(&f.maxStepNorm, "max-step-norm", stochastic.RecommendedMaxStepNorm, "sqn, multi-batch, progressive-batch: shorten every step to at most this Euclidean\n`LENGTH`; 0 for no limit (default 1, progressive-batch 0)")
	f.initialScaling = newChoice("byrd", initialScalingNames...)
	c.Var(f.initialScaling, "initial-scaling", "sqn, multi-batch, progressive-batch: H₀ (`SCALING`): byrd (sᵀy/yᵀy·I) or identity (oneDAL)")
	c.Float64Var(&f.maxEpochs, "max-epochs", defaultMaxEpochs, "sqn, multi-batch, progressive-batch: stop after this many passes over the training rows\n(`EPOCHS`); 0 for no limit")
	c.Float64Var(&f.accuracy, "accuracy-threshold", stochastic.DefaultAccuracyThreshold, "sqn, multi-batch, progressive-batch: oneDAL's accuracyThreshold ε (`EPS`): stop when\n‖g‖² < ε·max(1, ‖x‖²)")
	f.convergenceTest = newChoice("full-set", convergenceTestNames...)
	c.Var(f.convergenceTest, "convergence-test", "sqn, multi-batch, progressive-batch: the gradient --accuracy-threshold tests (`TEST`):\nfull-set (every --full-set-every iterations), batch (oneDAL's, every iteration) or none")
	c.IntVar(&f.fullSetEvery, "full-set-every", 0, "sqn, multi-batch, progressive-batch: iterations between full-training-set loss\nevaluations (`NUMBER`); 0 for once per epoch, -1 for never (with --convergence-test batch or none)")
	c.Float64Var(&f.overlap, "overlap", stochastic.DefaultOverlap, "multi-batch: `FRACTION` of a batch shared with the next; valid: (0, 0.5]")
	c.BoolVar(&f.powellDamping, "powell-damping", true, "multi-batch: Powell damping of the correction pairs")
	c.IntVar(&f.varianceGroups, "variance-groups", stochastic.DefaultVarianceGroups, "progressive-batch: the batch is evaluated in this many parts (`NUMBER`), whose\nspread estimates the variance of its gradient; valid: 2 to 4096")
	f.sampleTest = newChoice("norm", sampleTestNames...)
	c.Var(f.sampleTest, "sample-test", "progressive-batch: the test that grows the batch (`TEST`): norm (noise at most --theta\ntimes the gradient) or inner-product (Bollapragada et al.'s augmented inner product test)")
	c.Float64Var(&f.theta, "theta", stochastic.DefaultTheta, "progressive-batch: θ of --sample-test (`THETA`); valid: > 0")
	c.Float64Var(&f.nu, "orthogonality-nu", stochastic.DefaultOrthogonalityNu, "progressive-batch with --sample-test inner-product: ν of the orthogonality test (`NU`);\nvalid: > 0")
	c.Float64Var(&f.maxGrowth, "max-growth", stochastic.DefaultMaxGrowth, "progressive-batch: the batch grows by at most this `FACTOR` per iteration; valid: > 1")
	c.IntVar(&f.blockSize, "block-size", 1, "progressive-batch, multi-batch: draw batches as blocks of this many consecutive rows\n(`ROWS`), cheaper to read than single random rows; progressive-batch's variance estimates see any\nlikeness of neighbouring rows (see docs/stochastic.md); valid: 1 to half the (first) batch")
	c.Float64Var(&f.warmStart, "warm-start-epochs", 0, "lbfgs: first train this many `EPOCHS` with multi-batch L-BFGS (its flags apply), then\ncontinue with full-batch L-BFGS; 0 for none")
}

// stochasticOnly lists the flags that apply to the stochastic solvers, with
// the solvers they apply to.
var stochasticOnly = map[string][]string{
	"batch-size":                 {solverSQN, solverMultiBatch, solverProgressive, "warm"},
	"correction-pair-batch-size": {solverSQN},
	"L":                          {solverSQN},
	"step-length":                {solverSQN, solverMultiBatch, solverProgressive, "warm"},
	"step-decay":                 {solverSQN, solverMultiBatch, "warm"},
	"max-step-norm":              {solverSQN, solverMultiBatch, solverProgressive, "warm"},
	"initial-scaling":            {solverSQN, solverMultiBatch, solverProgressive, "warm"},
	"max-epochs":                 {solverSQN, solverMultiBatch, solverProgressive},
	"accuracy-threshold":         {solverSQN, solverMultiBatch, solverProgressive},
	"convergence-test":           {solverSQN, solverMultiBatch, solverProgressive},
	"full-set-every":             {solverSQN, solverMultiBatch, solverProgressive},
	"variance-groups":            {solverProgressive},
	"sample-test":                {solverProgressive},
	"theta":                      {solverProgressive},
	"orthogonality-nu":           {solverProgressive},
	"max-growth":                 {solverProgressive},
	"block-size":                 {solverMultiBatch, solverProgressive, "warm"},
	"overlap":                    {solverMultiBatch, "warm"},
	"powell-damping":             {solverMultiBatch, "warm"},
	"warm-start-epochs":          {solverLBFGS},
}

// lbfgsOnly are the flags of the full-batch solver alone.
var lbfgsOnly = []string{"initial-inverse-hessian-factor", "line-search", "max-line-search-iterations", "gradient-tolerance", "step-tolerance",
	"function-tolerance", "max-loss-evaluations", "gradient-clip-norm", "gradient-clip-value", "on-line-search-failure",
	"validation-frequency", "validation-patience", "output-network", "l1", "bound", "projected-gradient-tolerance"}

// checkSolverFlags reports a flag given for a solver it does not apply to,
// so that no flag is silently ignored.
func (c *trainConfig) checkSolverFlags() error {
	s := c.st.solver.value
	warm := s == solverLBFGS && c.st.warmStart > 0
	for name, solvers := range stochasticOnly {
		if !c.set[name] {
			continue
		}
		ok := false
		for _, t := range solvers {
			ok = ok || t == s || (t == "warm" && warm)
		}
		if !ok {
			return usagef("--%s applies to --solver %s, not --solver %s", name, strings.Join(solvers, "/"), s)
		}
	}
	if s != solverLBFGS {
		for _, name := range lbfgsOnly {
			if c.set[name] {
				return usagef("--%s applies to --solver lbfgs, not --solver %s", name, s)
			}
		}
	}
	f := c.st
	switch {
	case c.set["orthogonality-nu"] && f.sampleTest.value != "inner-product":
		return usagef("--orthogonality-nu applies to --sample-test inner-product, not --sample-test %s", f.sampleTest.value)
	case !(f.warmStart >= 0) || math.IsInf(f.warmStart, 0):
		return usagef("invalid value %v for --warm-start-epochs (valid: finite and >= 0)", f.warmStart)
	case warm && c.resume != "":
		return usagef("--warm-start-epochs starts a run; it cannot be combined with --resume")
	case f.batchSize < 0:
		return usagef("invalid value %d for --batch-size (valid: 0 for the default, or 1 to the training rows)", f.batchSize)
	case f.pairBatchSize < 0:
		return usagef("invalid value %d for --correction-pair-batch-size (valid: 0 for the default, or 1 to the training rows)", f.pairBatchSize)
	}
	return nil
}

// stochasticFlagNames maps the options of package stochastic to the flags
// that set them.
var stochasticFlagNames = map[string]string{
	"M": "history-size", "L": "L", "BatchSize": "batch-size", "CorrectionPairBatchSize": "correction-pair-batch-size",
	"StepLengthSequence": "step-length", "StepDecay": "step-decay", "MaxStepNorm": "max-step-norm",
	"NIterations": "max-iterations", "MaxEpochs": "max-epochs", "AccuracyThreshold": "accuracy-threshold",
	"FullSetEvery": "full-set-every", "Overlap": "overlap", "InitialBatchSize": "batch-size",
	"VarianceGroups": "variance-groups", "Theta": "theta", "OrthogonalityNu": "orthogonality-nu", "MaxGrowth": "max-growth",
	"BlockSize": "block-size",
}

// stochasticFlagError turns a *stochastic.OptionError into a usage error
// naming the flag.
func stochasticFlagError(err error) error {
	var oe *stochastic.OptionError
	if errors.As(err, &oe) {
		if name, ok := stochasticFlagNames[oe.Option]; ok {
			return usagef("invalid value %v for --%s (valid: %s)", oe.Value, name, oe.Reason)
		}
	}
	return err
}

// commonOptions returns the options shared by both stochastic solvers.
func (c *trainConfig) commonOptions(o *stochastic.Options, iterationsDone int) {
	f := c.st
	o.M = c.historySize
	o.StepLengthSequence = append([]float64(nil), f.stepLength...)
	o.StepDecay, o.MaxStepNorm = f.stepDecay, f.maxStepNorm
	o.InitialScaling = stochastic.ByrdScaling
	if f.initialScaling.value == "identity" {
		o.InitialScaling = stochastic.IdentityScaling
	}
	o.MaxEpochs, o.AccuracyThreshold, o.FullSetEvery = f.maxEpochs, f.accuracy, f.fullSetEvery
	o.ConvergenceTest = map[string]stochastic.ConvergenceTest{
		"full-set": stochastic.FullSetGradient, "batch": stochastic.BatchGradient, "none": stochastic.NoConvergenceTest,
	}[f.convergenceTest.value]
	// --max-iterations counts the iterations before --resume too; unset,
	// the stochastic solvers stop on --max-epochs.
	o.NIterations = math.MaxInt32
	if c.set["max-iterations"] && c.maxIterations > 0 {
		o.NIterations = max(0, c.maxIterations-iterationsDone)
	}
	o.Seed = c.seed
}

// sqnOptions returns the SQN options the flags ask for.
func (c *trainConfig) sqnOptions(rows, iterationsDone int) stochastic.SQNOptions {
	o := stochastic.RecommendedSQNOptions(rows)
	c.commonOptions(&o.Options, iterationsDone)
	o.L = c.st.l
	if c.st.batchSize > 0 {
		o.BatchSize = c.st.batchSize
	}
	if c.st.pairBatchSize > 0 {
		o.CorrectionPairBatchSize = c.st.pairBatchSize
	}
	return o
}

// multiBatchOptions returns the multi-batch options the flags ask for.
func (c *trainConfig) multiBatchOptions(rows, iterationsDone int) stochastic.MultiBatchOptions {
	o := stochastic.DefaultMultiBatchOptions()
	c.commonOptions(&o.Options, iterationsDone)
	o.BatchSize = max(2, min(defaultMultiBatchSize, rows))
	if c.st.batchSize > 0 {
		o.BatchSize = c.st.batchSize
	}
	if !c.set["step-length"] {
		o.StepLengthSequence = []float64{1}
	}
	if !c.set["step-decay"] {
		o.StepDecay = defaultMultiBatchStepDecay
	}
	o.Overlap, o.PowellDamping, o.BlockSize = c.st.overlap, c.st.powellDamping, c.st.blockSize
	return o
}

// progressiveOptions returns the progressive batching options the flags ask
// for.
func (c *trainConfig) progressiveOptions(rows, iterationsDone int) stochastic.ProgressiveBatchOptions {
	o := stochastic.DefaultProgressiveBatchOptions()
	c.commonOptions(&o.Options, iterationsDone)
	o.InitialBatchSize = max(2, min(stochastic.DefaultInitialBatchSize, rows))
	if c.st.batchSize > 0 {
		o.InitialBatchSize = c.st.batchSize
	}
	if !c.set["step-length"] {
		o.StepLengthSequence = []float64{1}
	}
	// The line search chooses the step: no decay, and no limit unless asked.
	o.StepDecay = 0
	if !c.set["max-step-norm"] {
		o.MaxStepNorm = 0
	}
	o.VarianceGroups, o.Theta, o.MaxGrowth, o.BlockSize = c.st.varianceGroups, c.st.theta, c.st.maxGrowth, c.st.blockSize
	if c.st.sampleTest.value == "inner-product" {
		o.SampleTest, o.OrthogonalityNu = stochastic.InnerProductTest, c.st.nu
	}
	return o
}
