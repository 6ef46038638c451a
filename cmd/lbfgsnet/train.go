package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/solver/checkpoint"
	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/data"
	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// trainRun is one invocation of train: its configuration, data, network,
// solver state and outputs.
type trainRun struct {
	cfg  *trainConfig
	e    *env
	log  *logrus.Logger
	data *prepared
	net  *nn.Network

	ev, valid *nn.Objective     // loss closures on the training and validation rows
	validGrad []float64         // scratch gradient of valid
	validator *solver.Validator // nil without validation rows
	// validations holds this run's validations by iteration, for the trace.
	validations map[int]validMetrics

	state *solver.LBFGSState
	x     []float64 // the point the solver moves: the network's own Params
	stop  solver.StopOptions

	rec   *trace.Recorder // the iterations of this run, in memory
	prior *priorTrace     // with --resume: the iterations carried from --trace, or nil
	rows  *rowWriter
	cols  []column

	cause error // the signal that interrupted the run, or nil

	stdoutClosed   bool // a write to stdout failed with EPIPE: rows are no longer printed
	lastCheckpoint int  // iteration of the last periodic checkpoint written, 0 for none
}

// runTrain is "lbfgsnet train".
func runTrain(ctx context.Context, args []string, e *env) error {
	cfg, err := parseTrainFlags(args, e.stdout)
	if err != nil {
		return err
	}
	r := &trainRun{cfg: cfg, e: e, log: newLogger(e.stderr, cfg.logLevel.value)}
	if cfg.st.solver.value != solverLBFGS {
		return r.runStochastic(ctx)
	}
	if err := r.setup(); err != nil {
		return err
	}
	if err := r.warmStart(ctx); err != nil {
		return err
	}
	logged := make(chan struct{})
	stopLog := context.AfterFunc(ctx, func() {
		defer close(logged)
		if cause := interruption(ctx); cause != nil {
			r.log.Warnf("%v: stopping after the current iteration (press Ctrl-C again to quit at once)", cause)
		}
	})
	res, runErr := solver.Minimize(ctx, r.x, r.ev.Evaluate, r.state, r.stop)
	if !stopLog() {
		<-logged // the warning comes before what follows it
	}
	if r.validator != nil && runErr == nil {
		// The last point is validated whatever --validation-frequency.
		runErr = r.validator.Finish(r.state.Iteration, r.x)
		r.noteValidation(r.state.Iteration)
	}
	r.cause = interruption(ctx)
	if r.cause != nil && runErr == nil && res.Status == solver.Cancelled && res.Iterations == 0 {
		// Nothing was computed that the files in place do not already
		// hold: an interrupted start writes no file.
		return fmt.Errorf("%w before the first iteration: no file written", r.cause)
	}
	if runErr != nil {
		// A failed run writes no file: the files in place (a model or
		// checkpoint of an earlier run) stay as they were.
		return fmt.Errorf("training stopped at iteration %d: %w; %s", r.state.Iteration, runErr, r.failedText())
	}
	written, err := r.finish(res)
	if err != nil {
		return err
	}
	if r.stdoutClosed && !r.hasOutputFiles() {
		return fmt.Errorf("%w after iteration %d: stopped, as no output file (--model-out, --trace, --checkpoint, --plot) was asked for", errStdoutClosed, r.state.Iteration)
	}
	if r.cause != nil && res.Status == solver.Cancelled {
		return fmt.Errorf("%w: stopped after iteration %d%s", r.cause, r.state.Iteration, writtenText(written, cfg.checkpoint))
	}
	return nil
}

// setup loads the data, builds the network and the loss closures, creates
// or resumes the solver state and opens the trace.
func (r *trainRun) setup() error {
	blas, err := r.setupModel()
	if err != nil {
		return err
	}
	if r.stop, err = r.cfg.stopOptions(); err != nil {
		return err
	}
	if err := r.initState(); err != nil {
		return err
	}
	r.logStart()
	logBLAS(r.log, blas)
	return r.openOutputs()
}

// setupModel checks the file flags, loads the data and builds the network
// and the loss closures.
func (r *trainRun) setupModel() (nn.BLASInfo, error) {
	cfg := r.cfg
	resume := input("--resume", cfg.resume)
	resume.sameAs = "--checkpoint"
	if err := checkFiles(input("--data", cfg.data), input("--validation-data", cfg.validData), resume, output("--model-out", cfg.modelOut),
		output("--trace", cfg.trace), output("--checkpoint", cfg.checkpoint), output("--plot", cfg.plot)); err != nil {
		return nn.BLASInfo{}, err
	}
	outputs.add(cfg.modelOut, cfg.trace, cfg.checkpoint, cfg.plot)
	if cfg.checkpoint != "" {
		outputs.add(validationFile(cfg.checkpoint))
	}
	if err := setBLASThreads(cfg.blasThreads); err != nil {
		return nn.BLASInfo{}, err
	}
	blas, err := checkBLAS()
	if err != nil {
		return blas, err
	}
	if cfg.blasThreads > 0 && blas.Backend != nn.OpenBLAS {
		return blas, usagef("--blas-threads sets OpenBLAS's threads, and this run multiplies with %s (LBFGSNET_BLAS): drop the flag", blas.Backend)
	}
	if r.data, err = prepareData(cfg); err != nil {
		return blas, err
	}
	tr := r.data.train
	if err := cfg.checkNetworkSize(tr.Cols, tr.OutputSize(), tr.Rows); err != nil {
		return blas, err
	}
	if r.net, err = buildNetwork(cfg, tr.Cols, tr.OutputSize(), tr.Task); err != nil {
		return blas, err
	}
	if cfg.shards > tr.Rows {
		return blas, usagef("invalid value %d for --shards (valid: 0 to the %d training rows)", cfg.shards, tr.Rows)
	}
	oo, err := cfg.objectiveOptions(tr)
	if err != nil {
		return blas, err
	}
	if r.ev, err = newEvaluator(r.net, r.data.xTrain, r.data.tTrain, oo, cfg.l2); err != nil {
		return blas, err
	}
	if r.data.valid != nil {
		// The validation loss is the training loss (class weights
		// included) without the L2 term, over all shards at once.
		oo.Shards = 0
		if r.valid, err = newEvaluator(r.net, r.data.xValid, r.data.tValid, oo, 0); err != nil {
			return blas, err
		}
		r.validGrad = make([]float64, r.net.NumLearnables())
		vo, _ := cfg.validationOptions() // checked with the flags
		if r.validator, err = solver.NewValidator(r.validate, r.net.NumLearnables(), vo); err != nil {
			return blas, err
		}
	}
	return blas, nil
}

// initState creates the solver state, or loads it from --resume.
func (r *trainRun) initState() error {
	opts, err := r.cfg.solverOptions()
	if err != nil {
		return err
	}
	if r.cfg.resume == "" {
		if opts, err = r.cfg.constrain(opts, r.net); err != nil {
			return err
		}
		r.x = r.net.Params() // moved in place: the network holds every iterate
		r.state, err = solver.NewLBFGSState(opts)
		return err
	}
	if r.state, r.x, err = checkpoint.Load(r.cfg.resume, nil); err != nil {
		return err
	}
	if err := r.cfg.checkResumeOptions(r.state.Options()); err != nil {
		return err
	}
	if err := r.cfg.checkResumeConstraints(r.state.Options(), r.net); err != nil {
		return err
	}
	if err := r.checkResumed(); err != nil {
		return err
	}
	if err := r.net.SetFlatLearnables(r.x); err != nil {
		return err
	}
	r.x = r.net.Params()
	if err := r.loadValidation(); err != nil {
		return err
	}
	return r.loadPriorTrace()
}

// checkResumed verifies that the checkpoint belongs to this data and
// network: the parameter count must match, and the loss at the saved
// parameters must be the loss the checkpoint recorded there.
func (r *trainRun) checkResumed() error {
	if n := r.net.NumLearnables(); len(r.x) != n {
		return fmt.Errorf("resume %s: the checkpoint holds %d parameters, the network of these flags has %d: give the data and network flags of the run that wrote it",
			r.cfg.resume, len(r.x), n)
	}
	if r.state.NumLossEvaluations == 0 {
		return nil // a state saved before its first evaluation holds no loss to compare
	}
	grad := make([]float64, len(r.x))
	loss, _, err := r.ev.Evaluate(r.x, grad)
	if err != nil {
		return fmt.Errorf("resume %s: %w", r.cfg.resume, err)
	}
	saved := r.state.Loss
	loss += r.state.L1Penalty // the solver's loss is f + λ·Σ|W|, summed in this order
	// The loss closure is deterministic, so the same data and flags give
	// the recorded loss to the last bit; 1e-12 relative allows only for a
	// different summation order across machines or BLAS backends in
	// float64 (a float32 network differs from a float64 one, and between
	// backends, by about 1e-7: sameLossOnOtherBLAS).
	if !sameLoss(loss, saved) && !r.sameLossOnOtherBLAS(saved) {
		return fmt.Errorf("resume %s: the loss at the saved parameters is %v here but %v in the checkpoint: the data or a flag that shapes the loss "+
			"(--data, --target, --features, --task, --hidden, --activation, --dtype, --standardize, --validation-split, --seed, --l2, --loss, --huber-delta, --class-weights, --missing) differs from the run that wrote it",
			r.cfg.resume, loss, saved)
	}
	return nil
}

// logStart logs what is about to be trained.
func (r *trainRun) logStart() {
	tr, o := r.data.train, r.state.Options()
	sizes := []string{fmt.Sprint(tr.Cols)}
	for _, h := range r.cfg.hidden {
		sizes = append(sizes, fmt.Sprint(h))
	}
	sizes = append(sizes, fmt.Sprint(tr.OutputSize()))
	f := logrus.Fields{
		"data": r.data.source, "rows": tr.Rows, "task": string(tr.Task),
		"network": strings.Join(sizes, "-") + " " + r.cfg.activation.value, "learnables": r.net.NumLearnables(),
		"dtype": r.cfg.dtype.value,
	}
	if r.data.valid != nil {
		f["validation_rows"] = r.data.valid.Rows
	}
	if r.cfg.loss.value != "" {
		f["loss"] = r.cfg.loss.value
	}
	if r.cfg.classWeights != "" {
		f["class_weights"] = r.cfg.classWeights
	}
	r.log.WithFields(f).Info("training")
	r.logEncoding()
	sf := logrus.Fields{
		"line_search": o.LineSearchMethod, "history_size": o.HistorySize,
		"initial_inverse_hessian_factor": o.InitialInverseHessianFactor,
		"max_line_search_iterations":     o.MaxNumLineSearchIterations,
		"max_iterations":                 r.stop.MaxIterations, "gradient_tolerance": r.stop.GradientTolerance,
		"step_tolerance": r.stop.StepTolerance,
	}
	// The options off by default are logged when given.
	for flag, v := range map[string]any{"function-tolerance": r.stop.FunctionTolerance, "max-loss-evaluations": r.stop.MaxLossEvaluations,
		"gradient-clip-norm": o.GradientClipNorm, "gradient-clip-value": o.GradientClipValue,
		"on-line-search-failure": r.cfg.onFailure.value, "shards": r.cfg.shards} {
		if r.cfg.set[flag] {
			sf[strings.ReplaceAll(flag, "-", "_")] = v
		}
	}
	r.log.WithFields(sf).Info("solver")
	if v := r.validator; v != nil {
		vo := v.Options()
		r.log.WithFields(logrus.Fields{"frequency": vo.Frequency, "patience": vo.Patience, "output_network": vo.OutputNetwork.String()}).Info("validation")
	}
	if r.cfg.resume != "" {
		r.log.WithFields(logrus.Fields{"checkpoint": r.cfg.resume, "iteration": r.state.Iteration}).Info("resuming")
	}
}

// logEncoding logs the one-hot encoded columns and the rows left out for
// a missing cell.
func (r *trainRun) logEncoding() {
	if enc := r.data.train.Encoding; enc != nil {
		for _, c := range enc.Columns {
			if c.Categorical() {
				r.log.WithFields(logrus.Fields{"column": c.Name, "levels": len(c.Levels)}).Info("text column one-hot encoded")
			}
		}
	}
	if d := r.data.dropped; len(d) > 0 {
		r.log.WithFields(logrus.Fields{"rows": len(d), "first": d[0]}).Warn("rows with a missing cell left out (--missing drop-rows)")
	}
}

// openOutputs sets up the recorder, which keeps the trace in memory, and
// the hook.
func (r *trainRun) openOutputs() error {
	var err error
	if r.rec, err = trace.NewRecorder(nil, r.state); err != nil {
		return err
	}
	isClass := r.data.train.Task == data.Classification
	isClass = isClass || r.cfg.multiLabel()
	r.cols = tableColumns(r.valid != nil, r.valid != nil && isClass, r.valid != nil && !isClass)
	r.rows = newRowWriter(r.e.stdout, r.cfg.format.value, r.cols)
	r.stop.Hook = solver.ChainHooks(r.rec.Record, r.afterIteration)
	return nil
}

// printRow prints the last iteration's row, with the validation loss and
// accuracy (RMSE for regression) when the iteration was validated.
func (r *trainRun) printRow() error {
	recs := r.rec.Records()
	rec := recs[len(recs)-1]
	rw := row{rec: rec}
	if v, ok := r.validations[rec.Iteration]; ok {
		rw.rec.ValidationLoss, rw.rec.ValidationAccuracy, rw.rec.ValidationRMSE = v.loss, v.accuracy, v.rmse
	}
	r.rows.write(rw)
	if r.rows.err != nil {
		return fmt.Errorf("write output: %w", r.rows.err)
	}
	return nil
}

// afterIteration validates the new point when it is due, prints the
// iteration's row and writes the periodic checkpoint; a validation patience
// that ran out stops the run after that. When stdout has been closed (a
// reader such as head quit) it stops printing and, if files are to be
// written, trains on; with no file to write it stops the run.
func (r *trainRun) afterIteration(s *solver.LBFGSState) error {
	var stop error
	if r.validator != nil {
		if stop = r.validator.After(s, r.x); stop != nil && !errors.Is(stop, solver.ErrValidationPatience) {
			return stop
		}
		r.noteValidation(s.Iteration)
	}
	if !r.cfg.quiet && !r.stdoutClosed {
		if err := r.printRow(); err != nil {
			if !isBrokenPipe(err) {
				return err
			}
			r.stdoutClosed = true
			if !r.hasOutputFiles() {
				return solver.ErrStop
			}
			r.log.Warn("stdout was closed: no more rows are printed; training goes on to write the files asked for")
		}
	}
	if r.cfg.checkpoint != "" && r.cfg.checkEvery > 0 && s.Iteration%r.cfg.checkEvery == 0 {
		// The trace first: the one in place then always reaches the
		// checkpoint's iteration, which a resumed run needs to carry it.
		if r.cfg.trace != "" {
			if err := r.writeTrace(nil); err != nil {
				return err
			}
		}
		if err := r.saveCheckpoint(); err != nil {
			return err
		}
		r.lastCheckpoint = s.Iteration
		r.log.WithFields(logrus.Fields{"file": r.cfg.checkpoint, "iteration": s.Iteration}).Debug("checkpoint written")
	}
	return stop
}

// hasOutputFiles reports whether the run writes any file.
func (r *trainRun) hasOutputFiles() bool {
	c := r.cfg
	return c.modelOut != "" || c.trace != "" || c.checkpoint != "" || c.plot != ""
}

// failedText says what a failed run left: no new file, and the periodic
// checkpoint written before the failure, if any.
func (r *trainRun) failedText() string {
	s := "no file written (files already in place are as they were)"
	if r.lastCheckpoint > 0 {
		s += fmt.Sprintf("; %s holds iteration %d (continue from it with --resume %s)", r.cfg.checkpoint, r.lastCheckpoint, r.cfg.checkpoint)
	}
	return s
}
