package solver

import (
	"fmt"
	"math"
	"slices"
)

// ErrValidationPatience is returned by a Validator's hook when the
// validation loss has not improved for ValidationOptions.Patience
// validations in a row. Minimize ends the run with status
// ValidationPatience and a nil error. It wraps ErrStop.
var ErrValidationPatience = fmt.Errorf("solver: validation patience exhausted: %w", ErrStop)

// OutputNetwork says which point a validated run hands back, as MATLAB's
// trainingOptions OutputNetwork.
type OutputNetwork int

const (
	// LastIteration is the point of the last iteration (default).
	LastIteration OutputNetwork = iota
	// BestValidationLoss is the point with the lowest validation loss seen.
	BestValidationLoss
)

var outputNetworkNames = [...]string{LastIteration: "last-iteration", BestValidationLoss: "best-validation-loss"}

// String returns "last-iteration" or "best-validation-loss".
func (o OutputNetwork) String() string {
	if o < 0 || int(o) >= len(outputNetworkNames) {
		return fmt.Sprintf("OutputNetwork(%d)", int(o))
	}
	return outputNetworkNames[o]
}

// ParseOutputNetwork returns the OutputNetwork named s, as String writes it.
func ParseOutputNetwork(s string) (OutputNetwork, error) {
	for o, name := range outputNetworkNames {
		if name == s {
			return OutputNetwork(o), nil
		}
	}
	return LastIteration, &OptionError{"OutputNetwork", s, `"last-iteration" or "best-validation-loss"`}
}

// Defaults of ValidationOptions. MATLAB validates every 50 iterations of
// a mini-batch solver; a full-batch L-BFGS run has tens to hundreds of
// iterations and one validation costs one forward pass on a smaller set,
// so the default here is every iteration. The patience is infinite, as
// MATLAB's.
const (
	DefaultValidationFrequency = 1
	DefaultValidationPatience  = 0 // infinite
	DefaultOutputNetwork       = LastIteration
)

// ValidationOptions configures a Validator, under the names of MATLAB's
// trainingOptions.
type ValidationOptions struct {
	// Frequency is ValidationFrequency: validate after every Frequency-th
	// iteration (Iteration % Frequency == 0), and at the end (Finish).
	// Default 1; valid: >= 1.
	Frequency int
	// Patience is ValidationPatience: stop when this many validations in
	// a row have a loss greater than or equal to the smallest so far.
	// Default 0, meaning infinite (never stop); valid: >= 0.
	Patience int
	// OutputNetwork is LastIteration (default) or BestValidationLoss.
	OutputNetwork OutputNetwork
}

// DefaultValidationOptions returns the defaults listed in the field docs.
func DefaultValidationOptions() ValidationOptions {
	return ValidationOptions{Frequency: DefaultValidationFrequency, Patience: DefaultValidationPatience, OutputNetwork: DefaultOutputNetwork}
}

// Validate returns an *OptionError for the first field out of range.
func (o ValidationOptions) Validate() error {
	switch {
	case o.Frequency < 1:
		return &OptionError{"ValidationFrequency", o.Frequency, ">= 1"}
	case o.Patience < 0:
		return &OptionError{"ValidationPatience", o.Patience, ">= 0 (0 = infinite)"}
	case o.OutputNetwork != LastIteration && o.OutputNetwork != BestValidationLoss:
		return &OptionError{"OutputNetwork", o.OutputNetwork, "LastIteration (0) or BestValidationLoss (1)"}
	}
	return nil
}

// ValidationFunc returns the validation loss at x and, optionally, an
// extra value (metrics such as the accuracy). It must not keep or modify x.
type ValidationFunc func(x []float64) (loss float64, extra any, err error)

// A Validation is one evaluation of the validation loss.
type Validation struct {
	Iteration int     // the iteration whose point was validated
	Loss      float64 // the validation loss there
	Extra     any     // the ValidationFunc's extra value
}

// ValidationState is what a Validator has learnt, for saving beside a
// checkpoint and restoring when a run resumes: with it, a resumed run keeps
// its best point and its count towards the patience.
type ValidationState struct {
	// Validations is the number of validations made.
	Validations int
	// SinceBest counts the validations since the best one (0 at the best).
	SinceBest int
	// Last is the latest validation (Iteration −1 before the first).
	LastIteration int
	LastLoss      float64
	// BestIteration is the iteration of the lowest validation loss, −1
	// before a finite one; BestLoss that loss and Best a copy of its point.
	BestIteration int
	BestLoss      float64
	Best          []float64
}

// A Validator tracks a validation loss along a run: it validates the
// point after every Frequency-th iteration, keeps a copy of the point with
// the lowest validation loss (a copy of the flat vector, taken when it is
// validated: nothing is re-evaluated, and the solver's state and x are never
// touched), and stops the run when the loss has not improved for Patience
// validations in a row. Connect it to Minimize through Hook, or call After
// from a hook of your own.
type Validator struct {
	f     ValidationFunc
	opts  ValidationOptions
	dim   int
	state ValidationState
	last  Validation
	best  any // extra value of the best validation
}

// NewValidator returns a Validator of f for points of dim values. The
// error is an *OptionError for a bad option, or wraps ErrInvalidOption for
// a nil f or dim < 1.
func NewValidator(f ValidationFunc, dim int, opts ValidationOptions) (*Validator, error) {
	switch {
	case f == nil:
		return nil, fmt.Errorf("solver: validator: nil validation function: %w", inner(ErrInvalidOption))
	case dim < 1:
		return nil, fmt.Errorf("solver: validator: dimension %d (valid: >= 1): %w", dim, inner(ErrInvalidOption))
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("solver: validator: %w", inner(err))
	}
	v := &Validator{f: f, opts: opts, dim: dim}
	v.state = ValidationState{LastIteration: -1, LastLoss: math.NaN(), BestIteration: -1, BestLoss: math.Inf(1)}
	v.last = Validation{Iteration: -1, Loss: math.NaN()}
	return v, nil
}

// Options returns the options the Validator was made with.
func (v *Validator) Options() ValidationOptions { return v.opts }

// Hook returns a StopOptions.Hook that calls After with x, the slice
// Minimize moves in place.
func (v *Validator) Hook(x []float64) func(*LBFGSState) error {
	return func(s *LBFGSState) error { return v.After(s, x) }
}

// After validates x, the point of iteration s.Iteration, when the
// iteration is a multiple of Frequency. It returns ErrValidationPatience
// once Patience validations in a row have not improved on the best, or the
// ValidationFunc's error, wrapped.
func (v *Validator) After(s *LBFGSState, x []float64) error {
	if s == nil {
		return fmt.Errorf("solver: validator: %w", errNilState)
	}
	if s.Iteration%v.opts.Frequency != 0 {
		return nil
	}
	if err := v.Validate(s.Iteration, x); err != nil {
		return err
	}
	if p := v.opts.Patience; p > 0 && v.state.SinceBest >= p {
		return ErrValidationPatience
	}
	return nil
}

// Finish validates x, the point of iteration it, unless that iteration was
// validated last; call it when the run has ended, so that the last point
// is validated whatever the Frequency.
func (v *Validator) Finish(it int, x []float64) error {
	if v.last.Iteration == it {
		return nil
	}
	return v.Validate(it, x)
}

// Validate evaluates the validation loss at x, the point of iteration it,
// and keeps a copy of x if the loss is the lowest so far (strictly lower:
// a tie keeps the earlier point, and a NaN never improves).
func (v *Validator) Validate(it int, x []float64) error {
	if len(x) != v.dim {
		return fmt.Errorf("solver: validator: len(x) = %d, want %d: %w", len(x), v.dim, inner(ErrDimension))
	}
	loss, extra, err := v.f(x)
	if err != nil {
		return fmt.Errorf("solver: validation at iteration %d: %w", it, err)
	}
	st := &v.state
	st.Validations++
	st.LastIteration, st.LastLoss = it, loss
	v.last = Validation{Iteration: it, Loss: loss, Extra: extra}
	if loss < st.BestLoss {
		st.BestIteration, st.BestLoss, st.SinceBest = it, loss, 0
		st.Best = append(st.Best[:0], x...)
		v.best = extra
		return nil
	}
	st.SinceBest++
	return nil
}

// Last returns the latest validation (Iteration −1 before the first).
func (v *Validator) Last() Validation { return v.last }

// BestValidation returns the validation with the lowest loss, and false
// before a finite loss was seen. After a Restore its Extra is nil.
func (v *Validator) BestValidation() (Validation, bool) {
	if v.state.BestIteration < 0 {
		return Validation{Iteration: -1, Loss: math.NaN()}, false
	}
	return Validation{Iteration: v.state.BestIteration, Loss: v.state.BestLoss, Extra: v.best}, true
}

// Output returns the point the run hands back under OutputNetwork: x for
// LastIteration, a copy of the best point for BestValidationLoss (x if no
// finite validation loss was seen). It never modifies x.
func (v *Validator) Output(x []float64) []float64 {
	if v.opts.OutputNetwork == BestValidationLoss && v.state.BestIteration >= 0 {
		return slices.Clone(v.state.Best)
	}
	return x
}

// State returns a deep copy of what the Validator has learnt.
func (v *Validator) State() ValidationState {
	st := v.state
	st.Best = slices.Clone(v.state.Best)
	return st
}

// Restore replaces what the Validator has learnt with st, as saved by
// State in an earlier run. The error wraps ErrInvalidOption for a state
// whose fields disagree or whose point has the wrong dimension.
func (v *Validator) Restore(st ValidationState) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("solver: validator: restore: %s: %w", fmt.Sprintf(format, args...), inner(ErrInvalidOption))
	}
	switch {
	case st.Validations < 0 || st.SinceBest < 0 || st.SinceBest > st.Validations:
		return bad("%d validations, %d since the best", st.Validations, st.SinceBest)
	case st.BestIteration >= 0 && len(st.Best) != v.dim:
		return bad("best point of %d values, want %d", len(st.Best), v.dim)
	case st.BestIteration >= 0 && (math.IsNaN(st.BestLoss) || math.IsInf(st.BestLoss, 0)):
		return bad("best loss %v (valid: finite)", st.BestLoss)
	case st.BestIteration < 0 && (st.Best != nil || !math.IsInf(st.BestLoss, 1)):
		return bad("a best point or loss without a best iteration")
	case st.BestIteration > st.LastIteration:
		return bad("best iteration %d after the last validated %d", st.BestIteration, st.LastIteration)
	}
	v.state = st
	v.state.Best = slices.Clone(st.Best)
	v.last = Validation{Iteration: st.LastIteration, Loss: st.LastLoss}
	v.best = nil
	return nil
}
