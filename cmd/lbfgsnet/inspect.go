package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// Values of --format.
const (
	formatTable = "table"
	formatJSON  = "json"
)

// inspectConfig holds the flags of inspect.
type inspectConfig struct {
	format   *choice
	plot     string
	trials   bool
	plateau  float64
	logLevel *choice
}

func inspectFlags(cfg *inspectConfig) *cmdFlags {
	c := newCmdFlags("inspect", "lbfgsnet inspect [flags] TRACE",
		"Reads a JSON-lines trace written by 'lbfgsnet train --trace' and prints it back as the\n"+
			"iteration table of train, followed by a diagnosis: how the run stopped, where the loss\n"+
			"plateaued, line-search failures, skipped curvature pairs, direction resets, non-finite\n"+
			"trial steps and loss evaluations. With --plot it also draws loss, gradient norm and\n"+
			"step norm per iteration on log scales. The trace of a stochastic solver (--solver sqn,\n"+
			"multi-batch, progressive-batch) gives its own table and diagnosis (batch growth, full-set\n"+
			"loss, pairs, line searches) and a plot against the epoch.")
	cfg.format = newChoice(formatTable, formatTable, formatJSON)
	c.Var(cfg.format, "format", "`FORMAT` of stdout: table (aligned columns) or json (one object per line)")
	c.StringVar(&cfg.plot, "plot", "", "also write a PNG plot of loss, gradient norm and step norm per iteration to `FILE`")
	c.BoolVar(&cfg.trials, "trials", false, "list every line-search trial (step, loss, directional derivative, outcome) under its iteration")
	c.Float64Var(&cfg.plateau, "plateau", 0.01, "a plateau is a stretch of iterations over which the loss fell by less than this `RATE`\n(a fraction) per iteration, averaged over 5 iterations; valid: 0 < rate < 1")
	cfg.logLevel = newChoice("info", logLevels...)
	c.Var(cfg.logLevel, "log-level", "`LEVEL` of the messages logged on stderr: "+strings.Join(logLevels, ", "))
	return c
}

// runInspect is "lbfgsnet inspect".
func runInspect(ctx context.Context, args []string, e *env) error {
	var cfg inspectConfig
	fs := inspectFlags(&cfg)
	pos, err := fs.parse(args, e.stdout)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usagef("missing the TRACE argument (a file written by 'lbfgsnet train --trace')")
	case len(pos) > 1:
		return usagef("one TRACE argument expected, got %d: %s", len(pos), strings.Join(pos, " "))
	case !(cfg.plateau > 0 && cfg.plateau < 1):
		return usagef("invalid value %v for --plateau (valid: 0 < rate < 1)", cfg.plateau)
	}
	if err := checkFiles(input("TRACE", pos[0]), output("--plot", cfg.plot)); err != nil {
		return err
	}
	outputs.add(cfg.plot)
	log := newLogger(e.stderr, cfg.logLevel.value)
	b, err := readBounded(pos[0], maxTraceBytes, "trace")
	if err != nil {
		return err
	}
	if isStochasticTrace(b) {
		return inspectStochastic(ctx, e, &cfg, fs.setFlags(), pos[0], b, log)
	}
	t, err := parseTrace(pos[0], b, func(msg string) { log.Warn(msg) })
	if err != nil {
		return err
	}
	return inspectOutputs(ctx, log, cfg.plot, printTrace(e, t, &cfg), len(t.Iterations),
		func() error { return writePlot(cfg.plot, pos[0], t.Iterations) })
}

// inspectOutputs ends inspect after the table was printed (with printErr)
// from a trace of n iterations: it writes the plot, if asked for, even when
// stdout was closed.
func inspectOutputs(ctx context.Context, log *logrus.Logger, plot string, printErr error, n int, draw func() error) error {
	switch {
	case printErr == nil:
	case !isBrokenPipe(printErr) || plot == "":
		return printErr
	default:
		log.Warn("stdout was closed: the table is cut short; writing the plot")
	}
	switch {
	case plot == "":
	case n == 0:
		log.Warn("the trace has no iterations: no plot written")
	case interruption(ctx) != nil:
		return fmt.Errorf("%w: %s not written", interruption(ctx), plot)
	default:
		if err := draw(); err != nil {
			return err
		}
		log.WithField("file", plot).Info("plot written")
	}
	return nil
}

// readTraceFile reads a trace. A last line cut short (a run killed while
// writing it) is reported through warn and dropped; any other malformed
// line is an error naming the file and line.
func readTraceFile(path string, warn func(string)) (trace.Trace, error) {
	b, err := readBounded(path, maxTraceBytes, "trace")
	if err != nil {
		return trace.Trace{}, err
	}
	return parseTrace(path, b, warn)
}

// parseTrace is readTraceFile on the file's content b.
func parseTrace(path string, b []byte, warn func(string)) (trace.Trace, error) {
	t, err := trace.Read(bytes.NewReader(b))
	var te *trace.LineError
	if errors.As(err, &te) {
		lines := bytes.Count(b, []byte{'\n'}) + 1
		if len(b) > 0 && b[len(b)-1] != '\n' && te.Line == lines && te.Line > 1 {
			warn(fmt.Sprintf("%s: line %d is cut short (the run was killed while writing it); reading the %d lines before it", path, te.Line, te.Line-1))
			return t, nil
		}
		if te.Line == 1 {
			return t, fmt.Errorf("%s: line 1: %s (not a trace written by 'lbfgsnet train --trace')", path, traceLineText(te.Err))
		}
		return t, fmt.Errorf("%s: line %d: %s", path, te.Line, traceLineText(te.Err))
	}
	if err != nil {
		return t, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// validationKinds reports whether any record holds a validation loss, an
// accuracy, an RMSE: the validation columns inspect shows.
func validationKinds(recs []trace.Record) (loss, accuracy, rmse bool) {
	for _, r := range recs {
		loss = loss || !math.IsNaN(r.ValidationLoss)
		accuracy = accuracy || !math.IsNaN(r.ValidationAccuracy)
		rmse = rmse || !math.IsNaN(r.ValidationRMSE)
	}
	return loss, accuracy, rmse
}

// printTrace prints the table (or JSON lines) and the diagnosis.
func printTrace(e *env, t trace.Trace, cfg *inspectConfig) error {
	d := diagnose(t, cfg.plateau)
	rw := newRowWriter(e.stdout, cfg.format.value, tableColumns(validationKinds(t.Iterations)))
	for _, rec := range t.Iterations {
		rw.write(row{rec: rec})
		if cfg.trials && rw.err == nil {
			rw.err = writeTrials(e, rec, rw.json)
		}
	}
	if rw.err != nil {
		return fmt.Errorf("write output: %w", rw.err)
	}
	if rw.json {
		return writeJSONLine(e.stdout, d.jsonObject())
	}
	var b strings.Builder
	if len(t.Iterations) > 0 {
		b.WriteByte('\n')
	}
	printPairs(&b, d.lines())
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

// writeTrials lists the line-search trials of one iteration.
func writeTrials(e *env, rec trace.Record, asJSON bool) error {
	if asJSON {
		obj := orderedObject{{"kind", "trials"}, {"iteration", rec.Iteration}}
		trials := make([]orderedObject, len(rec.Trials))
		for i, t := range rec.Trials {
			trials[i] = orderedObject{{"step", jsonNumber(t.Step)}, {"loss", jsonNumber(t.Loss)},
				{"derivative", jsonNumber(t.Derivative)}, {"outcome", t.Outcome}}
		}
		return writeJSONLine(e.stdout, append(obj, keyValue{"trials", trials}))
	}
	var b strings.Builder
	for i, t := range rec.Trials {
		fmt.Fprintf(&b, "%11s trial %d: step %s, loss %s, derivative %s, %s\n", "", i+1,
			formatG(t.Step, 6), formatG(t.Loss, 8), formatE(t.Derivative), t.Outcome)
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

// jsonObject is the diagnosis as the last line of --format json.
func (d diagnosis) jsonObject() orderedObject {
	o := d.header.Options
	obj := orderedObject{
		{"kind", "diagnosis"},
		{"line_search_method", o.LineSearchMethod},
		{"history_size", o.HistorySize},
		{"initial_inverse_hessian_factor", jsonNumber(o.InitialInverseHessianFactor)},
		{"max_num_line_search_iterations", o.MaxNumLineSearchIterations},
		{"start_iteration", d.header.StartIteration},
	}
	if d.summary != nil {
		obj = append(obj, keyValue{"status", d.summary.Status.String()}, keyValue{"converged", d.summary.Status.Converged()})
	} else {
		obj = append(obj, keyValue{"status", nil}, keyValue{"converged", false})
	}
	plateaus := make([]orderedObject, len(d.plateaus))
	for i, p := range d.plateaus {
		plateaus[i] = p.object(d.recs)
	}
	ints := func(v []int) []int {
		if v == nil {
			return []int{}
		}
		return v
	}
	return append(obj,
		keyValue{"iterations", len(d.recs)},
		keyValue{"loss_evaluations", d.evaluations},
		keyValue{"plateau_rate", jsonNumber(d.plateauRate)},
		keyValue{"plateaus", plateaus},
		keyValue{"line_search_failures", ints(d.failures)},
		keyValue{"skipped_pairs", ints(d.skipped)},
		keyValue{"direction_resets", ints(d.resets)},
		keyValue{"non_finite_trials", ints(d.nonFinite)},
		keyValue{"loss_increases", ints(d.increases)},
	)
}
