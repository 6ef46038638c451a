package solver

import "math"

// The stopping rules of Minimize, tested in this order after each
// iteration: the gradient tolerances (a converged point wins over anything
// else), a failed line search, the step and function tolerances (only
// after a completed search), the limits.

// gradientStatus tests the gradient tolerances at the current point. An
// exactly zero gradient counts as GradientTolerance even with the
// tolerances off: no update can move from a stationary point, so the run
// would otherwise repeat empty updates until a limit.
func (r *minimizeRun) gradientStatus() Status {
	gn := r.gradientNorm()
	switch {
	case gn == 0 || (r.opts.GradientTolerance > 0 && gn <= r.opts.GradientTolerance):
		return GradientTolerance
	case r.opts.RelativeGradientTolerance > 0 && gn <= r.opts.RelativeGradientTolerance*r.g0:
		return RelativeGradientTolerance
	}
	pn := r.s.own.ProjectedGradientNorm
	if (r.s.work.geom != nil && pn == 0) || (r.opts.ProjectedGradientTolerance > 0 && pn <= r.opts.ProjectedGradientTolerance) {
		return ProjectedGradientTolerance
	}
	return NotTerminated
}

// gradientNorm returns the norm of the current gradient that the
// tolerances test.
func (r *minimizeRun) gradientNorm() float64 {
	if r.opts.GradientNorm == InfNorm {
		return r.s.own.GradientsInfNorm
	}
	return r.s.own.GradientsNorm
}

// progressStatus tests the step and function tolerances after an update
// whose line search completed; prev is the loss before it.
func (r *minimizeRun) progressStatus(prev float64) Status {
	switch {
	case r.opts.StepTolerance > 0 && r.s.own.StepNorm <= r.opts.StepTolerance:
		return StepTolerance
	case r.opts.FunctionTolerance > 0 && relativeChange(prev, r.s.own.Loss) <= r.opts.FunctionTolerance:
		return FunctionTolerance
	}
	return NotTerminated
}

// limitStatus tests the iteration and evaluation limits.
func (r *minimizeRun) limitStatus() Status {
	switch {
	case r.opts.MaxIterations > 0 && r.s.own.Iteration >= r.opts.MaxIterations:
		return IterationLimit
	case r.opts.MaxLossEvaluations > 0 && r.s.own.NumLossEvaluations >= r.opts.MaxLossEvaluations:
		return EvaluationLimit
	}
	return NotTerminated
}

// canRetry reports whether a retry from steepest descent differs from the
// update that just failed, and the limits leave room for it.
func (r *minimizeRun) canRetry() bool {
	s := r.s
	fresh := len(s.own.StepHistory) == 0 && s.own.InverseHessianFactor == s.lambda0
	return !fresh && r.limitStatus() == NotTerminated
}

// relativeChange returns |a − b| / max(|a|, |b|, 1).
func relativeChange(a, b float64) float64 {
	return math.Abs(a-b) / math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}
