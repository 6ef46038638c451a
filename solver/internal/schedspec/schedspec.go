// Package schedspec reduces the learning-rate schedules of package solver
// to plain values and back, for the trace and checkpoint formats.
package schedspec

import (
	"fmt"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

// Kinds of Spec, as written in traces and checkpoints.
const (
	Constant    = "constant"
	Exponential = "exponential"
	Step        = "step"
	Cosine      = "cosine"
	Custom      = "custom"
)

// Spec is a Schedule reduced to plain values. Steps holds
// ExponentialDecay.Steps, StepDecay.Every or CosineDecay.Steps; Type is the
// Go type name of a custom schedule.
type Spec struct {
	Kind    string
	Initial float64
	Factor  float64
	Final   float64
	Steps   int
	Type    string
}

// Of describes s; a type outside package solver is Custom.
func Of(s solver.Schedule) Spec {
	switch v := s.(type) {
	case solver.ConstantRate:
		return Spec{Kind: Constant, Initial: float64(v)}
	case solver.ExponentialDecay:
		return Spec{Kind: Exponential, Initial: v.Initial, Factor: v.Factor, Steps: v.Steps}
	case solver.StepDecay:
		return Spec{Kind: Step, Initial: v.Initial, Factor: v.Factor, Steps: v.Every}
	case solver.CosineDecay:
		return Spec{Kind: Cosine, Initial: v.Initial, Final: v.Final, Steps: v.Steps}
	}
	return Spec{Kind: Custom, Type: fmt.Sprintf("%T", s)}
}

// Schedule rebuilds the Schedule; it returns nil for a custom one and an
// error for an unknown kind.
func (sp Spec) Schedule() (solver.Schedule, error) {
	switch sp.Kind {
	case Constant:
		return solver.ConstantRate(sp.Initial), nil
	case Exponential:
		return solver.ExponentialDecay{Initial: sp.Initial, Factor: sp.Factor, Steps: sp.Steps}, nil
	case Step:
		return solver.StepDecay{Initial: sp.Initial, Factor: sp.Factor, Every: sp.Steps}, nil
	case Cosine:
		return solver.CosineDecay{Initial: sp.Initial, Final: sp.Final, Steps: sp.Steps}, nil
	case Custom:
		return nil, nil
	}
	return nil, fmt.Errorf("unknown learning-rate schedule %q", sp.Kind)
}
