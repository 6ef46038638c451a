package solver

import "math"

// Fixed steps without a loss function (Optimizer.Step with a nil valueFn).
// Update with NoLineSearch evaluates the loss at x_{k+1} = x_k + α·d_k and
// stores the pair (s_k, y_k) at once; here the caller evaluates x_{k+1}
// itself and passes the gradient to the next Step, which stores the pair
// then. The pair, the direction and the step are computed by the same
// kernels (pushPair, direction, clipGradient) as in Update, so the iterates
// are the same.

// deferredPair reports whether the last update was a fixed step whose pair
// is still to be formed: it moved the parameters without evaluating the
// loss (the only kind of update with no evaluation), so the state's cached
// evaluation is at the previous point.
func (o *Optimizer) deferredPair() bool {
	s := o.state
	return s.own.Iteration > 0 && s.own.IterationLossEvaluations == 0 && s.own.StepNorm > 0 &&
		s.hasCache() && len(o.x) == s.work.n && !s.cachedAt(o.x)
}

// pushDeferred stores the pair of the previous fixed step, from the
// cached evaluation at x_k and the caller's (value, grads) at x_{k+1} = o.x,
// which become the cached evaluation. On error the state is unchanged.
func (o *Optimizer) pushDeferred(grads []float64, value float64) error {
	s := o.state
	w := &s.work
	copy(o.prev, s.clipGradient(w.gc0, s.own.Gradients)) // clipped g_k
	copy(w.x0, w.lastX)                                  // x_k
	if err := s.seed(o.x, value, grads, nil); err != nil {
		return err
	}
	gc := s.clipGradient(w.gc0, s.own.Gradients) // clipped g_{k+1}
	s.pushPair(o.x, w.x0, gc, o.prev, s.own.Iteration)
	return nil
}

// fixedStep moves o.x by the learning rate along the L-BFGS direction at the
// caller's evaluation (value, grads).
func (o *Optimizer) fixedStep(grads []float64, value float64) error {
	s := o.state
	lr, err := s.learningRate()
	if err != nil {
		return inner(err)
	}
	if o.deferredPair() {
		if err := o.pushDeferred(grads, value); err != nil {
			return err
		}
	} else {
		if err := s.seed(o.x, value, grads, nil); err != nil {
			return err
		}
		s.own.PairStatus, s.own.CurvatureProduct = PairNone, 0
	}
	w := &s.work
	gc := s.clipGradient(w.gc0, s.own.Gradients)
	s.fixLambda0(gc)
	dg, reset, _ := s.descentDirection(w.d, gc, math.Inf(1))
	copy(w.x0, o.x)
	status, moved := LineSearchFailed, false
	switch {
	case dg < 0 && finite(dg):
		for i, x0 := range w.x0 {
			o.x[i] = x0 + lr*w.d[i] // x_{k+1} = x_k + α·d, as the line search's trial point
		}
		status, moved = LineSearchCompleted, true
	case norm2(gc) == 0:
		status = LineSearchCompleted // stationary: completed without a move
	}
	s.own.StepNorm, s.own.LearningRate = 0, 0
	if moved {
		s.own.StepNorm, s.own.LearningRate = diffNorm(w.xt, o.x, w.x0), lr
	}
	s.own.LineSearchStatus = status
	s.own.Iteration++
	s.own.IterationLossEvaluations = 0
	s.own.DirectionalDerivative = dg
	s.own.DirectionReset = reset
	s.own.LineSearchTrials = s.own.LineSearchTrials[:0]
	s.lastMethod, s.lastMaxTrials = NoLineSearch, 1
	s.publish()
	return nil
}
