package solver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// TraceVersion is the version of the JSON-lines trace format that Recorder
// writes and ReadTrace reads (docs/trace-format.md).
const TraceVersion = 1

// traceFormat is the format name in the header line.
const traceFormat = "lbfgsnet-trace"

// IterationRecord is what the trace keeps of one iteration: the state right
// after an Update.
type IterationRecord struct {
	Iteration             int               // LBFGSState.Iteration after the update (1 for the first)
	Elapsed               time.Duration     // time since the Recorder was created
	Loss                  float64           // LBFGSState.Loss
	GradientsNorm         float64           // LBFGSState.GradientsNorm
	StepNorm              float64           // LBFGSState.StepNorm
	LearningRate          float64           // LBFGSState.LearningRate, the accepted step length
	InverseHessianFactor  float64           // LBFGSState.InverseHessianFactor after the update
	LineSearchStatus      string            // LineSearchCompleted or LineSearchFailed
	LossEvaluations       int               // LBFGSState.IterationLossEvaluations
	TotalLossEvaluations  int               // LBFGSState.NumLossEvaluations
	PairStatus            string            // PairStored, PairSkipped or PairNone
	CurvatureProduct      float64           // sᵀy of the update's pair
	DirectionalDerivative float64           // gᵀd at the start of the update
	DirectionReset        bool              // steepest descent replaced an ascent direction
	Trials                []LineSearchTrial // every line-search trial, in order
}

// TraceHeader is the first line of a trace: what was run.
type TraceHeader struct {
	// Version is the format version the trace was written with.
	Version int
	// Options are the state's options. Options.LearningRate is nil when the
	// schedule's type is not one of this package's (ConstantRate,
	// ExponentialDecay, StepDecay, CosineDecay); ScheduleType then names it.
	Options Options
	// ScheduleType is the Go type of a schedule outside this package, or "".
	ScheduleType string
	// StartIteration is LBFGSState.Iteration when recording began: 0 for a
	// fresh state, k for a run resumed from a checkpoint at iteration k.
	StartIteration int
}

// Trace is a recorded run: the header, one record per iteration and, when
// the run finished, its Result.
type Trace struct {
	Header     TraceHeader       // the header line: version, options, start iteration
	Iterations []IterationRecord // one record per iteration, in order
	Summary    *Result           // nil until Recorder.Finish (or if the run was killed)
}

// Recorder keeps a record of every iteration and streams it as JSON lines
// (docs/trace-format.md). Its Record method has the hook signature: set
// StopOptions.Hook = rec.Record, or compose it with ChainHooks. A Recorder
// is not safe for concurrent use.
//
// Each line is written with a single Write as soon as its iteration ends, so
// a trace file of a killed run holds every completed iteration; a write
// error is returned by Record, which stops Minimize with HookStopped.
type Recorder struct {
	w     io.Writer
	start time.Time
	keep  bool
	last  int // iteration of the last record (StartIteration before any)
	trace Trace
	buf   []byte
}

// NewRecorder returns a Recorder for runs of state and writes the header
// line to w. w may be nil to keep the records in memory only. Elapsed times
// are measured from this call.
func NewRecorder(w io.Writer, state *LBFGSState) (*Recorder, error) {
	if state == nil || state.opts.LearningRate == nil {
		return nil, fmt.Errorf("solver: new recorder: %w", errNilState)
	}
	opts := state.Options()
	h := TraceHeader{Version: TraceVersion, Options: opts, StartIteration: state.Iteration}
	if sp := specOf(opts.LearningRate); sp.Kind == scheduleCustom {
		h.Options.LearningRate = nil
		h.ScheduleType = sp.Type
	}
	r := &Recorder{w: w, keep: true, last: state.Iteration, trace: Trace{Header: h}}
	if err := r.writeLine(headerLine(h)); err != nil {
		return nil, err
	}
	r.start = time.Now()
	return r, nil
}

// SetKeepRecords sets whether Records and Trace keep every iteration in
// memory (the default) or only stream them to the writer, for long runs.
// It does nothing on a nil Recorder.
func (r *Recorder) SetKeepRecords(keep bool) {
	if r != nil {
		r.keep = keep
	}
}

// Record appends the state's last iteration to the trace. It has the
// signature of StopOptions.Hook. It returns an error when writing the line
// fails, and for a state whose iteration is not after the last one recorded
// (so that the trace stays readable by ReadTrace).
func (r *Recorder) Record(s *LBFGSState) error {
	if r == nil {
		return fmt.Errorf("solver: record: nil *Recorder: %w", inner(ErrInvalidOption))
	}
	if s == nil {
		return fmt.Errorf("solver: record: %w", errNilState)
	}
	if s.Iteration <= r.last {
		return fmt.Errorf("solver: record: iteration %d is not after iteration %d, the last recorded: %w",
			s.Iteration, r.last, inner(ErrInvalidOption))
	}
	r.last = s.Iteration
	rec := IterationRecord{
		Iteration:             s.Iteration,
		Elapsed:               time.Since(r.start),
		Loss:                  s.Loss,
		GradientsNorm:         s.GradientsNorm,
		StepNorm:              s.StepNorm,
		LearningRate:          s.LearningRate,
		InverseHessianFactor:  s.InverseHessianFactor,
		LineSearchStatus:      s.LineSearchStatus,
		LossEvaluations:       s.IterationLossEvaluations,
		TotalLossEvaluations:  s.NumLossEvaluations,
		PairStatus:            s.PairStatus,
		CurvatureProduct:      s.CurvatureProduct,
		DirectionalDerivative: s.DirectionalDerivative,
		DirectionReset:        s.DirectionReset,
		Trials:                append([]LineSearchTrial(nil), s.LineSearchTrials...),
	}
	if r.keep {
		r.trace.Iterations = append(r.trace.Iterations, rec)
	}
	return r.writeLine(iterationLine(rec))
}

// Finish writes the summary line with the run's result. Call it once, after
// Minimize returns; a second call is an error.
func (r *Recorder) Finish(res Result) error {
	if r == nil {
		return fmt.Errorf("solver: finish: nil *Recorder: %w", inner(ErrInvalidOption))
	}
	if r.trace.Summary != nil {
		return fmt.Errorf("solver: finish: trace already finished: %w", inner(ErrInvalidOption))
	}
	r.trace.Summary = &res
	return r.writeLine(summaryLine(res))
}

// Records returns the kept iteration records (nil for a nil Recorder). The
// slice is the Recorder's own: do not modify it while recording.
func (r *Recorder) Records() []IterationRecord {
	if r == nil {
		return nil
	}
	return r.trace.Iterations
}

// Trace returns the recorded trace, equal to what ReadTrace returns for the
// written lines (the zero Trace for a nil Recorder).
func (r *Recorder) Trace() Trace {
	if r == nil {
		return Trace{}
	}
	return r.trace
}

// WriteTrace writes t as a JSON-lines trace that ReadTrace reads back: the
// header (with Version set to TraceVersion, the version written), every
// iteration record and the summary when t has one. Tools can use it to
// filter or convert traces.
func WriteTrace(w io.Writer, t Trace) error {
	if w == nil {
		return fmt.Errorf("solver: write trace: nil writer: %w", inner(ErrInvalidOption))
	}
	r := &Recorder{w: w}
	h := t.Header
	h.Version = TraceVersion
	if err := r.writeLine(headerLine(h)); err != nil {
		return err
	}
	for _, rec := range t.Iterations {
		if err := r.writeLine(iterationLine(rec)); err != nil {
			return err
		}
	}
	if t.Summary != nil {
		return r.writeLine(summaryLine(*t.Summary))
	}
	return nil
}

// writeLine encodes v as one JSON line and writes it with a single Write.
func (r *Recorder) writeLine(v any) error {
	if r.w == nil {
		return nil
	}
	b, err := marshalLine(r.buf[:0], v)
	if err != nil {
		// A Status out of range: its own error, without encoding/json's
		// frame, which names Go types.
		var me *json.MarshalerError
		if errors.As(err, &me) {
			err = inner(me.Err)
		}
		return fmt.Errorf("solver: trace: %w", err)
	}
	r.buf = b
	if _, err := r.w.Write(b); err != nil {
		return fmt.Errorf("solver: trace: write: %w", err)
	}
	return nil
}
