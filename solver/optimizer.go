package solver

import "fmt"

// Optimizer is a stateful L-BFGS optimizer in the style of
// braintools.optim.LBFGS (and optax's lbfgs), for callers that compute the
// loss and gradients themselves: register the parameters once, then call
// Step with the gradients at the current parameters each iteration.
//
// The parameters are one or more float64 slices owned by the caller (the
// weights of a model, say). Step gathers them into one flat vector in
// registration order, moves it, and scatters it back, as PyTorch's LBFGS
// does with its parameter groups. Gradients are flat in the same order
// (Flatten builds them from per-parameter slices).
//
// Step runs on the same LBFGSState and core as Update:
//
//   - with a valueFn, the caller's loss and gradients seed the state's
//     cached evaluation and Update runs the configured line search with
//     valueFn, so the iterates are exactly Update's on the same problem;
//   - with a nil valueFn only NoLineSearch makes sense (a search must
//     evaluate trial points): Step moves the parameters by the learning
//     rate along the L-BFGS direction, and the curvature pair of that move
//     is formed at the next Step, from the gradients the caller passes
//     then. The iterates again equal Update's with NoLineSearch, with
//     every loss evaluation done by the caller.
type Optimizer struct {
	state  *LBFGSState
	params [][]float64
	x      []float64 // the gathered parameters
	flat   []float64 // Flatten's buffer
	prev   []float64 // clipped gradient at the previous point, for a deferred pair
}

// NewOptimizer returns an Optimizer over the given parameter slices, driven
// by state (from NewLBFGSState, or LoadCheckpoint to resume). The slices
// must be non-empty and, once the state has a dimension, add up to it. The
// Optimizer keeps the slices and writes the parameters into them.
func NewOptimizer(state *LBFGSState, params ...[]float64) (*Optimizer, error) {
	if state == nil || state.opts.LearningRate == nil {
		return nil, fmt.Errorf("solver: new optimizer: %w", errNilState)
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("solver: new optimizer: no parameters: %w", inner(ErrDimension))
	}
	if o := state.opts; o.Lower != nil || o.Upper != nil || o.L1 > 0 {
		return nil, fmt.Errorf("solver: new optimizer: %w", &OptionError{"Lower, Upper, L1", "set",
			"unset: bounds and an L1 penalty need the solver's own line search (Update or Minimize)"})
	}
	n := 0
	for i, p := range params {
		if len(p) == 0 {
			return nil, fmt.Errorf("solver: new optimizer: parameter %d is empty: %w", i, inner(ErrDimension))
		}
		n += len(p)
	}
	if state.work.n != 0 && state.work.n != n {
		return nil, fmt.Errorf("solver: new optimizer: %d parameters, state has dimension %d: %w", n, state.work.n, inner(ErrDimension))
	}
	o := &Optimizer{state: state, params: params, x: make([]float64, n), prev: make([]float64, n)}
	return o, nil
}

// State returns the LBFGSState the Optimizer updates, to read its fields,
// record it or save it with SaveCheckpoint (with Params as x); nil for an
// Optimizer not made by NewOptimizer.
func (o *Optimizer) State() *LBFGSState {
	if o == nil {
		return nil
	}
	return o.state
}

// Len returns the total number of parameters (0 for an Optimizer not made
// by NewOptimizer).
func (o *Optimizer) Len() int {
	if o == nil {
		return 0
	}
	return len(o.x)
}

// Params returns the parameters gathered into one flat vector, in
// registration order (a buffer reused by the next call; nil for an
// Optimizer not made by NewOptimizer).
func (o *Optimizer) Params() []float64 {
	if o.check() != nil {
		return nil
	}
	o.gather()
	return o.x
}

// check reports an Optimizer not made by NewOptimizer.
func (o *Optimizer) check() error {
	if o == nil || o.state == nil || len(o.params) == 0 {
		return fmt.Errorf("Optimizer not created by NewOptimizer: %w", inner(ErrInvalidOption))
	}
	return nil
}

// Flatten concatenates per-parameter gradients, in registration order and
// with the registered lengths, into one flat vector for Step (a buffer
// reused by the next call).
func (o *Optimizer) Flatten(parts ...[]float64) ([]float64, error) {
	if err := o.check(); err != nil {
		return nil, fmt.Errorf("solver: flatten: %w", err)
	}
	if len(parts) != len(o.params) {
		return nil, fmt.Errorf("solver: flatten: %d slices, %d parameters registered: %w", len(parts), len(o.params), inner(ErrDimension))
	}
	o.flat = o.flat[:0]
	for i, p := range parts {
		if len(p) != len(o.params[i]) {
			return nil, fmt.Errorf("solver: flatten: slice %d has length %d, parameter %d has %d: %w", i, len(p), i, len(o.params[i]), inner(ErrDimension))
		}
		o.flat = append(o.flat, p...)
	}
	return o.flat, nil
}

func (o *Optimizer) gather() {
	o.x = o.x[:0]
	for _, p := range o.params {
		o.x = append(o.x, p...)
	}
}

func (o *Optimizer) scatter(x []float64) {
	for _, p := range o.params {
		x = x[copy(p, x):]
	}
}

// Step performs one iteration from the current parameters, where the loss
// is value and the flat gradient is grads, and writes the new parameters
// into the registered slices.
//
// valueFn evaluates the loss and gradient at a flat parameter vector; before
// each call the Optimizer also writes that vector into the registered
// slices, so valueFn may read the parameters from either. It drives the
// line search. It may be nil only with LineSearchMethod NoLineSearch.
//
// After a Step without valueFn the new point has not been evaluated yet:
// the state's Loss and Gradients are still value and grads of the point the
// step started from.
//
// Errors, with the parameters unchanged: an Optimizer not made by
// NewOptimizer (ErrInvalidOption), grads of the wrong length
// (ErrDimension), a non-finite value or gradient (ErrNonFinite), a nil
// valueFn with a line search (ErrInvalidOption) and a learning rate that is
// not finite and > 0 leave the state unchanged too. An error from valueFn
// is returned as Update returns it (ErrLossFunction); the state then holds
// (value, grads) as its evaluation at the parameters, and, after a fixed
// step, the curvature pair of that step, so that calling Step again at the
// same parameters continues exactly as if the failed call had not been
// made.
func (o *Optimizer) Step(grads []float64, value float64, valueFn LossFunc) error {
	if err := o.check(); err != nil {
		return fmt.Errorf("solver: step: %w", err)
	}
	s := o.state
	o.gather()
	if len(grads) != len(o.x) {
		return fmt.Errorf("solver: step: len(grads) = %d, %d parameters: %w", len(grads), len(o.x), inner(ErrDimension))
	}
	if valueFn == nil && s.opts.LineSearchMethod != NoLineSearch {
		return fmt.Errorf("solver: step: nil valueFn: line search %q evaluates trial points (use %q for fixed steps): %w",
			s.opts.LineSearchMethod, NoLineSearch, inner(ErrInvalidOption))
	}
	if valueFn == nil {
		if err := o.fixedStep(grads, value); err != nil {
			return fmt.Errorf("solver: step: %w", err)
		}
		o.scatter(o.x)
		return nil
	}
	if o.deferredPair() {
		// A fixed step came before: store its pair, as Update would have.
		if err := o.pushDeferred(grads, value); err != nil {
			return fmt.Errorf("solver: step: %w", err)
		}
	} else if err := s.seed(o.x, value, grads, nil); err != nil {
		return fmt.Errorf("solver: step: %w", err)
	}
	f := func(x, g []float64) (float64, any, error) {
		o.scatter(x)
		return valueFn(x, g)
	}
	if err := s.enter(); err != nil {
		return fmt.Errorf("solver: step: %w", err)
	}
	err := s.iterate(o.x, f, anyFunc, UpdateOptions{})
	s.exit()
	o.scatter(o.x) // the accepted point, also after an error
	if err != nil {
		return fmt.Errorf("solver: update: %w", err)
	}
	return nil
}
