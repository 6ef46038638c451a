package solver

import (
	"errors"
	"testing"
)

func TestStatus(t *testing.T) {
	for _, tc := range []struct {
		s         Status
		name      string
		converged bool
	}{
		{NotTerminated, "NotTerminated", false},
		{GradientTolerance, "GradientTolerance", true},
		{RelativeGradientTolerance, "RelativeGradientTolerance", true},
		{StepTolerance, "StepTolerance", true},
		{FunctionTolerance, "FunctionTolerance", true},
		{IterationLimit, "IterationLimit", false},
		{EvaluationLimit, "EvaluationLimit", false},
		{LineSearchFailure, "LineSearchFailure", false},
		{Cancelled, "Cancelled", false},
		{HookStopped, "HookStopped", false},
		{Failure, "Failure", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.String(); got != tc.name {
				t.Errorf("String() = %q, want %q", got, tc.name)
			}
			if tc.s.Converged() != tc.converged || tc.s.Early() == tc.converged {
				t.Errorf("Converged() = %v, Early() = %v, want converged %v", tc.s.Converged(), tc.s.Early(), tc.converged)
			}
			if err := tc.s.Err(); (err == nil) != tc.converged {
				t.Errorf("Err() = %v, want nil exactly when converged", err)
			}
			text, err := tc.s.MarshalText()
			if err != nil || string(text) != tc.name {
				t.Fatalf("MarshalText() = %q, %v", text, err)
			}
			var back Status
			if err := back.UnmarshalText(text); err != nil || back != tc.s {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", text, back, err, tc.s)
			}
		})
	}
	if errors.Is(IterationLimit.Err(), EvaluationLimit.Err()) {
		t.Error("distinct statuses share an Err value")
	}
}

func TestStatusUnknown(t *testing.T) {
	bad := Status(99)
	if bad.String() != "Status(99)" || bad.Converged() || bad.Err() == nil {
		t.Errorf("Status(99): String %q, Converged %v, Err %v", bad.String(), bad.Converged(), bad.Err())
	}
	if _, err := bad.MarshalText(); err == nil {
		t.Error("MarshalText of an unknown status: nil error")
	}
	var s Status
	if err := s.UnmarshalText([]byte("Converged")); err == nil {
		t.Error(`UnmarshalText("Converged"): nil error`)
	}
}
