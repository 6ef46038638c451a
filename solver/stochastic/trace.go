package stochastic

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// traceRecord is one JSON line of a trace: the State, with the full-set
// values present only on iterations that computed them.
type traceRecord struct {
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

// TraceHook returns a hook that writes one JSON object per iteration to w
// (JSON lines): iteration, epoch, batchSize, batchLoss, gradientsNorm,
// stepLength, stepNorm, stepClipped, lineSearchTrials (ProgressiveBatch),
// pairStatus, fullLoss and fullGradientsNorm (on
// iterations that evaluated the full set) and status. Compose it with other
// hooks by calling it from yours.
func TraceHook(w io.Writer) func(*State) error {
	enc := json.NewEncoder(w)
	return func(s *State) error {
		rec := traceRecord{Iteration: s.Iteration, Epoch: s.Epoch, BatchSize: s.BatchSize, BatchLoss: finiteOr(s.BatchLoss), GradientsNorm: finiteOr(s.GradientsNorm),
			StepLength: s.StepLength, StepNorm: s.StepNorm, StepClipped: s.StepClipped, LineSearchTrials: s.LineSearchTrials, PairStatus: s.PairStatus, Status: s.Status}
		if s.FullSetEvaluated {
			f, g := finiteOr(s.FullLoss), finiteOr(s.FullGradientsNorm)
			rec.FullLoss, rec.FullGradientsNorm = &f, &g
		}
		if err := enc.Encode(rec); err != nil {
			return fmt.Errorf("stochastic: trace: %w", err)
		}
		return nil
	}
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
