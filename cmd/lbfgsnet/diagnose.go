package main

import (
	"fmt"
	"math"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// diagnosis is what inspect reports about a trace besides the table: how
// the run ended and the events that explain its course.
type diagnosis struct {
	header  trace.Header
	summary *solver.Result // nil when the trace has no summary line
	recs    []trace.Record

	evaluations int // loss evaluations over the recorded iterations

	// plateaus are the stretches of iterations over which the loss fell
	// by less than plateauRate per iteration (see findPlateaus).
	plateaus    []plateau
	plateauRate float64

	failures, skipped, resets, increases, nonFinite []int // iteration numbers
	firstAccepted                                   int   // iterations whose first trial was accepted
	maxEvals, maxEvalsAt                            int
}

// diagnose analyses the records of t. plateauRate is the relative loss
// decrease per iteration below which the loss counts as on a plateau.
func diagnose(t trace.Trace, plateauRate float64) diagnosis {
	d := diagnosis{header: t.Header, summary: t.Summary, recs: t.Iterations, plateauRate: plateauRate}
	prev := math.NaN()
	for _, r := range t.Iterations {
		d.evaluations += r.LossEvaluations
		if r.LineSearchStatus == solver.LineSearchFailed {
			d.failures = append(d.failures, r.Iteration)
		}
		if r.PairStatus == solver.PairSkipped {
			d.skipped = append(d.skipped, r.Iteration)
		}
		if r.DirectionReset {
			d.resets = append(d.resets, r.Iteration)
		}
		if r.Loss > prev {
			d.increases = append(d.increases, r.Iteration)
		}
		prev = r.Loss
		for _, tr := range r.Trials {
			if tr.Outcome == solver.TrialNonFinite {
				d.nonFinite = append(d.nonFinite, r.Iteration)
				break
			}
		}
		if len(r.Trials) > 0 && r.Trials[0].Outcome == solver.TrialAccepted {
			d.firstAccepted++
		}
		if r.LossEvaluations > d.maxEvals {
			d.maxEvals, d.maxEvalsAt = r.LossEvaluations, r.Iteration
		}
	}
	d.plateaus = findPlateaus(t.Iterations, plateauRate)
	return d
}

// lines returns the diagnosis as label/value pairs, in print order.
func (d diagnosis) lines() [][2]string {
	o := d.header.Options
	out := [][2]string{{"Run", fmt.Sprintf("%s line search, HistorySize %d, InitialInverseHessianFactor %s, MaxNumLineSearchIterations %d",
		o.LineSearchMethod, o.HistorySize, formatG(o.InitialInverseHessianFactor, 6), o.MaxNumLineSearchIterations)}}
	if d.header.StartIteration > 0 {
		out = append(out, [2]string{"Resumed", fmt.Sprintf("from a checkpoint at iteration %d", d.header.StartIteration)})
	}
	out = append(out, [2]string{"Stopped", d.stopped()})
	if len(d.recs) == 0 {
		return out
	}
	first, last := d.recs[0], d.recs[len(d.recs)-1]
	out = append(out,
		[2]string{"Loss", fmt.Sprintf("%s at iteration %d, %s at iteration %d (GradientsNorm %s)",
			formatG(first.Loss, 6), first.Iteration, formatG(last.Loss, 6), last.Iteration, formatE(last.GradientsNorm))},
		[2]string{"Plateaus", d.plateauText()},
		[2]string{"Line-search failures", iterationList(d.failures, nil)},
		[2]string{"Skipped pairs", iterationList(d.skipped, d.curvature)},
		[2]string{"Direction resets", iterationList(d.resets, nil)},
		[2]string{"Non-finite trials", iterationList(d.nonFinite, nil)},
		[2]string{"Loss increases", iterationList(d.increases, nil)},
		[2]string{"Loss evaluations", d.evaluationsText()},
	)
	return out
}

// evaluationsText summarises the loss evaluations of the iterations.
func (d diagnosis) evaluationsText() string {
	s := fmt.Sprintf("%d in the iterations", d.evaluations)
	if d.summary != nil && d.summary.LossEvaluations > d.evaluations {
		s += fmt.Sprintf(" (%d with the starting point)", d.summary.LossEvaluations)
	}
	return s + fmt.Sprintf(", %.2f per iteration, at most %d (iteration %d); the first trial step was accepted in %d of %d iterations",
		float64(d.evaluations)/float64(len(d.recs)), d.maxEvals, d.maxEvalsAt, d.firstAccepted, len(d.recs))
}

// stopped describes how the run ended.
func (d diagnosis) stopped() string {
	if d.summary == nil {
		return fmt.Sprintf("no summary line: the run was killed or is still running (%d iterations recorded)", len(d.recs))
	}
	s := d.summary
	conv := "converged"
	if s.Status.Early() {
		conv = "early stop"
	}
	return fmt.Sprintf("%s (%s) after %d iteration%s, %d loss evaluation%s, %s",
		s.Status, conv, s.Iterations, plural(s.Iterations), s.LossEvaluations, plural(s.LossEvaluations), formatElapsed(s.Elapsed))
}

// plateauText describes the stretches where the loss barely fell.
func (d diagnosis) plateauText() string {
	rate := formatG(100*d.plateauRate, 3) + "%"
	switch {
	case len(d.recs) <= plateauWindow:
		return fmt.Sprintf("none found (a plateau takes more than %d iterations; the trace has %d)", plateauWindow, len(d.recs))
	case len(d.plateaus) == 0:
		return fmt.Sprintf("none: over every %d iterations the loss fell by more than %s per iteration", plateauWindow, rate)
	}
	// The first plateaus and the last, which says how the run ended.
	const show = 3
	ps := d.plateaus
	parts := make([]string, 0, show+1)
	for i, p := range ps {
		switch {
		case i < show-1 || i == len(ps)-1:
			parts = append(parts, p.text(d.recs))
		case i == show-1:
			parts = append(parts, fmt.Sprintf("… %d more", len(ps)-show))
		}
	}
	if last := ps[len(ps)-1]; last.last == len(d.recs)-1 {
		parts[len(parts)-1] += ", where the run ended"
	} else {
		parts = append(parts, "then the loss fell to "+formatG(d.recs[len(d.recs)-1].Loss, 3))
	}
	return fmt.Sprintf("%d (the loss falling by less than %s per iteration over %d iterations): %s",
		len(ps), rate, plateauWindow, strings.Join(parts, "; "))
}

// curvature annotates a skipped pair with its sᵀy.
func (d diagnosis) curvature(it int) string {
	for _, r := range d.recs {
		if r.Iteration == it {
			return "sᵀy " + formatG(r.CurvatureProduct, 3)
		}
	}
	return ""
}

// iterationList prints "none" or "3 (iterations 4, 9, 12)", at most ten
// listed; note, when non-nil, annotates each iteration.
func iterationList(its []int, note func(int) string) string {
	if len(its) == 0 {
		return "none"
	}
	const show = 10
	parts := make([]string, 0, min(len(its), show))
	for _, it := range its[:min(len(its), show)] {
		s := fmt.Sprint(it)
		if note != nil {
			s += " (" + note(it) + ")"
		}
		parts = append(parts, s)
	}
	more := ""
	if len(its) > show {
		more = fmt.Sprintf(", … %d more", len(its)-show)
	}
	return fmt.Sprintf("%d (iteration%s %s%s)", len(its), plural(len(its)), strings.Join(parts, ", "), more)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// printPairs writes label/value lines with the values aligned.
func printPairs(b *strings.Builder, pairs [][2]string) {
	w := 0
	for _, p := range pairs {
		w = max(w, len(p[0]))
	}
	for _, p := range pairs {
		fmt.Fprintf(b, "%-*s  %s\n", w+1, p[0]+":", p[1])
	}
}
