package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// stochasticSolver is what train uses of stochastic.SQN and
// stochastic.MultiBatch.
type stochasticSolver interface {
	Run(ctx context.Context, x []float64, hook func(*stochastic.State) error) (stochastic.Result, error)
	WriteCheckpoint(w io.Writer, x []float64) error
	ReadCheckpoint(r io.Reader, x []float64) error
	State() stochastic.State
}

// rowObjective returns the training objective as the stochastic solvers
// see it.
func (r *trainRun) rowObjective(flag string) (stochastic.Objective, error) {
	obj, ok := any(r.ev).(stochastic.Objective)
	if !ok {
		return nil, usagef("%s needs a loss that can be evaluated on row subsets, and this network's objective cannot", flag)
	}
	return obj, nil
}

// newStochastic creates the solver of kind for obj, with done iterations
// already performed (a resumed run), and maps option errors to flags.
func (r *trainRun) newStochastic(kind string, obj stochastic.Objective, done int) (stochasticSolver, error) {
	p, rows := r.net.NumLearnables(), obj.NumRows()
	var s stochasticSolver
	var err error
	switch kind {
	case solverSQN:
		s, err = stochastic.NewSQN(obj, p, r.cfg.sqnOptions(rows, done))
	case solverProgressive:
		s, err = stochastic.NewProgressiveBatch(obj, p, r.cfg.progressiveOptions(rows, done))
	default:
		s, err = stochastic.NewMultiBatch(obj, p, r.cfg.multiBatchOptions(rows, done))
	}
	if err != nil {
		return nil, stochasticFlagError(err)
	}
	return s, nil
}

// runStochastic is "lbfgsnet train --solver sqn|multi-batch|progressive-batch".
func (r *trainRun) runStochastic(ctx context.Context) error {
	cfg := r.cfg
	kind := cfg.st.solver.value
	blas, err := r.setupModel()
	if err != nil {
		return err
	}
	obj, err := r.rowObjective("--solver " + kind)
	if err != nil {
		return err
	}
	s, x, err := r.startStochastic(kind, obj)
	if err != nil {
		return err
	}
	r.logStochastic(kind, s)
	logBLAS(r.log, blas)
	if cfg.plot != "" && cfg.resume != "" && cfg.trace == "" {
		r.log.Warnf("--plot %s shows the resumed iterations only, from iteration %d: without --trace the earlier ones are unknown", cfg.plot, s.State().Iteration+1)
	}
	out := &stochasticOutput{r: r, x: x, s: s}
	if cfg.trace != "" {
		if out.lines, err = r.newLineTrace(cfg.trace, s.State().Iteration); err != nil {
			return err
		}
		out.trace = stochastic.TraceHook(&out.lines.buf)
	}
	start := time.Now()
	res, runErr := s.Run(ctx, x, out.hook)
	elapsed := time.Since(start)
	r.cause = interruption(ctx)
	if runErr != nil {
		return fmt.Errorf("training stopped at iteration %d: %w; %s", s.State().Iteration, runErr, r.failedText())
	}
	if r.cause != nil && res.Status == stochastic.Cancelled && res.Iterations == 0 {
		return fmt.Errorf("%w before the first iteration: no file written", r.cause)
	}
	written, err := out.finish(res, elapsed)
	if err != nil {
		return err
	}
	if r.cause != nil && res.Status == stochastic.Cancelled {
		return fmt.Errorf("%w: stopped after iteration %d%s", r.cause, s.State().Iteration, writtenText(written, cfg.checkpoint))
	}
	return nil
}

// startStochastic creates the solver and the starting point: the network's
// initial learnables, or those of --resume with the solver's state.
func (r *trainRun) startStochastic(kind string, obj stochastic.Objective) (stochasticSolver, []float64, error) {
	x := r.net.Flat()
	s, err := r.newStochastic(kind, obj, 0)
	if err != nil || r.cfg.resume == "" {
		return s, x, err
	}
	// What a checkpoint of this network and --history-size can hold: the
	// history, a few vectors besides and the options.
	limit := 8*int64(len(x))*int64(2*(r.cfg.historySize+1)+16) + 1<<20
	b, err := readBounded(r.cfg.resume, limit, "checkpoint of this network and --history-size")
	if err != nil {
		return nil, nil, fmt.Errorf("resume %w", err)
	}
	load := func(s stochasticSolver) error {
		if err := s.ReadCheckpoint(bytes.NewReader(b), x); err != nil {
			return fmt.Errorf("resume %s: %w (give the data, network, --solver and batch flags of the run that wrote it)", r.cfg.resume, err)
		}
		return nil
	}
	if err := load(s); err != nil {
		return nil, nil, err
	}
	// --max-iterations counts the iterations before --resume.
	if s, err = r.newStochastic(kind, obj, s.State().Iteration); err != nil {
		return nil, nil, err
	}
	return s, x, load(s)
}

func (r *trainRun) logStochastic(kind string, s stochasticSolver) {
	tr := r.data.train
	f := logrus.Fields{"solver": kind, "rows": tr.Rows, "learnables": r.net.NumLearnables(), "data": r.data.source}
	switch v := s.(type) {
	case *stochastic.SQN:
		o := r.cfg.sqnOptions(tr.Rows, 0)
		f["batch_size"], f["correction_pair_batch_size"], f["L"] = o.BatchSize, o.CorrectionPairBatchSize, o.L
	case *stochastic.MultiBatch:
		o := r.cfg.multiBatchOptions(tr.Rows, 0)
		f["batch_size"], f["overlap_rows"], f["powell_damping"] = o.BatchSize, v.OverlapSize(), o.PowellDamping
	case *stochastic.ProgressiveBatch:
		o := r.cfg.progressiveOptions(tr.Rows, 0)
		f["initial_batch_size"], f["variance_groups"], f["sample_test"], f["theta"] = o.InitialBatchSize, o.VarianceGroups, o.SampleTest.String(), o.Theta
	}
	r.log.WithFields(f).Info("training")
	if r.cfg.resume != "" {
		r.log.WithFields(logrus.Fields{"checkpoint": r.cfg.resume, "iteration": s.State().Iteration}).Info("resuming")
	}
}

// stochasticOutput prints the rows, writes the trace and the periodic
// checkpoints, and at the end the outputs and the summary.
type stochasticOutput struct {
	r       *trainRun
	x       []float64
	s       stochasticSolver
	trace   func(*stochastic.State) error
	lines   *lineTrace // the trace, with --trace
	printed bool
	recs    []stochastic.TraceRecord // the iterations of this run, for --plot without --trace
}

var stochasticColumns = []string{"Iteration", "Epoch", "Batch", "BatchLoss", "FullLoss", "GradientsNorm", "StepNorm", "StepLength", "Pair"}

func (o *stochasticOutput) hook(st *stochastic.State) error {
	r := o.r
	if r.cfg.plot != "" && o.lines == nil {
		o.recs = append(o.recs, stochastic.NewTraceRecord(st))
	}
	if o.trace != nil {
		if err := o.trace(st); err != nil {
			return err
		}
	}
	if !r.cfg.quiet && !r.stdoutClosed {
		if err := o.printRow(st); err != nil {
			if !isBrokenPipe(err) {
				return err
			}
			r.stdoutClosed = true
			if !r.hasOutputFiles() {
				return stochastic.ErrStop
			}
		}
	}
	if r.cfg.checkpoint != "" && r.cfg.checkEvery > 0 && st.Iteration%r.cfg.checkEvery == 0 {
		// The trace first, so that it always reaches the checkpoint.
		if o.lines != nil {
			if err := o.lines.write(); err != nil {
				return err
			}
		}
		if err := writeOutput(r.cfg.checkpoint, func(w io.Writer) error { return o.s.WriteCheckpoint(w, o.x) }); err != nil {
			return err
		}
		r.lastCheckpoint = st.Iteration
	}
	return nil
}

// printRow prints one iteration: a table row (with a header first) or a
// JSON object.
func (o *stochasticOutput) printRow(st *stochastic.State) error {
	format := o.r.cfg.format.value
	err := writeStochasticRow(o.r.e.stdout, format, st, !o.printed)
	o.printed = o.printed || format == formatTable
	return err
}

// writeStochasticRow writes one iteration of a stochastic run to w: a
// table row, after the header when header is set, or a JSON object with
// format json.
func writeStochasticRow(w io.Writer, format string, st *stochastic.State, header bool) error {
	full := math.NaN()
	if st.FullSetEvaluated {
		full = st.FullLoss
	}
	if format == formatJSON {
		return writeJSONLine(w, orderedObject{
			{"kind", "iteration"}, {"iteration", st.Iteration}, {"epoch", jsonNumber(st.Epoch)}, {"batch_size", st.BatchSize},
			{"batch_loss", jsonNumber(st.BatchLoss)}, {"full_loss", jsonNumber(full)},
			{"gradients_norm", jsonNumber(st.GradientsNorm)}, {"step_norm", jsonNumber(st.StepNorm)},
			{"step_length", jsonNumber(st.StepLength)}, {"line_search_trials", st.LineSearchTrials}, {"pair", st.PairStatus.String()},
		})
	}
	var b strings.Builder
	if header {
		fmt.Fprintf(&b, "%9s %8s %7s %12s %12s %13s %10s %10s %7s\n", anyStrings(stochasticColumns)...)
	}
	fmt.Fprintf(&b, "%9d %8.3f %7d %12s %12s %13s %10s %10s %7s\n", st.Iteration, st.Epoch, st.BatchSize, formatG(st.BatchLoss, 6),
		formatG(full, 6), formatE(st.GradientsNorm), formatE(st.StepNorm), formatG(st.StepLength, 4), st.PairStatus)
	_, err := io.WriteString(w, b.String())
	return err
}

func anyStrings(s []string) []any {
	a := make([]any, len(s))
	for i, v := range s {
		a[i] = v
	}
	return a
}

// finish writes the outputs asked for and prints the summary.
func (o *stochasticOutput) finish(res stochastic.Result, elapsed time.Duration) ([]string, error) {
	r := o.r
	var written []string
	var errs []error
	add := func(path string, err error) {
		if err != nil {
			errs = append(errs, err)
			return
		}
		written = append(written, path)
		r.log.WithField("file", path).Info("written")
	}
	if o.lines != nil {
		add(r.cfg.trace, o.lines.write())
	}
	if r.cfg.checkpoint != "" {
		add(r.cfg.checkpoint, writeOutput(r.cfg.checkpoint, func(w io.Writer) error { return o.s.WriteCheckpoint(w, o.x) }))
	}
	if err := r.net.SetFlatLearnables(o.x); err != nil {
		return written, errors.Join(append(errs, err)...)
	}
	if r.cfg.modelOut != "" {
		add(r.cfg.modelOut, saveModel(r.cfg.modelOut, r.net, r.meta()))
	}
	if r.cfg.plot != "" {
		if recs, err := o.plotRecords(); err != nil {
			errs = append(errs, err)
		} else if len(recs) == 0 {
			r.log.Warn("no iteration ran: no plot written")
		} else {
			add(r.cfg.plot, writeStochasticPlot(r.cfg.plot, r.traceName(), recs))
		}
	}
	if err := o.printSummary(res, elapsed); err != nil && !isBrokenPipe(err) {
		errs = append(errs, err)
	}
	return written, errors.Join(errs...)
}

// plotRecords returns the iterations --plot draws: the whole trace with
// --trace (a resumed run's carries the earlier iterations), else this
// run's.
func (o *stochasticOutput) plotRecords() ([]stochastic.TraceRecord, error) {
	if o.lines == nil {
		return o.recs, nil
	}
	recs, err := stochastic.ReadTrace(bytes.NewReader(o.lines.buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("plot %s: %w", o.r.cfg.plot, err)
	}
	return recs, nil
}

func (o *stochasticOutput) printSummary(res stochastic.Result, elapsed time.Duration) error {
	r, st := o.r, res.State
	p := r.data
	trainFit, validFit, err := r.fits()
	if err != nil {
		return err
	}
	if r.cfg.format.value == formatJSON {
		obj := orderedObject{
			{"kind", "summary"}, {"status", res.Status.String()}, {"converged", res.Status.Converged()},
			{"iterations", res.Iterations}, {"total_iterations", st.Iteration}, {"epochs", jsonNumber(st.Epoch)},
			{"full_loss", jsonNumber(st.FullLoss)}, {"full_gradients_norm", jsonNumber(st.FullGradientsNorm)},
			{"pairs_stored", st.PairsStored}, {"pairs_skipped", st.PairsSkipped}, {"time_elapsed_s", jsonNumber(elapsed.Seconds())},
		}
		obj = append(obj, fitObject("training", trainFit, p.train)...)
		if validFit != nil {
			obj = append(obj, fitObject("validation", *validFit, p.valid)...)
		}
		return writeJSONLine(r.e.stdout, obj)
	}
	iters := fmt.Sprint(res.Iterations)
	if r.cfg.resume != "" {
		iters = fmt.Sprintf("%d in this run, now at %d", res.Iterations, st.Iteration)
	}
	pairs := [][2]string{
		{"Stop status", fmt.Sprintf("%s: %s", res.Status, o.statusReason(res))},
		{"Iterations", iters},
		{"Epochs", fmt.Sprintf("%.3f (rows evaluated / training rows)", st.Epoch)},
		{"Full-set loss", fmt.Sprintf("%s at iteration %d (GradientsNorm %s)", formatG(st.FullLoss, 6), st.FullSetIteration, formatE(st.FullGradientsNorm))},
		{"Pairs", fmt.Sprintf("%d stored, %d skipped", st.PairsStored, st.PairsSkipped)},
	}
	pairs = append(pairs, fitPairs("Training", trainFit, p.train)...)
	if validFit != nil {
		pairs = append(pairs, fitPairs("Validation", *validFit, p.valid)...)
	}
	pairs = append(pairs, [2]string{"Time", formatElapsed(elapsed)})
	var b strings.Builder
	if o.printed {
		b.WriteByte('\n')
	}
	printPairs(&b, pairs)
	_, err = fmt.Fprint(r.e.stdout, b.String())
	return err
}

func (o *stochasticOutput) statusReason(res stochastic.Result) string {
	c := o.r.cfg
	switch res.Status {
	case stochastic.FullSetAccuracy:
		return fmt.Sprintf("the full-set gradient passed --accuracy-threshold %v", c.st.accuracy)
	case stochastic.BatchAccuracy:
		return fmt.Sprintf("a batch gradient passed --accuracy-threshold %v (--convergence-test batch)", c.st.accuracy)
	case stochastic.IterationLimit:
		return fmt.Sprintf("reached --max-iterations %d", c.maxIterations)
	case stochastic.EpochLimit:
		return fmt.Sprintf("reached --max-epochs %v", c.st.maxEpochs)
	case stochastic.Diverged:
		return "the batch loss or gradient became NaN or infinite: lower --step-length or --max-step-norm"
	case stochastic.LineSearchFailed:
		return "no step along the search direction decreased the batch loss (at the minimum to the precision of float64, or a loss that is not smooth)"
	case stochastic.Cancelled:
		if o.r.cause != nil {
			return o.r.cause.Error()
		}
	}
	return strings.ToLower(res.Status.String())
}

// warmStart runs --warm-start-epochs of multi-batch L-BFGS on r.x before
// the full-batch solver starts.
func (r *trainRun) warmStart(ctx context.Context) error {
	epochs := r.cfg.st.warmStart
	if epochs == 0 {
		return nil
	}
	obj, err := r.rowObjective("--warm-start-epochs")
	if err != nil {
		return err
	}
	o := r.cfg.multiBatchOptions(obj.NumRows(), 0)
	o.MaxEpochs, o.NIterations = epochs, math.MaxInt32
	o.ConvergenceTest, o.FullSetEvery = stochastic.NoConvergenceTest, -1
	s, err := stochastic.NewMultiBatch(obj, len(r.x), o)
	if err != nil {
		return stochasticFlagError(err)
	}
	out := &stochasticOutput{r: r, x: r.x, s: s}
	res, err := s.Run(ctx, r.x, func(st *stochastic.State) error {
		if !r.cfg.quiet && !r.stdoutClosed && r.cfg.format.value == formatTable {
			return out.printRow(st)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("warm start: %w", err)
	}
	r.log.WithFields(logrus.Fields{"iterations": res.Iterations, "epochs": res.State.Epoch, "status": res.Status.String()}).Info("warm start done; full-batch L-BFGS from here")
	if out.printed {
		_, err = io.WriteString(r.e.stdout, "\n")
	}
	return err
}
