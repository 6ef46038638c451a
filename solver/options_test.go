package solver

import (
	"errors"
	"math"
	"testing"
)

// TestNewLBFGSStateOptions checks that each option out of range, and each
// option set for a line search that does not use it, is rejected with an
// *OptionError naming it.
func TestNewLBFGSStateOptions(t *testing.T) {
	for _, tc := range optionCases() {
		t.Run(tc.name, func(t *testing.T) {
			s, err := NewLBFGSState(tc.opts)
			if tc.option == "" {
				if err != nil || s == nil {
					t.Fatalf("NewLBFGSState = %v, %v; want a state", s, err)
				}
				if s.InverseHessianFactor != tc.opts.InitialInverseHessianFactor || s.LineSearchStatus != LineSearchNone {
					t.Errorf("new state: λ = %v, status %q", s.InverseHessianFactor, s.LineSearchStatus)
				}
				return
			}
			var oe *OptionError
			if !errors.As(err, &oe) || !errors.Is(err, ErrInvalidOption) || s != nil {
				t.Fatalf("NewLBFGSState = %v, %v; want nil and an *OptionError", s, err)
			}
			if oe.Option != tc.option || oe.Valid == "" {
				t.Errorf("error names option %q (valid %q), want %q: %v", oe.Option, oe.Valid, tc.option, err)
			}
		})
	}
}

// optionCase is an Options value and the option NewLBFGSState must name
// ("" when the options are valid).
type optionCase struct {
	name   string
	opts   Options
	option string
}

// optionCases returns the cases of TestNewLBFGSStateOptions.
func optionCases() []optionCase {
	with := func(edit func(*Options)) Options {
		o := DefaultOptions()
		edit(&o)
		return o
	}
	nan, inf := math.NaN(), math.Inf(1)
	return []optionCase{
		{"defaults", DefaultOptions(), ""},
		{"strong-wolfe", with(func(o *Options) { o.LineSearchMethod = StrongWolfe; o.C2 = 0.1 }), ""},
		{"backtracking", with(func(o *Options) { o.LineSearchMethod = Backtracking; o.C1 = 0.5 }), ""},
		{"none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch }), ""},
		{"clipping", with(func(o *Options) { o.GradientClipNorm = 1; o.GradientClipValue = 0.5 }), ""},
		{"HistorySize 0", with(func(o *Options) { o.HistorySize = 0 }), "HistorySize"},
		{"HistorySize -1", with(func(o *Options) { o.HistorySize = -1 }), "HistorySize"},
		{"HistorySize huge", with(func(o *Options) { o.HistorySize = maxHistorySize + 1 }), "HistorySize"},
		{"negative factor", with(func(o *Options) { o.InitialInverseHessianFactor = -1 }), "InitialInverseHessianFactor"},
		{"zero factor", with(func(o *Options) { o.InitialInverseHessianFactor = 0 }), "InitialInverseHessianFactor"},
		{"NaN factor", with(func(o *Options) { o.InitialInverseHessianFactor = nan }), "InitialInverseHessianFactor"},
		{"Inf factor", with(func(o *Options) { o.InitialInverseHessianFactor = inf }), "InitialInverseHessianFactor"},
		{"unknown method", with(func(o *Options) { o.LineSearchMethod = NoLineSearch + 1 }), "LineSearchMethod"},
		{"empty method", with(func(o *Options) { o.LineSearchMethod = 0 }), "LineSearchMethod"},
		{"zero line-search iterations", with(func(o *Options) { o.MaxNumLineSearchIterations = 0 }), "MaxNumLineSearchIterations"},
		{"C1 0", with(func(o *Options) { o.C1 = 0 }), "C1"},
		{"C1 NaN", with(func(o *Options) { o.C1 = nan }), "C1"},
		{"C1 above C2", with(func(o *Options) { o.C1 = 0.95 }), "C2"},
		{"C2 1", with(func(o *Options) { o.C2 = 1 }), "C2"},
		{"C2 NaN", with(func(o *Options) { o.C2 = nan }), "C2"},
		{"C1 1 backtracking", with(func(o *Options) { o.LineSearchMethod = Backtracking; o.C1 = 1 }), "C1"},
		{"C2 with backtracking", with(func(o *Options) { o.LineSearchMethod = Backtracking; o.C2 = 0.5 }), "C2"},
		{"C2 with none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch; o.C2 = 0.5 }), "C2"},
		{"C1 with none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch; o.C1 = 0.5 }), "C1"},
		{"iterations with none", with(func(o *Options) { o.LineSearchMethod = NoLineSearch; o.MaxNumLineSearchIterations = 5 }),
			"MaxNumLineSearchIterations"},
		{"negative epsilon", with(func(o *Options) { o.CurvatureEpsilon = -1e-16 }), "CurvatureEpsilon"},
		{"NaN epsilon", with(func(o *Options) { o.CurvatureEpsilon = nan }), "CurvatureEpsilon"},
		{"nil learning rate", with(func(o *Options) { o.LearningRate = nil }), "LearningRate"},
		{"zero learning rate", with(func(o *Options) { o.LearningRate = ConstantRate(0) }), "LearningRate"},
		{"NaN learning rate", with(func(o *Options) { o.LearningRate = ConstantRate(nan) }), "LearningRate"},
		{"negative clip norm", with(func(o *Options) { o.GradientClipNorm = -1 }), "GradientClipNorm"},
		{"Inf clip norm", with(func(o *Options) { o.GradientClipNorm = inf }), "GradientClipNorm"},
		{"NaN clip value", with(func(o *Options) { o.GradientClipValue = nan }), "GradientClipValue"},
	}

}
