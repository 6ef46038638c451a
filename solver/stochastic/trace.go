package stochastic

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// TraceRecord is one JSON line of a trace (TraceHook): the State, with the
// full-set values present only on iterations that computed them.
type TraceRecord struct {
	Iteration         int        `json:"iteration"`
	Epoch             float64    `json:"epoch"`
	BatchSize         int        `json:"batchSize"`
	BatchLoss         float64    `json:"batchLoss"`
	GradientsNorm     float64    `json:"gradientsNorm"`
	StepLength        float64    `json:"stepLength"`
	StepNorm          float64    `json:"stepNorm"`
	StepClipped       bool       `json:"stepClipped,omitempty"`
	LineSearchTrials  int        `json:"lineSearchTrials,omitempty"`
	PairStatus        PairStatus `json:"pairStatus"`
	FullLoss          *float64   `json:"fullLoss,omitempty"`
	FullGradientsNorm *float64   `json:"fullGradientsNorm,omitempty"`
	Status            Status     `json:"status"`
}

// NewTraceRecord returns the trace record of a state. NaN and ±Inf, which
// JSON cannot carry, become ±MaxFloat64 (NaN +MaxFloat64), so that a
// diverging run still leaves a trace.
func NewTraceRecord(s *State) TraceRecord {
	rec := TraceRecord{Iteration: s.Iteration, Epoch: s.Epoch, BatchSize: s.BatchSize, BatchLoss: finiteOr(s.BatchLoss), GradientsNorm: finiteOr(s.GradientsNorm),
		StepLength: s.StepLength, StepNorm: s.StepNorm, StepClipped: s.StepClipped, LineSearchTrials: s.LineSearchTrials, PairStatus: s.PairStatus, Status: s.Status}
	if s.FullSetEvaluated {
		f, g := finiteOr(s.FullLoss), finiteOr(s.FullGradientsNorm)
		rec.FullLoss, rec.FullGradientsNorm = &f, &g
	}
	return rec
}

// TraceHook returns a hook that writes one JSON object per iteration to w
// (JSON lines, read back by ReadTrace): iteration, epoch, batchSize,
// batchLoss, gradientsNorm, stepLength, stepNorm, stepClipped,
// lineSearchTrials (ProgressiveBatch), pairStatus, fullLoss and
// fullGradientsNorm (on iterations that evaluated the full set) and
// status. Compose it with other hooks by calling it from yours.
func TraceHook(w io.Writer) func(*State) error {
	enc := json.NewEncoder(w)
	return func(s *State) error {
		if err := enc.Encode(NewTraceRecord(s)); err != nil {
			return fmt.Errorf("stochastic: trace: %w", err)
		}
		return nil
	}
}

// ErrTrace: a trace line is not a record of TraceHook (see
// TraceLineError).
var ErrTrace = errors.New("stochastic: malformed trace")

// TraceLineError reports a malformed trace line; errors.Is(err, ErrTrace)
// holds.
type TraceLineError struct {
	Line int   // 1-based line number
	Err  error // what is wrong with it
}

// Error returns "stochastic: trace line N: " and the cause.
func (e *TraceLineError) Error() string {
	return fmt.Sprintf("stochastic: trace line %d: %v", e.Line, e.Err)
}

// Unwrap returns ErrTrace and Err.
func (e *TraceLineError) Unwrap() []error { return []error{ErrTrace, e.Err} }

// ReadTrace reads a trace written by TraceHook: one record per line, with
// iteration numbers that increase by one from the first (a resumed run's
// trace may start after 1). A malformed line, an unknown key or a gap in
// the iterations gives a *TraceLineError; the records before it are
// returned, so the complete lines of a trace cut short can still be read.
func ReadTrace(r io.Reader) ([]TraceRecord, error) {
	if r == nil {
		return nil, fmt.Errorf("stochastic: read trace: nil reader: %w", ErrInvalidOption)
	}
	var recs []TraceRecord
	br := bufio.NewReader(r)
	for line := 1; ; line++ {
		b, err := br.ReadBytes('\n')
		if len(b) == 0 && err == io.EOF {
			return recs, nil
		}
		if err != nil && err != io.EOF {
			return recs, fmt.Errorf("stochastic: read trace: %w", err)
		}
		rec, perr := parseTraceLine(b)
		if perr == nil && len(recs) > 0 && rec.Iteration != recs[len(recs)-1].Iteration+1 {
			perr = fmt.Errorf("iteration %d follows iteration %d", rec.Iteration, recs[len(recs)-1].Iteration)
		}
		if perr != nil {
			return recs, &TraceLineError{Line: line, Err: perr}
		}
		recs = append(recs, rec)
		if err == io.EOF {
			return recs, nil
		}
	}
}

func parseTraceLine(b []byte) (TraceRecord, error) {
	var rec TraceRecord
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, err
	}
	if dec.More() {
		return rec, errors.New("more than one JSON value on the line")
	}
	if rec.Iteration < 1 || rec.BatchSize < 0 || rec.LineSearchTrials < 0 || !(rec.Epoch >= 0) {
		return rec, fmt.Errorf("iteration %d, batchSize %d, lineSearchTrials %d, epoch %v: want iteration >= 1 and the others >= 0",
			rec.Iteration, rec.BatchSize, rec.LineSearchTrials, rec.Epoch)
	}
	return rec, nil
}

// finiteOr maps NaN and ±Inf, which JSON cannot carry, to ±MaxFloat64
// (NaN to +MaxFloat64), so that a diverging run still leaves a trace.
func finiteOr(v float64) float64 {
	switch {
	case math.IsNaN(v), math.IsInf(v, 1):
		return math.MaxFloat64
	case math.IsInf(v, -1):
		return -math.MaxFloat64
	}
	return v
}
