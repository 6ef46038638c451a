package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// The trace of a train run is kept in memory by the Recorder and written
// whole, atomically: before every periodic checkpoint (so that the trace
// in place always reaches at least the checkpoint's iteration) and at the
// end. A run resumed from a checkpoint carries the iterations of the trace
// at --trace up to the checkpoint's iteration, so that its trace and plot
// cover the whole run; a trace that does not fit the checkpoint is refused
// before any work.

// priorTrace is what a resumed run carries from the trace of the run it
// continues.
type priorTrace struct {
	header trace.Header
	recs   []trace.Record // iterations header.StartIteration+1 to the checkpoint's
}

// loadPriorTrace reads the trace at --trace for a resumed run and keeps
// its iterations up to the checkpoint's. With no trace there to carry, the
// trace records the resumed iterations only (its header says where they
// start), and a --plot file in place, which would be replaced by a plot of
// those alone, is refused.
func (r *trainRun) loadPriorTrace() error {
	cfg := r.cfg
	if cfg.trace != "" {
		_, err := os.Stat(cfg.trace)
		switch {
		case err == nil:
			return r.carryTrace()
		case !errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("--trace %s: %w", cfg.trace, err)
		}
		r.log.Warnf("--trace %s does not exist: it records the resumed iterations only, from iteration %d (give the trace of the run that wrote %s to continue it)",
			cfg.trace, r.state.Iteration+1, cfg.resume)
	}
	if cfg.plot == "" {
		return nil
	}
	if _, err := os.Stat(cfg.plot); err == nil {
		return usagef("--plot %s exists and would be replaced by a plot of the resumed iterations only: give --trace with the trace of the run that wrote %s, so that the plot covers the whole run, or another --plot file",
			cfg.plot, cfg.resume)
	}
	r.log.Warnf("--plot %s shows the resumed iterations only, from iteration %d: without --trace the earlier ones are unknown", cfg.plot, r.state.Iteration+1)
	return nil
}

// carryTrace reads the trace at --trace and checks that it records the run
// the checkpoint belongs to, up to the checkpoint's iteration.
func (r *trainRun) carryTrace() error {
	cfg, s := r.cfg, r.state
	t, err := readTraceFile(cfg.trace, func(msg string) { r.log.Warn(msg) })
	if err != nil {
		return fmt.Errorf("--trace %s: %w", cfg.trace, err)
	}
	refuse := func(why string, args ...any) error {
		return fmt.Errorf("--trace %s: %s: a resumed run continues the trace of the run it resumes; give --trace the trace written with %s, or a new file to record the resumed iterations only",
			cfg.trace, fmt.Sprintf(why, args...), cfg.resume)
	}
	h, o := t.Header.Options, s.Options()
	if h.HistorySize != o.HistorySize || h.InitialInverseHessianFactor != o.InitialInverseHessianFactor ||
		h.LineSearchMethod != o.LineSearchMethod || h.MaxNumLineSearchIterations != o.MaxNumLineSearchIterations {
		return refuse("its solver options differ from those of the checkpoint %s", cfg.resume)
	}
	start := t.Header.StartIteration
	n := s.Iteration - start // records to carry
	switch {
	case start > s.Iteration:
		return refuse("it starts after iteration %d, where the checkpoint is", s.Iteration)
	case len(t.Iterations) < n:
		return refuse("it holds iterations %d to %d, but the checkpoint %s is at iteration %d", start+1, start+len(t.Iterations), cfg.resume, s.Iteration)
	}
	recs := t.Iterations[:n]
	for i, rec := range recs {
		if rec.Iteration != start+i+1 {
			return refuse("its iterations are not consecutive (iteration %d follows %d)", rec.Iteration, start+i)
		}
	}
	if n > 0 {
		last := recs[n-1]
		if last.Loss != s.Loss || last.TotalLossEvaluations != s.NumLossEvaluations {
			return refuse("its iteration %d (loss %v after %d loss evaluations) is not the checkpoint's (loss %v after %d)",
				s.Iteration, last.Loss, last.TotalLossEvaluations, s.Loss, s.NumLossEvaluations)
		}
	}
	r.prior = &priorTrace{header: t.Header, recs: recs}
	if dropped := len(t.Iterations) - n; dropped > 0 {
		r.log.Infof("--trace %s: continuing from iteration %d; its %d later iterations are run again", cfg.trace, s.Iteration, dropped)
	}
	return nil
}

// records returns every iteration of the run: those carried from the
// trace of the run resumed, then this run's.
func (r *trainRun) records() []trace.Record {
	if r.prior == nil {
		return r.ownRecords()
	}
	return append(append([]trace.Record(nil), r.prior.recs...), r.ownRecords()...)
}

// ownRecords returns this run's records with the validations filled in.
func (r *trainRun) ownRecords() []trace.Record {
	recs := r.rec.Records()
	if len(r.validations) == 0 {
		return recs
	}
	recs = append([]trace.Record(nil), recs...)
	for i := range recs {
		if v, ok := r.validations[recs[i].Iteration]; ok {
			recs[i].ValidationLoss, recs[i].ValidationAccuracy, recs[i].ValidationRMSE = v.loss, v.accuracy, v.rmse
		}
	}
	return recs
}

// wholeTrace is the trace written to --trace: this run's, or with a
// carried trace the whole run's, whose times continue from the earlier
// run's last and whose summary (when res is not nil) counts the whole run.
func (r *trainRun) wholeTrace(res *solver.Result) trace.Trace {
	t := r.rec.Trace()
	t.Summary = res
	t.Iterations = r.ownRecords()
	if r.prior == nil {
		return t
	}
	offset := r.prior.lastElapsed()
	recs := append([]trace.Record(nil), r.prior.recs...)
	for _, rec := range r.ownRecords() {
		rec.Elapsed += offset
		recs = append(recs, rec)
	}
	t.Header, t.Iterations = r.prior.header, recs
	if res != nil {
		whole := *res
		whole.Iterations = r.state.Iteration - r.prior.header.StartIteration
		whole.LossEvaluations = r.state.NumLossEvaluations - r.prior.evaluationsBefore()
		whole.Elapsed += offset
		t.Summary = &whole
	}
	return t
}

// lastElapsed is the time of the last carried iteration.
func (p *priorTrace) lastElapsed() (d time.Duration) {
	if len(p.recs) > 0 {
		d = p.recs[len(p.recs)-1].Elapsed
	}
	return d
}

// evaluationsBefore is the number of loss evaluations made before the
// carried trace began: 0 for a trace that starts with the run, as a
// fresh run's summary counts its evaluation at the starting point.
func (p *priorTrace) evaluationsBefore() int {
	if p.header.StartIteration == 0 || len(p.recs) == 0 {
		return 0
	}
	return p.recs[0].TotalLossEvaluations - p.recs[0].LossEvaluations
}

// writeTrace writes the trace so far to --trace, atomically; res is the
// run's result at the end, nil for a trace written with a checkpoint.
func (r *trainRun) writeTrace(res *solver.Result) error {
	t := r.wholeTrace(res)
	return writeOutput(r.cfg.trace, func(w io.Writer) error { return trace.Write(w, t) })
}
