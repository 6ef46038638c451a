package checkpoint

import (
	"bytes"
	"math"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
	"github.com/lbfgsnet/lbfgsnet/solver/internal/testprob"
)

// blockRosenbrock is Σ_j 100(x_{2j+1} − x_{2j}²)² + (1 − x_{2j})², the loss
// testdata/v1.ckpt was written with.
func blockRosenbrock(x, g []float64) (float64, any, error) {
	var v float64
	for i := 0; i < len(x); i += 2 {
		a, b := x[i+1]-x[i]*x[i], 1-x[i]
		g[i] = -400*a*x[i] - 2*b
		g[i+1] = 200 * a
		v += 100*a*a + b*b
	}
	return v, nil, nil
}

// testdata/v1.ckpt was written by format version 1 (before the settings
// of the last update and λ₀ were saved): strong Wolfe, HistorySize 3, on
// blockRosenbrock of dimension 4 from the standard start, stopped after 7
// iterations and 9 evaluations.
func TestReadVersion1(t *testing.T) {
	s, x, err := Load("testdata/v1.ckpt", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Values printed by the program that wrote the file.
	wantX := []float64{-0.9254491421358355, 0.8164413271921086, -0.9254491421358355, 0.8164413271921086}
	switch {
	case !sameBits(x, wantX):
		t.Errorf("x = %v, want %v", x, wantX)
	case s.Iteration != 7 || s.NumLossEvaluations != 9 || s.Loss != 7.734945441442734:
		t.Errorf("iteration %d, evaluations %d, loss %v", s.Iteration, s.NumLossEvaluations, s.Loss)
	case s.HistorySize() != 3 || s.LineSearchMethod() != solver.StrongWolfe ||
		s.MaxNumLineSearchIterations() != solver.DefaultMaxNumLineSearchIterations || s.InitialInverseHessianFactor() != 1:
		t.Errorf("settings: m %d, %v, %d, λ₀ %v", s.HistorySize(), s.LineSearchMethod(), s.MaxNumLineSearchIterations(), s.InitialInverseHessianFactor())
	case s.GradientsInfNorm != infNorm(s.Gradients) || len(s.StepHistory) != 3:
		t.Errorf("‖g‖∞ %v of %v, %d pairs", s.GradientsInfNorm, s.Gradients, len(s.StepHistory))
	}
	// Saved again it is a current file holding the same state, and the
	// two continue identically.
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	s2, x2, err := Read(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	if stateString(s2) != stateString(s) {
		t.Fatalf("re-saved state differs:\n%s\n%s", stateString(s2), stateString(s))
	}
	loss := s.Loss
	testprob.Updates(t, s, x, blockRosenbrock, 5)
	testprob.Updates(t, s2, x2, blockRosenbrock, 5)
	if !sameBits(x, x2) || stateString(s) != stateString(s2) || !(s.Loss < loss) || math.IsNaN(s.Loss) {
		t.Errorf("continued: x %v and %v, loss %v from %v", x, x2, s.Loss, loss)
	}
}

// testdata/v2.ckpt was written by format version 2 (before bounds and the
// L1 penalty): the run of v1.ckpt (strong Wolfe, HistorySize 3,
// blockRosenbrock of dimension 4, 7 iterations and 9 evaluations). It reads
// as plain L-BFGS, with ProjectedGradientNorm = GradientsInfNorm, and
// continues as the same state saved in the current version does.
func TestReadVersion2(t *testing.T) {
	s, x, err := Load("testdata/v2.ckpt", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Values printed by the program that wrote the file.
	wantX := []float64{-0.9254491421358355, 0.8164413271921086, -0.9254491421358355, 0.8164413271921086}
	o := s.Options()
	switch {
	case !sameBits(x, wantX):
		t.Errorf("x = %v, want %v", x, wantX)
	case s.Iteration != 7 || s.NumLossEvaluations != 9 || s.Loss != 7.734945441442734 || s.GradientsInfNorm != 18.663558585621338:
		t.Errorf("iteration %d, evaluations %d, loss %v, ‖g‖∞ %v", s.Iteration, s.NumLossEvaluations, s.Loss, s.GradientsInfNorm)
	case o.Lower != nil || o.Upper != nil || o.L1 != 0 || o.L1Weights != nil:
		t.Errorf("a version 2 file reads with bounds %v %v or L1 %v %v", o.Lower, o.Upper, o.L1, o.L1Weights)
	case s.ProjectedGradientNorm != s.GradientsInfNorm || s.ActiveBounds != 0 || s.ZeroCoordinates != 0 || s.StartPointProjected:
		t.Errorf("optimality fields %v %d %d %v", s.ProjectedGradientNorm, s.ActiveBounds, s.ZeroCoordinates, s.StartPointProjected)
	}
	// Its iterations 1 … 7 took the first step of their time (normalised
	// to unit length, before λ₀ shaped it), so it continues as the same
	// state saved again in the current format does, not as a fresh run.
	var buf bytes.Buffer
	if err := Write(&buf, s, x); err != nil {
		t.Fatal(err)
	}
	ref, xref, err := Read(&buf, nil)
	if err != nil {
		t.Fatal(err)
	}
	loss := s.Loss
	testprob.Updates(t, ref, xref, blockRosenbrock, 5)
	testprob.Updates(t, s, x, blockRosenbrock, 5)
	if !sameBits(x, xref) || s.Loss != ref.Loss || !(s.Loss < loss) {
		t.Errorf("continued to iteration 12: x %v, re-saved %v; loss %v from %v", x, xref, s.Loss, loss)
	}
}
