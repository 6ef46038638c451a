package trace

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/schedspec"
)

// The wire form of the trace: one JSON object per line, snake_case keys, a
// "kind" key saying which of the three line types it is. Floats go through
// jsonFloat so that NaN and ±Inf survive. docs/trace-format.md documents
// every key; keep the two in step.

const (
	kindHeader    = "header"
	kindIteration = "iteration"
	kindSummary   = "summary"
)

// jsonFloat encodes a float64 as the shortest decimal that reads back to
// the same bits, and NaN, +Inf and -Inf as the JSON strings "NaN", "+Inf"
// and "-Inf" (encoding/json rejects them as numbers).
type jsonFloat float64

// MarshalJSON implements json.Marshaler.
func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	switch {
	case math.IsNaN(v):
		return []byte(`"NaN"`), nil
	case math.IsInf(v, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(v, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler. Its errors are
// *json.UnmarshalTypeError, to which encoding/json adds the key.
func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case `"NaN"`:
		*f = jsonFloat(math.NaN())
		return nil
	case `"+Inf"`:
		*f = jsonFloat(math.Inf(1))
		return nil
	case `"-Inf"`:
		*f = jsonFloat(math.Inf(-1))
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		found := jsonValue(b)
		if errors.Is(err, strconv.ErrRange) {
			found += " (too large for a 64-bit float)"
		}
		return &json.UnmarshalTypeError{Value: found, Type: reflect.TypeFor[float64]()}
	}
	*f = jsonFloat(v)
	return nil
}

type wireSchedule struct {
	Schedule string     `json:"schedule"`
	Initial  *jsonFloat `json:"initial,omitempty"`
	Factor   *jsonFloat `json:"factor,omitempty"`
	Final    *jsonFloat `json:"final,omitempty"`
	Steps    *int       `json:"steps,omitempty"`
	Type     string     `json:"type,omitempty"`
}

type wireOptions struct {
	HistorySize                 int          `json:"history_size"`
	InitialInverseHessianFactor jsonFloat    `json:"initial_inverse_hessian_factor"`
	InitialStepSize             *jsonFloat   `json:"initial_step_size,omitempty"` // version 2
	LineSearchMethod            string       `json:"line_search_method"`
	MaxNumLineSearchIterations  int          `json:"max_num_line_search_iterations"`
	C1                          jsonFloat    `json:"c1"`
	C2                          jsonFloat    `json:"c2"`
	CurvatureEpsilon            jsonFloat    `json:"curvature_epsilon"`
	LearningRate                wireSchedule `json:"learning_rate"`
	ScaleInitialHessian         bool         `json:"scale_initial_hessian"`
	GradientClipNorm            jsonFloat    `json:"gradient_clip_norm"`
	GradientClipValue           jsonFloat    `json:"gradient_clip_value"`
	Lower                       []jsonFloat  `json:"lower,omitempty"`      // version 4
	Upper                       []jsonFloat  `json:"upper,omitempty"`      // version 4
	L1                          *jsonFloat   `json:"l1,omitempty"`         // version 4
	L1Weights                   []jsonFloat  `json:"l1_weights,omitempty"` // version 4
}

type wireHeader struct {
	Kind           string      `json:"kind"`
	Format         string      `json:"format"`
	Version        int         `json:"version"`
	StartIteration int         `json:"start_iteration"`
	Options        wireOptions `json:"options"`
}

type wireTrial struct {
	Step       jsonFloat `json:"step"`
	Loss       jsonFloat `json:"loss"`
	Derivative jsonFloat `json:"derivative"`
	Outcome    string    `json:"outcome"`
}

type wireIteration struct {
	Kind                  string      `json:"kind"`
	Iteration             int         `json:"iteration"`
	ElapsedNS             int64       `json:"elapsed_ns"`
	Loss                  jsonFloat   `json:"loss"`
	GradientsNorm         jsonFloat   `json:"gradients_norm"`
	StepNorm              jsonFloat   `json:"step_norm"`
	LearningRate          jsonFloat   `json:"learning_rate"`
	InverseHessianFactor  jsonFloat   `json:"inverse_hessian_factor"`
	GradientsInfNorm      *jsonFloat  `json:"gradients_inf_norm,omitempty"` // version 2
	LineSearchMethod      *string     `json:"line_search_method,omitempty"` // version 2
	LineSearchStatus      string      `json:"line_search_status"`
	LossEvaluations       int         `json:"loss_evaluations"`
	TotalLossEvaluations  int         `json:"total_loss_evaluations"`
	PairStatus            string      `json:"pair_status"`
	CurvatureProduct      jsonFloat   `json:"curvature_product"`
	DirectionalDerivative jsonFloat   `json:"directional_derivative"`
	DirectionReset        bool        `json:"direction_reset"`
	Trials                []wireTrial `json:"trials"`
	ProjectedGradientNorm *jsonFloat  `json:"projected_gradient_norm,omitempty"` // version 4
	ActiveBounds          *int        `json:"active_bounds,omitempty"`           // version 4
	ZeroCoordinates       *int        `json:"zero_coordinates,omitempty"`        // version 4
	L1Penalty             *jsonFloat  `json:"l1_penalty,omitempty"`              // version 4
	StartPointProjected   *bool       `json:"start_point_projected,omitempty"`   // version 4
	ValidationLoss        *jsonFloat  `json:"validation_loss,omitempty"`         // version 3, validated iterations only
	ValidationAccuracy    *jsonFloat  `json:"validation_accuracy,omitempty"`     // version 3, with a validation loss
	ValidationRMSE        *jsonFloat  `json:"validation_rmse,omitempty"`         // version 3, with a validation loss
}

type wireSummary struct {
	Kind            string     `json:"kind"`
	Status          wireStatus `json:"status"`
	Iterations      int        `json:"iterations"`
	LossEvaluations int        `json:"loss_evaluations"`
	ElapsedNS       int64      `json:"elapsed_ns"`
	Loss            jsonFloat  `json:"loss"`
	GradientsNorm   jsonFloat  `json:"gradients_norm"`
}

// marshalLine appends the JSON encoding of v and a newline to dst.
func marshalLine(dst []byte, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return dst, err
	}
	dst = append(dst, b...)
	return append(dst, '\n'), nil
}

// headerLine encodes h; a nil LearningRate is the custom schedule named by
// h.ScheduleType.
func headerLine(h Header) wireHeader {
	o := h.Options
	sp := schedspec.Spec{Kind: schedspec.Custom, Type: h.ScheduleType}
	if o.LearningRate != nil {
		sp = schedspec.Of(o.LearningRate)
	}
	iss, l1 := jsonFloat(o.InitialStepSize), jsonFloat(o.L1)
	return wireHeader{
		Kind: kindHeader, Format: format, Version: h.Version, StartIteration: h.StartIteration,
		Options: wireOptions{
			HistorySize:                 o.HistorySize,
			InitialInverseHessianFactor: jsonFloat(o.InitialInverseHessianFactor),
			InitialStepSize:             &iss,
			LineSearchMethod:            o.LineSearchMethod.String(),
			MaxNumLineSearchIterations:  o.MaxNumLineSearchIterations,
			C1:                          jsonFloat(o.C1),
			C2:                          jsonFloat(o.C2),
			CurvatureEpsilon:            jsonFloat(o.CurvatureEpsilon),
			LearningRate:                scheduleToWire(sp),
			ScaleInitialHessian:         o.ScaleInitialHessian,
			GradientClipNorm:            jsonFloat(o.GradientClipNorm),
			GradientClipValue:           jsonFloat(o.GradientClipValue),
			Lower:                       floatsToWire(o.Lower),
			Upper:                       floatsToWire(o.Upper),
			L1:                          &l1,
			L1Weights:                   floatsToWire(o.L1Weights),
		},
	}
}

// floatsToWire converts an option slice (nil stays nil).
func floatsToWire(v []float64) []jsonFloat {
	if v == nil {
		return nil
	}
	w := make([]jsonFloat, len(v))
	for i, f := range v {
		w[i] = jsonFloat(f)
	}
	return w
}

// floatsFromWire converts back what floatsToWire wrote.
func floatsFromWire(w []jsonFloat) []float64 {
	if w == nil {
		return nil
	}
	v := make([]float64, len(w))
	for i, f := range w {
		v[i] = float64(f)
	}
	return v
}

func scheduleToWire(sp schedspec.Spec) wireSchedule {
	f := func(v float64) *jsonFloat { j := jsonFloat(v); return &j }
	w := wireSchedule{Schedule: sp.Kind, Initial: f(sp.Initial)}
	switch sp.Kind {
	case schedspec.Exponential, schedspec.Step:
		w.Factor, w.Steps = f(sp.Factor), &sp.Steps
	case schedspec.Cosine:
		w.Final, w.Steps = f(sp.Final), &sp.Steps
	case schedspec.Custom:
		w = wireSchedule{Schedule: sp.Kind, Type: sp.Type}
	}
	return w
}

func (w wireSchedule) spec() schedspec.Spec {
	val := func(p *jsonFloat) float64 {
		if p == nil {
			return 0
		}
		return float64(*p)
	}
	sp := schedspec.Spec{Kind: w.Schedule, Type: w.Type, Initial: val(w.Initial), Factor: val(w.Factor), Final: val(w.Final)}
	if w.Steps != nil {
		sp.Steps = *w.Steps
	}
	return sp
}

func (w wireHeader) header() (Header, error) {
	o := w.Options
	m, err := solver.ParseLineSearchMethod(o.LineSearchMethod)
	if err != nil {
		return Header{}, fmt.Errorf("key %q: %w", "options.line_search_method", unprefixed(err))
	}
	h := Header{
		Version: w.Version, StartIteration: w.StartIteration,
		Options: solver.Options{
			HistorySize:                 o.HistorySize,
			InitialInverseHessianFactor: float64(o.InitialInverseHessianFactor),
			LineSearchMethod:            m,
			MaxNumLineSearchIterations:  o.MaxNumLineSearchIterations,
			C1:                          float64(o.C1),
			C2:                          float64(o.C2),
			CurvatureEpsilon:            float64(o.CurvatureEpsilon),
			ScaleInitialHessian:         o.ScaleInitialHessian,
			GradientClipNorm:            float64(o.GradientClipNorm),
			GradientClipValue:           float64(o.GradientClipValue),
		},
	}
	if o.InitialStepSize != nil {
		h.Options.InitialStepSize = float64(*o.InitialStepSize)
	}
	h.Options.Lower, h.Options.Upper = floatsFromWire(o.Lower), floatsFromWire(o.Upper)
	h.Options.L1Weights = floatsFromWire(o.L1Weights)
	if o.L1 != nil {
		h.Options.L1 = float64(*o.L1)
	}
	sp := o.LearningRate.spec()
	lr, err := sp.Schedule()
	if err != nil {
		return h, err
	}
	h.Options.LearningRate, h.ScheduleType = lr, sp.Type
	return h, nil
}

func iterationLine(r Record) wireIteration {
	trials := make([]wireTrial, len(r.Trials))
	for i, t := range r.Trials {
		trials[i] = wireTrial{jsonFloat(t.Step), jsonFloat(t.Loss), jsonFloat(t.Derivative), t.Outcome.String()}
	}
	method := r.LineSearchMethod.String()
	gi, pg, pen := jsonFloat(r.GradientsInfNorm), jsonFloat(r.ProjectedGradientNorm), jsonFloat(r.L1Penalty)
	active, zeros, projected := r.ActiveBounds, r.ZeroCoordinates, r.StartPointProjected
	w := wireIteration{
		Kind: kindIteration, Iteration: r.Iteration, ElapsedNS: int64(r.Elapsed),
		Loss: jsonFloat(r.Loss), GradientsNorm: jsonFloat(r.GradientsNorm), StepNorm: jsonFloat(r.StepNorm),
		LearningRate: jsonFloat(r.LearningRate), InverseHessianFactor: jsonFloat(r.InverseHessianFactor),
		GradientsInfNorm: &gi, LineSearchMethod: &method,
		LineSearchStatus: r.LineSearchStatus.String(), LossEvaluations: r.LossEvaluations,
		TotalLossEvaluations: r.TotalLossEvaluations, PairStatus: r.PairStatus.String(),
		CurvatureProduct: jsonFloat(r.CurvatureProduct), DirectionalDerivative: jsonFloat(r.DirectionalDerivative),
		DirectionReset: r.DirectionReset, Trials: trials,
		ProjectedGradientNorm: &pg, ActiveBounds: &active, ZeroCoordinates: &zeros,
		L1Penalty: &pen, StartPointProjected: &projected,
	}
	// The validation keys only where a validation loss was measured.
	if !math.IsNaN(r.ValidationLoss) {
		w.ValidationLoss = optional(r.ValidationLoss)
		w.ValidationAccuracy = optional(r.ValidationAccuracy)
		w.ValidationRMSE = optional(r.ValidationRMSE)
	}
	return w
}

// optional returns a pointer to v, or nil for NaN (a key left out).
func optional(v float64) *jsonFloat {
	if math.IsNaN(v) {
		return nil
	}
	f := jsonFloat(v)
	return &f
}

// orNaN returns *p, or NaN for an absent key.
func orNaN(p *jsonFloat) float64 {
	if p == nil {
		return math.NaN()
	}
	return float64(*p)
}

// record decodes an iteration line; h is the trace's header, which gives
// the line-search method of a version 1 trace.
func (w wireIteration) record(h *Header) (Record, error) {
	r := Record{
		Iteration: w.Iteration, Elapsed: time.Duration(w.ElapsedNS),
		Loss: float64(w.Loss), GradientsNorm: float64(w.GradientsNorm), StepNorm: float64(w.StepNorm),
		LearningRate: float64(w.LearningRate), InverseHessianFactor: float64(w.InverseHessianFactor),
		LossEvaluations: w.LossEvaluations, TotalLossEvaluations: w.TotalLossEvaluations,
		CurvatureProduct: float64(w.CurvatureProduct), DirectionalDerivative: float64(w.DirectionalDerivative),
		DirectionReset:     w.DirectionReset,
		ValidationLoss:     orNaN(w.ValidationLoss),
		ValidationAccuracy: orNaN(w.ValidationAccuracy),
		ValidationRMSE:     orNaN(w.ValidationRMSE),
	}
	switch {
	case h.Version >= 2 && (w.LineSearchMethod == nil || w.GradientsInfNorm == nil):
		return r, errors.New(`missing key "line_search_method" or "gradients_inf_norm" (format version 2)`)
	case w.LineSearchMethod != nil:
		if err := enumKey("line_search_method", *w.LineSearchMethod, &r.LineSearchMethod); err != nil {
			return r, err
		}
	default:
		r.LineSearchMethod = h.Options.LineSearchMethod
	}
	if w.GradientsInfNorm != nil {
		r.GradientsInfNorm = float64(*w.GradientsInfNorm)
	}
	switch {
	case h.Version >= 4 && (w.ProjectedGradientNorm == nil || w.ActiveBounds == nil || w.ZeroCoordinates == nil ||
		w.L1Penalty == nil || w.StartPointProjected == nil):
		return r, errors.New(`missing key "projected_gradient_norm", "active_bounds", "zero_coordinates", "l1_penalty" or "start_point_projected" (format version 4)`)
	case h.Version >= 4:
		r.ProjectedGradientNorm, r.L1Penalty = float64(*w.ProjectedGradientNorm), float64(*w.L1Penalty)
		r.ActiveBounds, r.ZeroCoordinates, r.StartPointProjected = *w.ActiveBounds, *w.ZeroCoordinates, *w.StartPointProjected
	default:
		r.ProjectedGradientNorm = r.GradientsInfNorm // plain L-BFGS before version 4
	}
	if err := enumKey("line_search_status", w.LineSearchStatus, &r.LineSearchStatus); err != nil {
		return r, err
	}
	if err := enumKey("pair_status", w.PairStatus, &r.PairStatus); err != nil {
		return r, err
	}
	for _, t := range w.Trials {
		lt := solver.LineSearchTrial{Step: float64(t.Step), Loss: float64(t.Loss), Derivative: float64(t.Derivative)}
		if err := enumKey("trials.outcome", t.Outcome, &lt.Outcome); err != nil {
			return r, err
		}
		r.Trials = append(r.Trials, lt)
	}
	return r, nil
}

// enumKey decodes the value of key into v through its UnmarshalText.
func enumKey(key, text string, v interface{ UnmarshalText([]byte) error }) error {
	if err := v.UnmarshalText([]byte(text)); err != nil {
		return fmt.Errorf("key %q: %w", key, unprefixed(err))
	}
	return nil
}

func summaryLine(res solver.Result) wireSummary {
	return wireSummary{
		Kind: kindSummary, Status: wireStatus(res.Status), Iterations: res.Iterations,
		LossEvaluations: res.LossEvaluations, ElapsedNS: int64(res.Elapsed),
		Loss: jsonFloat(res.Loss), GradientsNorm: jsonFloat(res.GradientsNorm),
	}
}

func (w wireSummary) result() solver.Result {
	return solver.Result{
		Status: solver.Status(w.Status), Iterations: w.Iterations, LossEvaluations: w.LossEvaluations,
		Elapsed: time.Duration(w.ElapsedNS), Loss: float64(w.Loss), GradientsNorm: float64(w.GradientsNorm),
	}
}
