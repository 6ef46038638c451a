package checkpoint

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/schedspec"
)

// The body of a checkpoint, in the order written (docs/checkpoint-format.md).
// Version 2 adds, to version 1, Options.InitialStepSize after
// InitialInverseHessianFactor, and after DirectionReset the λ₀ in effect,
// the last update's line-search method and budget, and GradientsInfNorm.
// Version 3 adds the options Lower, Upper, L1 and L1Weights after
// GradientClipValue, and after GradientsInfNorm ProjectedGradientNorm,
// ActiveBounds, ZeroCoordinates, L1Penalty and StartPointProjected.

// encodeState writes the options, the state and x.
func encodeState(e *encoder, sn *solver.Snapshot, x []float64) {
	encodeOptions(e, sn.Options)
	r := &sn.Report
	e.i64(sn.Dimension)
	e.i64(r.Iteration)
	e.i64(r.NumLossEvaluations)
	e.i64(r.IterationLossEvaluations)
	for _, v := range []float64{r.InverseHessianFactor, r.Loss, r.GradientsNorm, r.StepNorm,
		r.LearningRate, r.CurvatureProduct, r.DirectionalDerivative} {
		e.f64(v)
	}
	e.str(r.LineSearchStatus.String())
	e.str(r.PairStatus.String())
	e.boolean(r.DirectionReset)
	e.f64(sn.InitialInverseHessianFactor)
	e.str(sn.LineSearchMethod.String())
	e.i64(sn.MaxNumLineSearchIterations)
	e.f64(r.GradientsInfNorm)
	e.f64(r.ProjectedGradientNorm)
	e.i64(r.ActiveBounds)
	e.i64(r.ZeroCoordinates)
	e.f64(r.L1Penalty)
	e.boolean(r.StartPointProjected)
	e.i64(len(r.LineSearchTrials))
	for _, t := range r.LineSearchTrials {
		e.f64(t.Step)
		e.f64(t.Loss)
		e.f64(t.Derivative)
		e.str(t.Outcome.String())
	}
	e.i64(len(x))
	e.floats(x)
	// The cached evaluation: the point and the gradient there.
	e.boolean(sn.CachedX != nil)
	if sn.CachedX != nil {
		e.floats(sn.CachedX)
		e.floats(r.Gradients)
	}
	// The history, oldest first.
	e.i64(len(r.StepHistory))
	for i := range r.StepHistory {
		e.i64(r.HistoryIndices[i])
		e.f64(sn.Rho[i])
		e.floats(r.StepHistory[i])
		e.floats(r.GradientsDifferenceHistory[i])
	}
}

func encodeOptions(e *encoder, o solver.Options) {
	e.i64(o.HistorySize)
	e.f64(o.InitialInverseHessianFactor)
	e.f64(o.InitialStepSize)
	e.str(o.LineSearchMethod.String())
	e.i64(o.MaxNumLineSearchIterations)
	e.f64(o.C1)
	e.f64(o.C2)
	e.f64(o.CurvatureEpsilon)
	sp := schedspec.Of(o.LearningRate)
	e.str(sp.Kind)
	e.f64(sp.Initial)
	e.f64(sp.Factor)
	e.f64(sp.Final)
	e.i64(sp.Steps)
	e.str(sp.Type)
	e.boolean(o.ScaleInitialHessian)
	e.f64(o.GradientClipNorm)
	e.f64(o.GradientClipValue)
	for _, v := range [][]float64{o.Lower, o.Upper} {
		encodeOptional(e, v)
	}
	e.f64(o.L1)
	encodeOptional(e, o.L1Weights)
}

// decodeOptions reads the options and resolves the schedule (lr overrides).
func decodeOptions(d *decoder, lr solver.Schedule) solver.Options {
	var o solver.Options
	o.HistorySize = d.i64()
	o.InitialInverseHessianFactor = d.f64()
	if d.version >= 2 {
		o.InitialStepSize = d.f64()
	}
	o.LineSearchMethod = d.method(false)
	o.MaxNumLineSearchIterations = d.i64()
	o.C1 = d.f64()
	o.C2 = d.f64()
	o.CurvatureEpsilon = d.f64()
	var sp schedspec.Spec
	sp.Kind = d.str()
	sp.Initial, sp.Factor, sp.Final = d.f64(), d.f64(), d.f64()
	sp.Steps = d.i64()
	sp.Type = d.str()
	o.ScaleInitialHessian = d.boolean()
	o.GradientClipNorm = d.f64()
	o.GradientClipValue = d.f64()
	if d.version >= 3 {
		o.Lower, o.Upper = d.optional("Lower"), d.optional("Upper")
		o.L1 = d.f64()
		o.L1Weights = d.optional("L1Weights")
	}
	if d.err != nil {
		return o
	}
	saved, err := sp.Schedule()
	switch {
	case err != nil:
		d.fail("%v", err)
	case lr != nil:
		o.LearningRate = lr
	case saved == nil:
		d.err = &solver.OptionError{Option: "LearningRate", Value: "a schedule of type " + sp.Type,
			Valid: "a schedule of package solver, or the schedule passed to checkpoint.Load / checkpoint.Read"}
	default:
		o.LearningRate = saved
	}
	return o
}

// method reads a line-search method name ("" allowed when empty).
func (d *decoder) method(empty bool) solver.LineSearchMethod {
	name := d.str()
	if d.err != nil || (empty && name == "") {
		return 0
	}
	m, err := solver.ParseLineSearchMethod(name)
	if err != nil {
		d.fail("line-search method %q", name)
	}
	return m
}

// text reads a name into an enumeration through its UnmarshalText.
func (d *decoder) text(what string, v interface{ UnmarshalText([]byte) error }) {
	name := d.str()
	if d.err == nil && v.UnmarshalText([]byte(name)) != nil {
		d.fail("%s %q", what, name)
	}
}

// decodeState reads what encodeState wrote and restores the state.
func decodeState(d *decoder, lr solver.Schedule) (*solver.LBFGSState, []float64) {
	var sn solver.Snapshot
	sn.Options = decodeOptions(d, lr)
	if d.err != nil {
		return nil, nil
	}
	// The options bound what follows (history and trial counts): check
	// them first.
	if _, err := solver.NewLBFGSState(sn.Options); err != nil {
		d.optionsError(err, lr)
		return nil, nil
	}
	r := &sn.Report
	sn.Dimension = d.i64()
	r.Iteration, r.NumLossEvaluations, r.IterationLossEvaluations = d.i64(), d.i64(), d.i64()
	for _, p := range []*float64{&r.InverseHessianFactor, &r.Loss, &r.GradientsNorm, &r.StepNorm,
		&r.LearningRate, &r.CurvatureProduct, &r.DirectionalDerivative} {
		*p = d.f64()
	}
	d.text("line-search status", &r.LineSearchStatus)
	d.text("pair status", &r.PairStatus)
	r.DirectionReset = d.boolean()
	if d.version >= 2 {
		sn.InitialInverseHessianFactor = d.f64()
		sn.LineSearchMethod = d.method(true)
		sn.MaxNumLineSearchIterations = d.i64()
		r.GradientsInfNorm = d.f64()
	} else {
		// Version 1: the settings were fixed at creation.
		sn.InitialInverseHessianFactor = sn.Options.InitialInverseHessianFactor
		if r.Iteration > 0 {
			sn.LineSearchMethod, sn.MaxNumLineSearchIterations = sn.Options.LineSearchMethod, sn.Options.MaxNumLineSearchIterations
		}
	}
	if d.version >= 3 {
		r.ProjectedGradientNorm = d.f64()
		r.ActiveBounds, r.ZeroCoordinates = d.i64(), d.i64()
		r.L1Penalty = d.f64()
		r.StartPointProjected = d.boolean()
	}
	r.LineSearchTrials = decodeTrials(d, max(sn.Options.MaxNumLineSearchIterations, sn.MaxNumLineSearchIterations))
	n, nx := sn.Dimension, d.i64()
	switch {
	case d.err != nil:
		return nil, nil
	case n < 0:
		d.fail("negative dimension")
		return nil, nil
	case nx < 1 || (n != 0 && nx != n):
		d.fail("len(x) = %d, state dimension %d", nx, n)
		return nil, nil
	}
	x := d.vector(nx)
	if d.err == nil && !finiteAll(x) {
		d.fail("non-finite value in x")
	}
	decodeHistory(d, &sn)
	if d.err != nil {
		return nil, nil
	}
	if d.version < 2 && sn.CachedX != nil {
		r.GradientsInfNorm = infNorm(r.Gradients)
	}
	if d.version < 3 {
		// Before version 3 every state was plain L-BFGS: the optimality
		// measure is ‖g‖∞.
		r.ProjectedGradientNorm = r.GradientsInfNorm
	}
	s, err := solver.Restore(sn)
	if err != nil {
		d.fail("%s", strings.TrimPrefix(err.Error(), "solver: restore: "))
		return nil, nil
	}
	return s, x
}

// optionsError records err, from validating the options read: the
// caller's when it is about the schedule the caller passed, else the
// file's.
func (d *decoder) optionsError(err error, lr solver.Schedule) {
	var oe *solver.OptionError
	if lr != nil && errors.As(err, &oe) && oe.Option == "LearningRate" {
		d.err = fmt.Errorf("the schedule passed: %w", err)
		return
	}
	d.fail("options: %s", strings.TrimPrefix(err.Error(), "solver: "))
}

// decodeTrials reads the last update's line-search trials.
func decodeTrials(d *decoder, maxTrials int) []solver.LineSearchTrial {
	k := d.i64()
	if d.err == nil && (k < 0 || k > maxTrials) {
		d.fail("%d line-search trials (at most %d)", k, maxTrials)
	}
	if d.err != nil {
		return nil
	}
	trials := make([]solver.LineSearchTrial, k)
	for i := range trials {
		t := &trials[i]
		t.Step, t.Loss, t.Derivative = d.f64(), d.f64(), d.f64()
		d.text("trial outcome", &t.Outcome)
	}
	return trials
}

// decodeHistory reads the cached evaluation and the history pairs, each
// vector allocated as its data arrives, so that a corrupt count cannot make
// the reader allocate ahead of the input.
func decodeHistory(d *decoder, sn *solver.Snapshot) {
	r, n := &sn.Report, sn.Dimension
	if cached := d.boolean(); cached && d.err == nil {
		if n == 0 {
			d.fail("cached evaluation in a state of no dimension")
			return
		}
		sn.CachedX, r.Gradients = d.vector(n), d.vector(n)
	}
	k := d.i64()
	if d.err == nil && (k < 0 || k > sn.Options.HistorySize) {
		d.fail("%d history pairs (HistorySize %d)", k, sn.Options.HistorySize)
	}
	for i := 0; i < k && d.err == nil; i++ {
		idx, rho := d.i64(), d.f64()
		sv, yv := d.vector(n), d.vector(n)
		r.HistoryIndices = append(r.HistoryIndices, idx)
		sn.Rho = append(sn.Rho, rho)
		r.StepHistory = append(r.StepHistory, sv)
		r.GradientsDifferenceHistory = append(r.GradientsDifferenceHistory, yv)
	}
}

// finiteAll reports whether every element of v is finite.
func finiteAll(v []float64) bool {
	for _, x := range v {
		if x-x != 0 {
			return false
		}
	}
	return true
}

// infNorm returns max |v_i|.
func infNorm(v []float64) float64 {
	var m float64
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

// maxOptionLength bounds the length of an option slice read from a file
// (Lower, Upper, L1Weights): a dimension of 2³⁴ values is far beyond any
// problem this package solves, and the vector is read in chunks as its data
// arrives, so a corrupt length costs no more than the input holds.
const maxOptionLength = 1 << 34

// encodeOptional writes an option slice that may be nil: −1 for nil, else
// its length and values (±Inf stored as such).
func encodeOptional(e *encoder, v []float64) {
	if v == nil {
		e.i64(-1)
		return
	}
	e.i64(len(v))
	e.floats(v)
}

// optional reads what encodeOptional wrote.
func (d *decoder) optional(name string) []float64 {
	k := d.i64()
	switch {
	case d.err != nil || k == -1:
		return nil
	case k < 0 || int64(k) > maxOptionLength:
		d.fail("option %s of length %d", name, k)
		return nil
	}
	return d.vector(k)
}
