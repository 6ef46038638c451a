package solver

import (
	"fmt"
	"math"
)

// Learning-rate schedules. Each is a small value type whose Validate method
// checks its parameters and returns an *OptionError naming the bad one
// (NewLBFGSState calls it for Options.LearningRate); the
// types of this file and ConstantRate are saved in checkpoints and traces
// by value, any other Schedule by its type name only. Iterations count from
// 0 (the first Update), as in Schedule.
//
// With LineSearchMethod NoLineSearch the rate is the step itself (the
// braintools and PyTorch default); with a line search it is the first trial
// step, and the search may accept another.

// ExponentialDecay decays the rate continuously:
//
//	α_k = Initial · Factor^(k / Steps)
//
// so the rate is multiplied by Factor every Steps iterations (optax's
// exponential_decay without staircase; PyTorch's ExponentialLR when
// Steps = 1).
type ExponentialDecay struct {
	Initial float64 // α_0; valid: finite and > 0
	Factor  float64 // decay per Steps iterations; valid: 0 < Factor <= 1
	Steps   int     // valid: >= 1
}

// LearningRate returns Initial · Factor^(k / Steps).
func (e ExponentialDecay) LearningRate(k int) float64 {
	return e.Initial * math.Pow(e.Factor, float64(k)/float64(e.Steps))
}

// Validate reports the first parameter out of range.
func (e ExponentialDecay) Validate() error {
	if err := validInitial("ExponentialDecay.Initial", e.Initial); err != nil {
		return err
	}
	if !(e.Factor > 0 && e.Factor <= 1) {
		return &OptionError{"ExponentialDecay.Factor", e.Factor, "0 < Factor <= 1"}
	}
	if e.Steps < 1 {
		return &OptionError{"ExponentialDecay.Steps", e.Steps, ">= 1"}
	}
	return nil
}

// StepDecay multiplies the rate by Factor every Every iterations:
//
//	α_k = Initial · Factor^⌊k / Every⌋
//
// (PyTorch's StepLR with gamma = Factor and step_size = Every).
type StepDecay struct {
	Initial float64 // α_0; valid: finite and > 0
	Factor  float64 // valid: 0 < Factor <= 1
	Every   int     // valid: >= 1
}

// LearningRate returns Initial · Factor^⌊k / Every⌋.
func (s StepDecay) LearningRate(k int) float64 {
	if s.Every < 1 {
		return math.NaN() // invalid; Validate reports it
	}
	if k < 0 {
		k = 0
	}
	return s.Initial * math.Pow(s.Factor, float64(k/s.Every))
}

// Validate reports the first parameter out of range.
func (s StepDecay) Validate() error {
	if err := validInitial("StepDecay.Initial", s.Initial); err != nil {
		return err
	}
	if !(s.Factor > 0 && s.Factor <= 1) {
		return &OptionError{"StepDecay.Factor", s.Factor, "0 < Factor <= 1"}
	}
	if s.Every < 1 {
		return &OptionError{"StepDecay.Every", s.Every, ">= 1"}
	}
	return nil
}

// CosineDecay anneals the rate from Initial to Final over Steps iterations
// along half a cosine, then holds Final:
//
//	α_k = Final + (Initial − Final) · (1 + cos(π · min(k, Steps) / Steps)) / 2
//
// (Loshchilov & Hutter 2017, SGDR, without restarts; PyTorch's
// CosineAnnealingLR with eta_min = Final and T_max = Steps).
type CosineDecay struct {
	Initial float64 // α_0; valid: finite and > 0
	Final   float64 // α_k for k >= Steps; valid: 0 < Final <= Initial
	Steps   int     // valid: >= 1
}

// LearningRate returns the annealed rate for iteration k.
func (c CosineDecay) LearningRate(k int) float64 {
	t := float64(min(max(k, 0), c.Steps)) / float64(c.Steps)
	return c.Final + (c.Initial-c.Final)*(1+math.Cos(math.Pi*t))/2
}

// Validate reports the first parameter out of range.
func (c CosineDecay) Validate() error {
	if err := validInitial("CosineDecay.Initial", c.Initial); err != nil {
		return err
	}
	if !(c.Final > 0 && c.Final <= c.Initial) {
		return &OptionError{"CosineDecay.Final", c.Final, fmt.Sprintf("0 < Final <= Initial (Initial = %v)", c.Initial)}
	}
	if c.Steps < 1 {
		return &OptionError{"CosineDecay.Steps", c.Steps, ">= 1"}
	}
	return nil
}

// ScheduleFunc adapts a function of the iteration to a Schedule, for rules
// the types above do not cover. It must return finite values > 0. A
// ScheduleFunc cannot be saved in a checkpoint: pass it again to
// LoadCheckpoint.
type ScheduleFunc func(iteration int) float64

// LearningRate returns f(k), or NaN for a nil function.
func (f ScheduleFunc) LearningRate(k int) float64 {
	if f == nil {
		return math.NaN()
	}
	return f(k)
}

// Validate reports a nil function.
func (f ScheduleFunc) Validate() error {
	if f == nil {
		return &OptionError{"ScheduleFunc", nil, "a non-nil function"}
	}
	return nil
}

// Validate reports a rate that is not finite and > 0.
func (r ConstantRate) Validate() error { return validInitial("ConstantRate", float64(r)) }

func validInitial(name string, v float64) error {
	if !finite(v) || v <= 0 {
		return &OptionError{name, v, "finite and > 0"}
	}
	return nil
}
