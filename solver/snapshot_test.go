package solver

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
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
	own    string // the solver's own scalars
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
	own := s.own
	own.StepHistory, own.GradientsDifferenceHistory, own.HistoryIndices, own.Gradients, own.LineSearchTrials = nil, nil, nil, nil, nil
	own.AdditionalLossFunctionOutputs = nil
	c.own = fmt.Sprintf("%+v %v %v %v", own, s.lambda0, s.lastMethod, s.lastMaxTrials)
	return c
}

// coreSameSnap reports the first difference between two snapshots, or "".
func coreSameSnap(a, b coreSnapshot) string {
	fa, fb := a.fields, b.fields
	switch {
	case a.n != b.n:
		return "dimension"
	case a.own != b.own:
		return "the solver's own report"
	case a.opts != b.opts || fa.HistorySize() != fb.HistorySize() || fa.LineSearchMethod() != fb.LineSearchMethod() ||
		fa.MaxNumLineSearchIterations() != fb.MaxNumLineSearchIterations() ||
		!coreSameFloat(fa.InitialInverseHessianFactor(), fb.InitialInverseHessianFactor()):
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

// stateString prints everything a state holds (its Snapshot, and the
// published Report), without the extra outputs, for comparing two states.
func stateString(s *LBFGSState) string {
	sn := s.Snapshot()
	sn.Report.AdditionalLossFunctionOutputs = nil
	pub := s.Report
	pub.AdditionalLossFunctionOutputs = nil
	return fmt.Sprintf("%+v|%+v|%v %v %v %v", sn, pub,
		s.HistorySize(), s.InitialInverseHessianFactor(), s.LineSearchMethod(), s.MaxNumLineSearchIterations())
}

// TestRestoreRejects checks that Restore refuses snapshots no state can
// hold, naming what is wrong, and that a valid one round-trips.
func TestRestoreRejects(t *testing.T) {
	s := coreNewState(t, DefaultOptions())
	x := rosenbrockStart(2)
	coreUpdates(t, s, x, rosenbrock, 3)
	good := s.Snapshot()
	r, err := Restore(good)
	if err != nil || stateString(r) != stateString(s) {
		t.Fatalf("Restore(Snapshot()) = %v\n%s\nwant\n%s", err, stateString(r), stateString(s))
	}
	for _, tc := range []struct {
		name string
		bad  func(sn *Snapshot)
		want string
	}{
		{"negative counter", func(sn *Snapshot) { sn.Report.Iteration = -1 }, "negative"},
		{"too many pairs", func(sn *Snapshot) { sn.Options.HistorySize = 1 }, "history pairs"},
		{"rho", func(sn *Snapshot) { sn.Rho[0] = -1 }, "1/(sᵀy)"},
		{"index order", func(sn *Snapshot) { sn.Report.HistoryIndices[0] = 99 }, "history index"},
		{"vector length", func(sn *Snapshot) { sn.Report.StepHistory[0] = []float64{1} }, "length"},
		{"lambda", func(sn *Snapshot) { sn.Report.InverseHessianFactor = math.Inf(1) }, "InverseHessianFactor"},
		{"lambda0", func(sn *Snapshot) { sn.InitialInverseHessianFactor = 2 }, "InitialInverseHessianFactor"},
		{"method", func(sn *Snapshot) { sn.LineSearchMethod = 17 }, "LineSearchMethod"},
		{"outcome", func(sn *Snapshot) { sn.Report.LineSearchTrials[0].Outcome = 0 }, "outcome"},
		{"cached gradient", func(sn *Snapshot) { sn.Report.Gradients[1] = math.NaN() }, "cached"},
		{"no dimension", func(sn *Snapshot) { sn.Dimension = 0 }, "no dimension"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sn := s.Snapshot()
			tc.bad(&sn)
			_, err := Restore(sn)
			if !errors.Is(err, ErrInvalidSnapshot) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrInvalidSnapshot naming %q", err, tc.want)
			}
		})
	}
	bad := good
	bad.Options.HistorySize = 0
	if _, err := Restore(bad); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("options out of range: err = %v, want ErrInvalidOption", err)
	}
}
