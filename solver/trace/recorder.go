package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/schedspec"
)

// Version is the version of the JSON-lines trace format that Recorder
// writes; Read reads versions 1 to Version (docs/trace-format.md).
const Version = 4

// format is the format name in the header line.
const format = "lbfgsnet-trace"

// Record is what the trace keeps of one iteration: the state right after
// an update.
type Record struct {
	Iteration             int                      // LBFGSState.Iteration after the update (1 for the first)
	Elapsed               time.Duration            // time since the Recorder was created
	Loss                  float64                  // LBFGSState.Loss
	GradientsNorm         float64                  // LBFGSState.GradientsNorm
	GradientsInfNorm      float64                  // LBFGSState.GradientsInfNorm (0 in a version 1 trace)
	StepNorm              float64                  // LBFGSState.StepNorm
	LearningRate          float64                  // LBFGSState.LearningRate, the accepted step length
	InverseHessianFactor  float64                  // LBFGSState.InverseHessianFactor after the update
	LineSearchMethod      solver.LineSearchMethod  // the search of the update (version 1: the header's)
	LineSearchStatus      solver.LineSearchStatus  // completed or failed
	LossEvaluations       int                      // LBFGSState.IterationLossEvaluations
	TotalLossEvaluations  int                      // LBFGSState.NumLossEvaluations
	PairStatus            solver.PairStatus        // stored, skipped or none
	CurvatureProduct      float64                  // sᵀy of the update's pair
	DirectionalDerivative float64                  // gᵀd at the start of the update
	DirectionReset        bool                     // steepest descent replaced an ascent direction
	Trials                []solver.LineSearchTrial // every line-search trial, in order

	// The validation of the iteration's point, NaN when it was not
	// validated (and in traces before version 3): the validation loss, and
	// the accuracy (classification) or the RMSE in the targets' units
	// (regression), NaN when not measured. The Recorder leaves them NaN; a
	// program that validates (lbfgsnet train) fills them in before Write.
	ValidationLoss, ValidationAccuracy, ValidationRMSE float64
	// The optimality measure and counts of bounds and L1 (version 4; a
	// trace of an older version reads ProjectedGradientNorm as GradientsInfNorm
	// and the rest as zero).
	ProjectedGradientNorm float64 // LBFGSState.ProjectedGradientNorm
	ActiveBounds          int     // LBFGSState.ActiveBounds
	ZeroCoordinates       int     // LBFGSState.ZeroCoordinates
	L1Penalty             float64 // LBFGSState.L1Penalty
	StartPointProjected   bool    // LBFGSState.StartPointProjected
}

// Header is the first line of a trace: what was run.
type Header struct {
	// Version is the format version the trace was written with.
	Version int
	// Options are the state's options. Options.LearningRate is nil when the
	// schedule's type is not one of this package's (ConstantRate,
	// ExponentialDecay, StepDecay, CosineDecay); ScheduleType then names it.
	Options solver.Options
	// ScheduleType is the Go type of a schedule outside this package, or "".
	ScheduleType string
	// StartIteration is LBFGSState.Iteration when recording began: 0 for a
	// fresh state, k for a run resumed from a checkpoint at iteration k.
	StartIteration int
}

// Trace is a recorded run: the header, one record per iteration and, when
// the run finished, its Result.
type Trace struct {
	Header     Header         // the header line: version, options, start iteration
	Iterations []Record       // one record per iteration, in order
	Summary    *solver.Result // nil until Recorder.Finish (or if the run was killed)
}

// Recorder keeps a record of every iteration and streams it as JSON lines
// (docs/trace-format.md). Its Record method has the hook signature: set
// solver.StopOptions.Hook = rec.Record, or compose it with solver.ChainHooks. A Recorder
// is not safe for concurrent use.
//
// Each line is written with a single Write as soon as its iteration ends, so
// a trace file of a killed run holds every completed iteration; a write
// error is returned by Record, which stops solver.Minimize with HookStopped.
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
func NewRecorder(w io.Writer, state *solver.LBFGSState) (*Recorder, error) {
	if state == nil || state.HistorySize() == 0 {
		return nil, fmt.Errorf("trace: new recorder: state not created by solver.NewLBFGSState: %w", ErrInvalid)
	}
	opts := state.Options()
	h := Header{Version: Version, Options: opts, StartIteration: state.Iteration}
	if sp := schedspec.Of(opts.LearningRate); sp.Kind == schedspec.Custom {
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
// signature of solver.StopOptions.Hook. It returns an error when writing the line
// fails, and for a state whose iteration is not after the last one recorded
// (so that the trace stays readable by Read).
func (r *Recorder) Record(s *solver.LBFGSState) error {
	if r == nil {
		return fmt.Errorf("trace: record: nil *Recorder: %w", ErrInvalid)
	}
	if s == nil {
		return fmt.Errorf("trace: record: nil *solver.LBFGSState: %w", ErrInvalid)
	}
	if s.Iteration <= r.last {
		return fmt.Errorf("trace: record: iteration %d is not after iteration %d, the last recorded: %w",
			s.Iteration, r.last, ErrInvalid)
	}
	r.last = s.Iteration
	rec := Record{
		Iteration:             s.Iteration,
		Elapsed:               time.Since(r.start),
		Loss:                  s.Loss,
		GradientsNorm:         s.GradientsNorm,
		GradientsInfNorm:      s.GradientsInfNorm,
		LineSearchMethod:      s.LineSearchMethod(),
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
		Trials:                append([]solver.LineSearchTrial(nil), s.LineSearchTrials...),
		ValidationLoss:        math.NaN(),
		ValidationAccuracy:    math.NaN(),
		ValidationRMSE:        math.NaN(),
		ProjectedGradientNorm: s.ProjectedGradientNorm,
		ActiveBounds:          s.ActiveBounds,
		ZeroCoordinates:       s.ZeroCoordinates,
		L1Penalty:             s.L1Penalty,
		StartPointProjected:   s.StartPointProjected,
	}
	if r.keep {
		r.trace.Iterations = append(r.trace.Iterations, rec)
	}
	return r.writeLine(iterationLine(rec))
}

// Finish writes the summary line with the run's result. Call it once, after
// Minimize returns; a second call is an error.
func (r *Recorder) Finish(res solver.Result) error {
	if r == nil {
		return fmt.Errorf("trace: finish: nil *Recorder: %w", ErrInvalid)
	}
	if r.trace.Summary != nil {
		return fmt.Errorf("trace: finish: trace already finished: %w", ErrInvalid)
	}
	r.trace.Summary = &res
	return r.writeLine(summaryLine(res))
}

// Records returns the kept iteration records (nil for a nil Recorder). The
// slice is the Recorder's own: do not modify it while recording.
func (r *Recorder) Records() []Record {
	if r == nil {
		return nil
	}
	return r.trace.Iterations
}

// Trace returns the recorded trace, equal to what Read returns for the
// written lines (the zero Trace for a nil Recorder).
func (r *Recorder) Trace() Trace {
	if r == nil {
		return Trace{}
	}
	return r.trace
}

// Write writes t as a JSON-lines trace that Read reads back: the header
// (with Version set to Version, the version written), every iteration
// record and the summary when t has one. Tools can use it to filter or
// convert traces (an older trace read and written is a version 4
// one).
func Write(w io.Writer, t Trace) error {
	if w == nil {
		return fmt.Errorf("trace: write: nil writer: %w", ErrInvalid)
	}
	r := &Recorder{w: w}
	h := t.Header
	h.Version = Version
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
			err = unprefixed(me.Err)
		}
		return fmt.Errorf("trace: %w", err)
	}
	r.buf = b
	if _, err := r.w.Write(b); err != nil {
		return fmt.Errorf("trace: write: %w", err)
	}
	return nil
}
