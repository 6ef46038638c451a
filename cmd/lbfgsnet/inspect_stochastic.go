package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/lbfgsnet/lbfgsnet/solver/stochastic"
)

// isStochasticTrace reports whether a trace's first line is a record of
// stochastic.TraceHook (written by train --solver sqn, multi-batch or
// progressive-batch) rather than the header of a full-batch trace.
func isStochasticTrace(b []byte) bool {
	line, _, _ := bytes.Cut(b, []byte{'\n'})
	var probe map[string]json.RawMessage
	if json.Unmarshal(line, &probe) != nil {
		return false
	}
	_, ok := probe["batchLoss"]
	return ok
}

// readStochasticTrace reads a stochastic trace held in b; a last line cut
// short is reported through warn and dropped, as readTraceFile does.
func readStochasticTrace(path string, b []byte, warn func(string)) ([]stochastic.TraceRecord, error) {
	recs, err := stochastic.ReadTrace(bytes.NewReader(b))
	var le *stochastic.TraceLineError
	if errors.As(err, &le) {
		lines := bytes.Count(b, []byte{'\n'}) + 1
		if len(b) > 0 && b[len(b)-1] != '\n' && le.Line == lines && le.Line > 1 {
			warn(fmt.Sprintf("%s: line %d is cut short (the run was killed while writing it); reading the %d lines before it", path, le.Line, le.Line-1))
			return recs, nil
		}
		return recs, fmt.Errorf("%s: line %d: %s", path, le.Line, traceLineText(le.Err))
	}
	if err != nil {
		return recs, fmt.Errorf("%s: %w", path, err)
	}
	return recs, nil
}

// inspectStochastic is "lbfgsnet inspect" on a stochastic trace: the table
// of train --solver, a diagnosis and, with --plot, the plot.
func inspectStochastic(ctx context.Context, e *env, cfg *inspectConfig, set map[string]bool, path string, b []byte, log *logrus.Logger) error {
	for _, name := range []string{"trials", "plateau"} {
		if set[name] {
			return usagef("--%s applies to full-batch traces; %s is the trace of a stochastic solver", name, path)
		}
	}
	recs, err := readStochasticTrace(path, b, func(msg string) { log.Warn(msg) })
	if err != nil {
		return err
	}
	return inspectOutputs(ctx, log, cfg.plot, printStochasticTrace(e, recs, cfg.format.value), len(recs),
		func() error { return writeStochasticPlot(cfg.plot, path, recs) })
}

// stateOf returns the state a trace record was written from, as far as the
// record holds it.
func stateOf(r stochastic.TraceRecord) stochastic.State {
	st := stochastic.State{Iteration: r.Iteration, Epoch: r.Epoch, BatchSize: r.BatchSize, BatchLoss: r.BatchLoss,
		GradientsNorm: r.GradientsNorm, StepLength: r.StepLength, StepNorm: r.StepNorm, StepClipped: r.StepClipped,
		LineSearchTrials: r.LineSearchTrials, PairStatus: r.PairStatus, Status: r.Status, FullLoss: math.NaN(), FullGradientsNorm: math.NaN()}
	if r.FullLoss != nil {
		st.FullSetEvaluated, st.FullLoss = true, *r.FullLoss
	}
	if r.FullGradientsNorm != nil {
		st.FullGradientsNorm = *r.FullGradientsNorm
	}
	return st
}

func printStochasticTrace(e *env, recs []stochastic.TraceRecord, format string) error {
	for i, r := range recs {
		st := stateOf(r)
		if err := writeStochasticRow(e.stdout, format, &st, i == 0); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	d := diagnoseStochastic(recs)
	if format == formatJSON {
		return writeJSONLine(e.stdout, d.jsonObject())
	}
	var b strings.Builder
	if len(recs) > 0 {
		b.WriteByte('\n')
	}
	printPairs(&b, d.lines())
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

// stochasticDiagnosis is what inspect finds in a stochastic trace.
type stochasticDiagnosis struct {
	recs                      []stochastic.TraceRecord
	stored, damped            int
	skipped, increases, multi []int // iterations: skipped pairs, full-set loss increases, line searches of several trials
	clipped, trials           int
	bestFull, lastFull        int // indices into recs, −1 without a full-set loss
}

func diagnoseStochastic(recs []stochastic.TraceRecord) stochasticDiagnosis {
	d := stochasticDiagnosis{recs: recs, bestFull: -1, lastFull: -1}
	for i, r := range recs {
		switch r.PairStatus {
		case stochastic.PairStored:
			d.stored++
		case stochastic.PairDamped:
			d.damped++
		case stochastic.PairSkipped:
			d.skipped = append(d.skipped, r.Iteration)
		}
		if r.StepClipped {
			d.clipped++
		}
		d.trials += r.LineSearchTrials
		if r.LineSearchTrials > 1 {
			d.multi = append(d.multi, r.Iteration)
		}
		if r.FullLoss == nil {
			continue
		}
		if d.lastFull >= 0 && *r.FullLoss > *recs[d.lastFull].FullLoss {
			d.increases = append(d.increases, r.Iteration)
		}
		if d.bestFull < 0 || *r.FullLoss < *recs[d.bestFull].FullLoss {
			d.bestFull = i
		}
		d.lastFull = i
	}
	return d
}

func (d stochasticDiagnosis) status() stochastic.Status {
	if len(d.recs) == 0 {
		return stochastic.NotTerminated
	}
	return d.recs[len(d.recs)-1].Status
}

func (d stochasticDiagnosis) lines() [][2]string {
	if len(d.recs) == 0 {
		return [][2]string{{"Iterations", "none (the trace is empty)"}}
	}
	first, last := d.recs[0], d.recs[len(d.recs)-1]
	stopped := last.Status.String()
	if last.Status == stochastic.NotTerminated {
		stopped = "the trace ends before the run stopped (killed, or a checkpoint's trace)"
	}
	batch := fmt.Sprintf("%d rows", first.BatchSize)
	if first.BatchSize != last.BatchSize {
		batch = fmt.Sprintf("grew from %d to %d rows", first.BatchSize, last.BatchSize)
	}
	full := "not evaluated"
	if d.lastFull >= 0 {
		l, b := d.recs[d.lastFull], d.recs[d.bestFull]
		full = fmt.Sprintf("%s at iteration %d; lowest %s at iteration %d", formatG(*l.FullLoss, 8), l.Iteration, formatG(*b.FullLoss, 8), b.Iteration)
	}
	out := [][2]string{
		{"Stop status", stopped},
		{"Iterations", fmt.Sprintf("%d (%d to %d)", len(d.recs), first.Iteration, last.Iteration)},
		{"Epochs", fmt.Sprintf("%.3f (rows evaluated / training rows)", last.Epoch)},
		{"Batch", batch},
		{"Full-set loss", full},
		{"Full-set loss rose", iterationList(d.increases, nil)},
		{"Pairs", fmt.Sprintf("%d stored, %d damped; skipped: %s", d.stored, d.damped, iterationList(d.skipped, nil))},
	}
	if d.clipped > 0 {
		out = append(out, [2]string{"Steps shortened", fmt.Sprintf("%d by --max-step-norm", d.clipped)})
	}
	if d.trials > 0 {
		out = append(out, [2]string{"Line searches", fmt.Sprintf("%d trials in %d iterations; more than one trial: %s", d.trials, len(d.recs), iterationList(d.multi, nil))})
	}
	return out
}

func (d stochasticDiagnosis) jsonObject() orderedObject {
	ints := func(v []int) []int {
		if v == nil {
			return []int{}
		}
		return v
	}
	obj := orderedObject{{"kind", "diagnosis"}, {"status", d.status().String()}, {"converged", d.status().Converged()},
		{"iterations", len(d.recs)}}
	if len(d.recs) > 0 {
		first, last := d.recs[0], d.recs[len(d.recs)-1]
		obj = append(obj, keyValue{"epochs", jsonNumber(last.Epoch)}, keyValue{"first_batch_size", first.BatchSize}, keyValue{"last_batch_size", last.BatchSize})
	}
	full, best := math.NaN(), math.NaN()
	if d.lastFull >= 0 {
		full, best = *d.recs[d.lastFull].FullLoss, *d.recs[d.bestFull].FullLoss
	}
	return append(obj,
		keyValue{"full_loss", jsonNumber(full)}, keyValue{"lowest_full_loss", jsonNumber(best)},
		keyValue{"full_loss_increases", ints(d.increases)},
		keyValue{"pairs_stored", d.stored}, keyValue{"pairs_damped", d.damped}, keyValue{"skipped_pairs", ints(d.skipped)},
		keyValue{"clipped_steps", d.clipped}, keyValue{"line_search_trials", d.trials}, keyValue{"multi_trial_line_searches", ints(d.multi)},
	)
}
