package solver

import (
	"fmt"
	"math"
)

// coreSnapshot is a deep copy of the exported fields of a state, its
// options, the cached point and ρ, for checking that a failed call changed
// nothing.
type coreSnapshot struct {
	fields LBFGSState
	s, y   [][]float64
	idx    []int
	grad   []float64
	trials []LineSearchTrial
	lastX  []float64
	rho    []float64
	opts   string
	n      int
}

// coreSnap copies the exported fields of s and the cached point.
func coreSnap(s *LBFGSState) coreSnapshot {
	c := coreSnapshot{fields: *s, n: s.work.n}
	c.fields.work = workspace{}
	for i := range s.StepHistory {
		c.s = append(c.s, append([]float64(nil), s.StepHistory[i]...))
		c.y = append(c.y, append([]float64(nil), s.GradientsDifferenceHistory[i]...))
	}
	c.idx = append([]int(nil), s.HistoryIndices...)
	c.grad = append([]float64(nil), s.Gradients...)
	c.trials = append([]LineSearchTrial(nil), s.LineSearchTrials...)
	c.lastX = append([]float64(nil), s.work.lastX...)
	c.rho = append([]float64(nil), s.work.rho...)
	c.opts = fmt.Sprintf("%#v", s.opts)
	return c
}

// coreSameSnap reports the first difference between two snapshots, or "".
func coreSameSnap(a, b coreSnapshot) string {
	fa, fb := a.fields, b.fields
	switch {
	case a.n != b.n:
		return "dimension"
	case a.opts != b.opts || fa.HistorySize != fb.HistorySize || fa.LineSearchMethod != fb.LineSearchMethod ||
		fa.MaxNumLineSearchIterations != fb.MaxNumLineSearchIterations ||
		!coreSameFloat(fa.InitialInverseHessianFactor, fb.InitialInverseHessianFactor):
		return "options"
	case fa.Iteration != fb.Iteration || fa.NumLossEvaluations != fb.NumLossEvaluations ||
		fa.IterationLossEvaluations != fb.IterationLossEvaluations:
		return "counters"
	case !coreSameFloat(fa.Loss, fb.Loss) || !coreSameFloat(fa.GradientsNorm, fb.GradientsNorm) ||
		!coreSameFloat(fa.StepNorm, fb.StepNorm) || !coreSameFloat(fa.LearningRate, fb.LearningRate) ||
		!coreSameFloat(fa.InverseHessianFactor, fb.InverseHessianFactor) ||
		!coreSameFloat(fa.CurvatureProduct, fb.CurvatureProduct) ||
		!coreSameFloat(fa.DirectionalDerivative, fb.DirectionalDerivative):
		return "scalars"
	case fa.LineSearchStatus != fb.LineSearchStatus || fa.PairStatus != fb.PairStatus ||
		fa.DirectionReset != fb.DirectionReset || fa.AdditionalLossFunctionOutputs != fb.AdditionalLossFunctionOutputs:
		return "status"
	case !coreSameVecs(a.s, b.s) || !coreSameVecs(a.y, b.y) || len(a.idx) != len(b.idx):
		return "history"
	case !coreSameVecs([][]float64{a.grad, a.lastX, a.rho}, [][]float64{b.grad, b.lastX, b.rho}):
		return "gradients, cached point or ρ"
	case len(a.trials) != len(b.trials):
		return "trials"
	}
	for i := range a.idx {
		if a.idx[i] != b.idx[i] {
			return "history indices"
		}
	}
	for i := range a.trials {
		ta, tb := a.trials[i], b.trials[i]
		if !coreSameFloat(ta.Step, tb.Step) || !coreSameFloat(ta.Loss, tb.Loss) ||
			!coreSameFloat(ta.Derivative, tb.Derivative) || ta.Outcome != tb.Outcome {
			return "trials"
		}
	}
	return ""
}

// coreSameFloat compares bit patterns (so NaN equals NaN).
func coreSameFloat(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }

// coreSameVecs compares two lists of vectors bit for bit.
func coreSameVecs(a, b [][]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) || !sameBits(a[i], b[i]) {
			return false
		}
	}
	return true
}
