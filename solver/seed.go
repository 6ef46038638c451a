package solver

import (
	"fmt"
	"unsafe"
)

// The cached evaluation. Update skips its start-point evaluation when x is
// bit for bit work.lastX and its loss function is the one that produced the
// evaluation (work.key, see funcKey), and reuses Loss, Gradients and
// AdditionalLossFunctionOutputs. Minimize primes that cache before its first
// update (to test the gradient tolerances at the start), and the Optimizer
// seeds it from the caller's own loss and gradient (key anyFunc, as a
// checkpoint restore does: taken by the next function that comes).

// hasCache reports whether the state holds an evaluation: Loss, Gradients
// and AdditionalLossFunctionOutputs at the point work.lastX.
func (s *LBFGSState) hasCache() bool {
	w := &s.work
	return w.n != 0 && len(w.lastX) == w.n && len(s.own.Gradients) == w.n
}

// hasEvaluation reports whether the state holds the evaluation at exactly
// x of the loss function with the given key.
func (s *LBFGSState) hasEvaluation(x []float64, key unsafe.Pointer) bool {
	return (s.work.key == key || s.work.key == anyFunc) && s.cachedAt(x)
}

// cachedAt reports whether the state holds an evaluation at exactly x, of
// whatever function.
func (s *LBFGSState) cachedAt(x []float64) bool {
	return s.hasCache() && len(x) == s.work.n && sameBits(x, s.work.lastX)
}

// checkPoint validates x for a state: non-empty, the state's dimension once
// fixed, finite.
func (s *LBFGSState) checkPoint(x []float64) error {
	switch {
	case len(x) == 0:
		return fmt.Errorf("empty x: %w", inner(ErrDimension))
	case s.work.n != 0 && len(x) != s.work.n:
		return fmt.Errorf("len(x) = %d, state has dimension %d: %w", len(x), s.work.n, inner(ErrDimension))
	}
	if allFinite(x) {
		return nil
	}
	for i, v := range x {
		if !finite(v) {
			return fmt.Errorf("x[%d] = %v: %w", i, v, inner(ErrNonFinite))
		}
	}
	return nil
}

// prime evaluates f at x and caches the result as seed does, counting one
// loss evaluation, unless the state already holds the evaluation at x. With
// bounds, an x outside them is first projected onto them, in place (x is
// Minimize's, which moves it anyway), and StartPointProjected is set. On
// error the state and x are unchanged.
func (s *LBFGSState) prime(x []float64, f LossFunc) error {
	key := funcKey(f)
	if s.hasEvaluation(x, key) {
		s.work.key = key
		return nil
	}
	if err := s.checkPoint(x); err != nil {
		return fmt.Errorf("loss at the starting point: %w", err)
	}
	fresh := s.work.n == 0
	if fresh {
		if err := s.init(len(x)); err != nil {
			return fmt.Errorf("loss at the starting point: %w", inner(err))
		}
	}
	w := &s.work
	// Evaluate into scratch, so that a failure leaves Gradients intact.
	projected := s.startPoint(w.x0, x)
	if projected && s.hasEvaluation(w.x0, key) {
		copy(x, w.x0)
		s.own.StartPointProjected, w.primedProjected = true, true
		s.work.key = key
		s.publish()
		return nil
	}
	loss, extra, err := f(w.x0, w.g0)
	if err == nil && w.geom != nil {
		s.startPoint(w.x0, x) // in case f wrote into its argument
		loss += w.geom.penalty(w.x0)
	}
	if err != nil {
		err = fmt.Errorf("%w: %w", inner(ErrLossFunction), err)
	} else if !finite(loss) || !allFinite(w.g0) {
		err = fmt.Errorf("loss %v or its gradient: %w", loss, inner(ErrNonFinite))
	}
	if err != nil {
		if fresh {
			s.uninit()
		}
		return fmt.Errorf("loss at the starting point: %w", err)
	}
	if projected {
		copy(x, w.x0) // Minimize moves x anyway; start from the feasible point
	}
	s.store(x, loss, w.g0, extra, key)
	s.own.StartPointProjected, w.primedProjected = projected, projected
	s.own.NumLossEvaluations++
	s.publish()
	return nil
}

// seed makes (loss, grad, extra) the cached evaluation at x, initialising a
// fresh state for len(x), after checking that x, loss and grad are finite
// and of the state's dimension. On error the state is unchanged.
func (s *LBFGSState) seed(x []float64, loss float64, grad []float64, extra any) error {
	if err := s.checkPoint(x); err != nil {
		return err
	}
	if len(grad) != len(x) {
		return fmt.Errorf("len(grads) = %d, len(x) = %d: %w", len(grad), len(x), inner(ErrDimension))
	}
	if !finite(loss) || !allFinite(grad) {
		return fmt.Errorf("loss %v or its gradient: %w", loss, inner(ErrNonFinite))
	}
	if s.work.n == 0 {
		if err := s.init(len(x)); err != nil {
			return err
		}
	}
	s.store(x, loss, grad, extra, anyFunc)
	s.publish()
	return nil
}

// store writes the evaluation into an initialised state.
func (s *LBFGSState) store(x []float64, loss float64, grad []float64, extra any, key unsafe.Pointer) {
	w := &s.work
	copy(w.grad, grad)
	w.key = key
	s.own.Gradients = w.grad
	s.own.GradientsNorm, s.own.GradientsInfNorm = norm2(w.grad), normInf(w.grad)
	s.report(x, w.grad)
	s.own.Loss, s.own.AdditionalLossFunctionOutputs = loss, extra
	w.lastX = append(w.lastX[:0], x...)
}
