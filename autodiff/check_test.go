package autodiff_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// curveFunc is the closed-form curve loss as a plain Go closure; bad
// scales component bug of its gradient by 1.01 (no bug when bug < 0).
func curveFunc(bug int) func(x, grad []float64) (float64, any, error) {
	return func(x, grad []float64) (float64, any, error) {
		loss, g := curveLossGrad(x, curveT, curveY)
		copy(grad, g)
		if bug >= 0 {
			grad[bug] *= 1.01
		}
		return loss, nil, nil
	}
}

func checkOpts(seed uint64) autodiff.CheckOptions {
	o := autodiff.DefaultCheckOptions()
	o.Rand = rand.New(rand.NewPCG(seed, 0))
	return o
}

func TestCheckGradientCorrect(t *testing.T) {
	x := []float64{1.5, 0.7, 0.8}
	x0 := slices.Clone(x)
	res, err := autodiff.CheckGradient(curveFunc(-1), x, checkOpts(1))
	if err != nil {
		t.Fatal(err)
	}
	// 1e-7: the rounding error of a float64 loss of order 1 over a central
	// difference of step 1e-5 is about 1e-16/1e-5 = 1e-11 absolute, and
	// the truncation error h²·f‴/6 about 1e-10 for this curve.
	if res.MaxRelativeError > 1e-7 {
		t.Errorf("max relative error %v, want < 1e-7: %v", res.MaxRelativeError, res)
	}
	if want := autodiff.DefaultCheckDirections + len(x); len(res.Checks) != want {
		t.Errorf("%d checks, want %d", len(res.Checks), want)
	}
	if want := 1 + 2*len(res.Checks); res.Evaluations != want {
		t.Errorf("%d evaluations, want %d", res.Evaluations, want)
	}
	if !slices.Equal(x, x0) {
		t.Errorf("x changed from %v to %v", x0, x)
	}
}

func TestCheckGradientFindsBug(t *testing.T) {
	for bug := range 3 {
		res, err := autodiff.CheckGradient(curveFunc(bug), []float64{1.5, 0.7, 0.8}, checkOpts(2))
		if err != nil {
			t.Fatal(err)
		}
		// A 1% error in one component: about 1e-2 relative at that
		// coordinate, and 1e-7 or less at the others; directions mix the
		// error with the other components (and may amplify it where gᵀd
		// nearly cancels), so they see at least a part of it.
		var worst autodiff.Check
		dirMax := 0.0
		for _, c := range res.Checks {
			if c.Coordinate < 0 {
				dirMax = max(dirMax, c.RelativeError)
			} else if c.RelativeError > worst.RelativeError {
				worst = c
			}
		}
		if worst.Coordinate != bug || math.Abs(worst.RelativeError-0.01) > 1e-3 {
			t.Errorf("bug at %d: worst coordinate check %+v, want coordinate %d with error 0.01", bug, worst, bug)
		}
		if dirMax < 1e-4 || res.MaxRelativeError < worst.RelativeError {
			t.Errorf("bug at %d: directions see at most %v, overall max %v; want > 1e-4 and >= %v", bug, dirMax, res.MaxRelativeError, worst.RelativeError)
		}
		// Worst is the check with the largest error.
		for _, c := range res.Checks {
			if c.RelativeError > res.MaxRelativeError {
				t.Errorf("bug at %d: check %+v exceeds MaxRelativeError %v", bug, c, res.MaxRelativeError)
			}
		}
		if res.Worst.RelativeError != res.MaxRelativeError {
			t.Errorf("bug at %d: Worst %+v, MaxRelativeError %v", bug, res.Worst, res.MaxRelativeError)
		}
	}
}

// TestCheckGradientReportsWhere: with coordinates only, the report names
// the wrong coordinate and both derivatives.
func TestCheckGradientReportsWhere(t *testing.T) {
	o := autodiff.DefaultCheckOptions()
	o.Directions = 0
	x := []float64{1.5, 0.7, 0.8}
	res, err := autodiff.CheckGradient(curveFunc(1), x, o)
	if err != nil {
		t.Fatal(err)
	}
	_, g := curveLossGrad(x, curveT, curveY)
	w := res.Worst
	if w.Coordinate != 1 || w.Direction != -1 || w.Analytic != 1.01*g[1] || math.Abs(w.Numeric/g[1]-1) > 1e-7 {
		t.Errorf("Worst = %+v, want coordinate 1 with analytic %v and numeric %v", w, 1.01*g[1], g[1])
	}
	if s := res.String(); !strings.Contains(s, "at coordinate 1 ") {
		t.Errorf("String() = %q, does not name coordinate 1", s)
	}
}

func TestCheckGradientSampledCoordinates(t *testing.T) {
	n := 50
	f := func(x, grad []float64) (float64, any, error) {
		s := 0.0
		for i, v := range x {
			s += float64(i+1) * v * v
			grad[i] = 2 * float64(i+1) * v
		}
		return s, nil, nil
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i) / 10
	}
	indices := func() []int {
		o := checkOpts(3)
		o.Coordinates, o.Directions = 5, 0
		res, err := autodiff.CheckGradient(f, x, o)
		if err != nil {
			t.Fatal(err)
		}
		var idx []int
		for _, c := range res.Checks {
			idx = append(idx, c.Coordinate)
		}
		return idx
	}
	a, b := indices(), indices()
	if len(a) != 5 || !slices.IsSorted(a) || len(slices.Compact(slices.Clone(a))) != 5 {
		t.Errorf("coordinates %v, want 5 distinct sorted indices", a)
	}
	if !slices.Equal(a, b) {
		t.Errorf("same seed, coordinates %v then %v", a, b)
	}
}

func TestCheckGradientNonFinite(t *testing.T) {
	f := func(x, grad []float64) (float64, any, error) {
		grad[0] = 1
		if x[0] > 0 {
			return math.NaN(), nil, nil
		}
		return x[0], nil, nil
	}
	res, err := autodiff.CheckGradient(f, []float64{0}, checkOpts(4))
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsInf(res.MaxRelativeError, 1) {
		t.Errorf("max relative error %v, want +Inf", res.MaxRelativeError)
	}
}

func TestCheckGradientErrors(t *testing.T) {
	boom := errors.New("boom")
	failing := func(x, grad []float64) (float64, any, error) { return 0, nil, boom }
	if _, err := autodiff.CheckGradient(failing, []float64{1}, checkOpts(5)); !errors.Is(err, boom) {
		t.Errorf("CheckGradient of a failing function: %v, want its error", err)
	}
	tests := []struct {
		name   string
		modify func(*autodiff.CheckOptions)
	}{
		{"zero step", func(o *autodiff.CheckOptions) { o.Step = 0 }},
		{"NaN step", func(o *autodiff.CheckOptions) { o.Step = math.NaN() }},
		{"infinite step", func(o *autodiff.CheckOptions) { o.Step = math.Inf(1) }},
		{"coordinates below -1", func(o *autodiff.CheckOptions) { o.Coordinates = -2 }},
		{"negative directions", func(o *autodiff.CheckOptions) { o.Directions = -1 }},
		{"negative floor", func(o *autodiff.CheckOptions) { o.Floor = -1 }},
		{"nil Rand with directions", func(o *autodiff.CheckOptions) { o.Rand = nil }},
		{"nil Rand with sampled coordinates", func(o *autodiff.CheckOptions) { o.Rand, o.Directions, o.Coordinates = nil, 0, 1 }},
		{"nothing to check", func(o *autodiff.CheckOptions) { o.Directions, o.Coordinates = 0, 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := checkOpts(6)
			tt.modify(&o)
			if _, err := autodiff.CheckGradient(curveFunc(-1), []float64{1, 1, 1}, o); !errors.Is(err, autodiff.ErrInvalidOption) {
				t.Errorf("err = %v, want ErrInvalidOption", err)
			}
		})
	}
	if _, err := autodiff.CheckGradient(nil, []float64{1}, checkOpts(7)); !errors.Is(err, autodiff.ErrInvalidOption) {
		t.Errorf("CheckGradient of a nil function: %v, want ErrInvalidOption", err)
	}
	if _, err := autodiff.CheckGradient(curveFunc(-1), nil, checkOpts(8)); !errors.Is(err, autodiff.ErrInvalidOption) {
		t.Errorf("CheckGradient at an empty x: %v, want ErrInvalidOption", err)
	}
	// Every coordinate and no direction needs no generator.
	o := autodiff.DefaultCheckOptions()
	o.Directions = 0
	if _, err := autodiff.CheckGradient(curveFunc(-1), []float64{1, 1, 1}, o); err != nil {
		t.Errorf("all coordinates without Rand: %v", err)
	}
}
