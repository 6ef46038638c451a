package main

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Defaults of train besides the solver's. The solver options
// (--history-size, --initial-inverse-hessian-factor, --line-search,
// --max-line-search-iterations), the tolerances and --max-iterations
// default to the solver's own defaults (solver.DefaultOptions,
// solver.DefaultStopOptions); with them MATLAB's iris network reaches
// 100% training accuracy in well under 100 iterations (checked by
// TestTrainIrisDefaults).
const (
	// defaultSeed makes runs reproducible out of the box.
	defaultSeed = 1
	// defaultCheckpointEvery is how often --checkpoint is rewritten.
	defaultCheckpointEvery = 10
)

var (
	taskNames       = []string{"classification", "regression", string(taskMultiLabel)}
	activationNames = nn.Activations()
	dtypeNames      = []string{"float64", "float32"}
	lineSearchNames = []string{solver.WeakWolfe.String(), solver.StrongWolfe.String(), solver.Backtracking.String(), solver.NoLineSearch.String()}
	outputNames     = []string{solver.LastIteration.String(), solver.BestValidationLoss.String()}
	failureNames    = []string{"stop", "reset"}
)

// trainConfig holds the flags of train.
type trainConfig struct {
	data, target  string
	features      string
	separator     separator
	task          *choice
	hidden        intList
	activation    *choice
	dtype         *choice
	standardize   bool
	l2            float64
	l1            float64
	pgTol         float64
	bounds        boundList
	validation    float64
	validData     string
	validFreq     int
	patience      int
	outputNetwork *choice
	missing       *choice
	shards        int
	blasThreads   int
	seed          uint64
	historySize   int
	lambda0       float64
	lineSearch    *choice
	maxLineSearch int
	maxIterations int
	gradTol       float64
	stepTol       float64
	funcTol       float64
	maxEvals      int
	clipNorm      float64
	clipValue     float64
	onFailure     *choice
	loss          *choice
	huberDelta    float64
	classWeights  string
	modelOut      string
	trace         string
	checkpoint    string
	checkEvery    int
	resume        string
	plot          string
	format        *choice
	quiet         bool
	logLevel      *choice
	st            stochasticFlags

	set map[string]bool // flags given on the command line
}

func trainFlags(cfg *trainConfig) *cmdFlags {
	c := newCmdFlags("train", "lbfgsnet train [flags]",
		"Trains a network with L-BFGS (full batches; or --solver sqn, multi-batch on row subsets)\n"+
			"and prints one row per iteration, then a\n"+
			"summary. With no flags it trains MATLAB's iris network (4-32-32-3, ReLU, softmax\n"+
			"cross-entropy) on the embedded iris data. The solver options and tolerances default\n"+
			"to the solver's defaults.")
	c.StringVar(&cfg.data, "data", "", "CSV `FILE` to train on: a header row, then one row per observation\n(default: the embedded iris data)")
	c.Var(&cfg.separator, "separator", "`CHARACTER` that separates the fields of --data: one character, or tab (default \",\")")
	c.StringVar(&cfg.target, "target", "", "target `COLUMN`, by header name or 0-based index; for regression a comma-separated\nlist of columns (default: the last column; \"species\" for iris)")
	c.StringVar(&cfg.features, "features", "", "feature `COLUMNS` by header name, comma-separated; other columns are skipped\n(default: every column but the target)")
	cfg.task = newChoice("classification", taskNames...)
	c.Var(cfg.task, "task", "`TASK`: classification (softmax cross-entropy), regression (mean squared error) or\nmultilabel (target columns of 0 and 1, independent labels: sigmoid outputs, binary cross-entropy)")
	cfg.hidden = intList{32, 32}
	c.Var(&cfg.hidden, "hidden", "`SIZES` of the hidden fully connected layers, comma-separated; \"\" for none")
	cfg.activation = newChoice("relu", activationNames...)
	c.Var(cfg.activation, "activation", "`NAME` of the activation after each hidden layer: "+strings.Join(activationNames, ", "))
	cfg.dtype = newChoice("float64", dtypeNames...)
	c.Var(cfg.dtype, "dtype", "`DTYPE` of the network: float64 or float32 (the solver always works in float64)")
	c.BoolVar(&cfg.standardize, "standardize", true, "standardise the features (and regression targets) with statistics of the training rows")
	lossFlags(c, cfg)
	c.Float64Var(&cfg.l2, "l2", 0, "L2 regularisation `LAMBDA`: adds (λ/2)·Σ‖W‖² over the weights to the loss; valid: >= 0")
	c.Float64Var(&cfg.l1, "l1", 0, "L1 regularisation `LAMBDA`: adds λ·Σ|W| over the weights (not the biases) to the loss and trains\nwith OWL-QN (the line search defaults to backtracking, the only one it takes); valid: >= 0")
	c.Var(&cfg.bounds, "bound", "bound a learnable, `NAME=LOWER:UPPER` (repeat the flag for several): NAME is fc1/Weights,\nor Weights or Bias for every layer's; an empty side or -inf/inf is open; trains with L-BFGS-B")
	c.Float64Var(&cfg.validation, "validation-split", 0, "`FRACTION` of the rows held out for validation, stratified by class;\n0 for none; valid: 0 <= split < 1")
	c.StringVar(&cfg.validData, "validation-data", "", "CSV `FILE` of validation rows, with the columns of --data (instead of --validation-split)")
	c.IntVar(&cfg.validFreq, "validation-frequency", solver.DefaultValidationFrequency, "validate after every `N`-th iteration (MATLAB's ValidationFrequency) and at the end;\nvalid: >= 1")
	c.IntVar(&cfg.patience, "validation-patience", solver.DefaultValidationPatience, "stop when `N` validations in a row did not improve on the lowest validation loss\n(MATLAB's ValidationPatience); 0 for never; valid: >= 0")
	cfg.outputNetwork = newChoice(solver.DefaultOutputNetwork.String(), outputNames...)
	c.Var(cfg.outputNetwork, "output-network", "`WHICH` network --model-out saves and the summary measures (MATLAB's OutputNetwork):\nlast-iteration or best-validation-loss (needs validation data)")
	cfg.missing = missingFlag(c, "in the feature and target columns of\n--data and --validation-data; mean fills feature cells only, with the means of --data")
	c.IntVar(&cfg.blasThreads, "blas-threads", 0, "`NUMBER` of threads of one OpenBLAS product (the 'blas' log line names the backend);\n0 keeps OpenBLAS's default (1, or OPENBLAS_NUM_THREADS); valid: 0 to OpenBLAS's limit,\nand OpenBLAS must load")
	c.IntVar(&cfg.shards, "shards", 0, "`NUMBER` of row blocks the loss is evaluated in, in parallel (one goroutine each);\n0 picks from the rows and the number of CPUs; valid: 0 to the number of training rows")
	c.Uint64Var(&cfg.seed, "seed", defaultSeed, "`SEED` of the network initialisation and of the validation split")
	c.IntVar(&cfg.historySize, "history-size", solver.DefaultHistorySize, "L-BFGS HistorySize: the `NUMBER` of curvature pairs kept; valid: 1 to 65536")
	c.Float64Var(&cfg.lambda0, "initial-inverse-hessian-factor", solver.DefaultInitialInverseHessianFactor, "L-BFGS InitialInverseHessianFactor λ₀ (`FACTOR`); valid: > 0")
	cfg.lineSearch = newChoice(solver.DefaultLineSearchMethod.String(), lineSearchNames...)
	c.Var(cfg.lineSearch, "line-search", "line search `METHOD`: "+strings.Join(lineSearchNames, ", ")+" (a fixed unit step)")
	c.IntVar(&cfg.maxLineSearch, "max-line-search-iterations", solver.DefaultMaxNumLineSearchIterations, "MaxNumLineSearchIterations: the `NUMBER` of loss evaluations per line search; valid: 1 to 65536\n(must stay at its default with --line-search none)")
	c.IntVar(&cfg.maxIterations, "max-iterations", solver.DefaultMaxIterations, "stop when the run reaches this `NUMBER` of iterations, counting those before --resume;\n0 for no limit")
	c.Float64Var(&cfg.gradTol, "gradient-tolerance", solver.DefaultGradientTolerance, "stop when GradientsNorm <= `TOL`; 0 turns the rule off")
	c.Float64Var(&cfg.pgTol, "projected-gradient-tolerance", solver.DefaultProjectedGradientTolerance, "stop when ProjectedGradientNorm (the ∞-norm of the projected gradient with --bound, of\nthe pseudo-gradient with --l1, ‖g‖∞ otherwise) <= `TOL`; 0 turns the rule off")
	c.Float64Var(&cfg.stepTol, "step-tolerance", solver.DefaultStepTolerance, "stop when StepNorm <= `TOL`; 0 turns the rule off")
	c.Float64Var(&cfg.funcTol, "function-tolerance", solver.DefaultFunctionTolerance, "stop when an iteration changes the loss by at most `TOL` relative to\nmax(|loss|, 1); 0 turns the rule off; valid: 0 <= tol < 1")
	c.IntVar(&cfg.maxEvals, "max-loss-evaluations", solver.DefaultMaxLossEvaluations, "stop when the run reaches this `NUMBER` of loss evaluations, counting those\nbefore --resume; 0 for no limit")
	c.Float64Var(&cfg.clipNorm, "gradient-clip-norm", 0, "rescale every gradient whose Euclidean norm exceeds `C` to norm C; 0 for off;\nvalid: finite and >= 0")
	c.Float64Var(&cfg.clipValue, "gradient-clip-value", 0, "clip every gradient component to [-`V`, V] (after --gradient-clip-norm); 0 for off;\nvalid: finite and >= 0")
	cfg.onFailure = newChoice("stop", failureNames...)
	c.Var(cfg.onFailure, "on-line-search-failure", "`POLICY` when a line search fails: stop (end the run) or reset (drop the history\nand retry once from steepest descent)")
	c.StringVar(&cfg.modelOut, "model-out", "", "write the trained model (network, standardisation, names) to `FILE`")
	c.StringVar(&cfg.trace, "trace", "", "write the per-iteration trace as JSON lines to `FILE` (read it with 'lbfgsnet inspect')")
	c.StringVar(&cfg.checkpoint, "checkpoint", "", "write the solver state to `FILE` every --checkpoint-every iterations and at the end")
	c.IntVar(&cfg.checkEvery, "checkpoint-every", defaultCheckpointEvery, "`NUMBER` of iterations between checkpoints; 0 writes one at the end only")
	c.StringVar(&cfg.resume, "resume", "", "continue the run saved in the checkpoint `FILE`; give the same data and network flags")
	c.StringVar(&cfg.plot, "plot", "", "write a PNG of loss, gradient norm and step norm per iteration to `FILE`")
	cfg.format = newChoice(formatTable, formatTable, formatJSON)
	c.Var(cfg.format, "format", "`FORMAT` of stdout: table (aligned columns) or json (one object per line)")
	c.BoolVar(&cfg.quiet, "quiet", false, "print no per-iteration rows, only the summary")
	cfg.logLevel = newChoice("info", logLevels...)
	c.Var(cfg.logLevel, "log-level", "`LEVEL` of the messages logged on stderr: "+strings.Join(logLevels, ", "))
	addStochasticFlags(c, &cfg.st)
	return c
}

// parseTrainFlags parses and checks the flags of train.
func parseTrainFlags(args []string, stdout io.Writer) (*trainConfig, error) {
	cfg := &trainConfig{}
	fs := trainFlags(cfg)
	pos, err := fs.parse(args, stdout)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usagef("unexpected argument %q (train takes flags only; the data file goes in --data)", pos[0])
	}
	cfg.set = fs.setFlags()
	return cfg, cfg.check()
}

// multiLabel reports --task multilabel.
func (c *trainConfig) multiLabel() bool { return c.task.value == string(taskMultiLabel) }

// check validates the values the flag types do not.
func (c *trainConfig) check() error {
	bad := func(flag string, v any, valid string) error {
		return usagef("invalid value %v for --%s (valid: %s)", v, flag, valid)
	}
	switch {
	case !(c.l2 >= 0) || math.IsInf(c.l2, 0):
		return bad("l2", c.l2, "finite and >= 0")
	case !(c.l1 >= 0) || math.IsInf(c.l1, 0):
		return bad("l1", c.l1, "finite and >= 0")
	case c.l1 > 0 && len(c.bounds) > 0:
		return usagef("--l1 and --bound cannot be combined (OWL-QN and L-BFGS-B are different methods): give one")
	case c.l1 > 0 && c.set["line-search"] && c.lineSearch.value != solver.Backtracking.String():
		return usagef("--l1 trains with OWL-QN, whose orthant-wise search backtracks: drop --line-search %s or give --line-search backtracking", c.lineSearch.value)
	case !(c.validation >= 0 && c.validation < 1):
		return bad("validation-split", c.validation, "0 <= split < 1")
	case c.validation > 0 && c.validData != "":
		return usagef("--validation-split and --validation-data both give validation rows: give one")
	case c.shards < 0:
		return bad("shards", c.shards, ">= 0; 0 picks")
	case c.blasThreads < 0:
		return bad("blas-threads", c.blasThreads, ">= 0; 0 keeps the default")
	case c.maxIterations < 0:
		return bad("max-iterations", c.maxIterations, ">= 0; 0 for no limit")
	case c.checkEvery < 0:
		return bad("checkpoint-every", c.checkEvery, ">= 0")
	}
	for _, h := range c.hidden {
		if h > maxLayerWidth {
			return bad("hidden", c.hidden.String(), fmt.Sprintf("sizes from 1 to %d", maxLayerWidth))
		}
	}
	if err := c.checkSolverFlags(); err != nil {
		return err
	}
	if _, err := c.solverOptions(); err != nil {
		return err
	}
	if _, err := c.stopOptions(); err != nil {
		return err
	}
	if _, err := c.validationOptions(); err != nil {
		return err
	}
	if err := c.checkLoss(); err != nil {
		return err
	}
	if c.validation == 0 && c.validData == "" {
		for _, f := range []string{"validation-frequency", "validation-patience", "output-network"} {
			if c.set[f] {
				return usagef("--%s needs validation rows: give --validation-split or --validation-data", f)
			}
		}
	}
	return nil
}

// validationOptions returns the validation options the flags ask for,
// validated.
func (c *trainConfig) validationOptions() (solver.ValidationOptions, error) {
	o := solver.DefaultValidationOptions()
	o.Frequency, o.Patience = c.validFreq, c.patience
	out, err := solver.ParseOutputNetwork(c.outputNetwork.value)
	if err != nil {
		return o, flagError(err)
	}
	o.OutputNetwork = out
	if err := o.Validate(); err != nil {
		return o, flagError(err)
	}
	return o, nil
}

// optionFlags maps the solver's option names to the flags that set them.
var optionFlags = map[string]string{
	"HistorySize":                 "history-size",
	"InitialInverseHessianFactor": "initial-inverse-hessian-factor",
	"LineSearchMethod":            "line-search",
	"MaxNumLineSearchIterations":  "max-line-search-iterations",
	"GradientTolerance":           "gradient-tolerance",
	"StepTolerance":               "step-tolerance",
	"ProjectedGradientTolerance":  "projected-gradient-tolerance",
	"MaxIterations":               "max-iterations",
	"FunctionTolerance":           "function-tolerance",
	"MaxLossEvaluations":          "max-loss-evaluations",
	"GradientClipNorm":            "gradient-clip-norm",
	"GradientClipValue":           "gradient-clip-value",
	"ValidationFrequency":         "validation-frequency",
	"ValidationPatience":          "validation-patience",
	"OutputNetwork":               "output-network",
}

// flagError turns a solver *OptionError into a usage error naming the flag.
func flagError(err error) error {
	var oe *solver.OptionError
	if errors.As(err, &oe) {
		if name, ok := optionFlags[oe.Option]; ok {
			return usagef("invalid value %v for --%s (valid: %s)", oe.Value, name, oe.Valid)
		}
	}
	return &usageError{err}
}

// solverOptions returns the solver options the flags ask for, validated.
func (c *trainConfig) solverOptions() (solver.Options, error) {
	o := solver.DefaultOptions()
	o.HistorySize = c.historySize
	o.InitialInverseHessianFactor = c.lambda0
	m, err := solver.ParseLineSearchMethod(c.lineSearch.value)
	if err != nil {
		return o, flagError(err)
	}
	o.LineSearchMethod = m
	if c.l1 > 0 {
		o.L1, o.LineSearchMethod = c.l1, solver.Backtracking
	}
	o.MaxNumLineSearchIterations = c.maxLineSearch
	o.GradientClipNorm = c.clipNorm
	o.GradientClipValue = c.clipValue
	if _, err := solver.NewLBFGSState(o); err != nil {
		return o, flagError(err)
	}
	return o, nil
}

// stopOptions returns the stopping rules the flags ask for, validated.
func (c *trainConfig) stopOptions() (solver.StopOptions, error) {
	s := solver.DefaultStopOptions()
	s.MaxIterations = c.maxIterations
	s.GradientTolerance = c.gradTol
	s.StepTolerance = c.stepTol
	s.ProjectedGradientTolerance = c.pgTol
	s.FunctionTolerance = c.funcTol
	s.MaxLossEvaluations = c.maxEvals
	if c.onFailure.value == "reset" {
		s.OnLineSearchFailure = solver.ResetAndRetry
	}
	if err := s.Validate(); err != nil {
		return s, flagError(err)
	}
	return s, nil
}

// checkResumeOptions reports a solver flag given on the command line that
// disagrees with the options saved in the checkpoint: a resumed run keeps
// the checkpoint's options, and a silently ignored flag would mislead.
func (c *trainConfig) checkResumeOptions(saved solver.Options) error {
	want, _ := c.solverOptions()
	diff := func(flag string, got, in any) error {
		return usagef("--%s %v disagrees with the checkpoint %s, which has %v: a resumed run keeps the checkpoint's solver options (drop the flag)", flag, got, c.resume, in)
	}
	switch {
	case c.set["history-size"] && want.HistorySize != saved.HistorySize:
		return diff("history-size", want.HistorySize, saved.HistorySize)
	case c.set["initial-inverse-hessian-factor"] && want.InitialInverseHessianFactor != saved.InitialInverseHessianFactor:
		return diff("initial-inverse-hessian-factor", want.InitialInverseHessianFactor, saved.InitialInverseHessianFactor)
	case c.set["line-search"] && want.LineSearchMethod != saved.LineSearchMethod:
		return diff("line-search", want.LineSearchMethod, saved.LineSearchMethod)
	case c.set["max-line-search-iterations"] && want.MaxNumLineSearchIterations != saved.MaxNumLineSearchIterations:
		return diff("max-line-search-iterations", want.MaxNumLineSearchIterations, saved.MaxNumLineSearchIterations)
	case c.set["gradient-clip-norm"] && want.GradientClipNorm != saved.GradientClipNorm:
		return diff("gradient-clip-norm", want.GradientClipNorm, saved.GradientClipNorm)
	case c.set["gradient-clip-value"] && want.GradientClipValue != saved.GradientClipValue:
		return diff("gradient-clip-value", want.GradientClipValue, saved.GradientClipValue)
	}
	return nil
}
