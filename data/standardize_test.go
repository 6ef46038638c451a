package data

import (
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestFitStandardizer(t *testing.T) {
	// Column 0: 1, 2, 3, 4 has mean 2.5 and population variance
	// ((1.5² + 0.5²)·2)/4 = 1.25. Column 1 is constant 0.1, whose float64 sum
	// divided by 4 is not exactly 0.1; the fit must return 0.1 and scale 1.
	x := []float64{
		1, 0.1,
		2, 0.1,
		3, 0.1,
		4, 0.1,
	}
	s, err := FitStandardizer(x, 2)
	if err != nil {
		t.Fatal(err)
	}
	want := &Standardizer{Mean: []float64{2.5, 0.1}, Scale: []float64{math.Sqrt(1.25), 1}}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got %+v, want %+v", s, want)
	}
	if s.Cols() != 2 {
		t.Errorf("Cols() = %d, want 2", s.Cols())
	}
	if err := s.Transform(x); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(x); i += 2 {
		if x[i+1] != 0 {
			t.Errorf("row %d: constant column → %v, want 0", i/2, x[i+1])
		}
	}
	// The standardised column has mean 0 and variance 1.
	var sum, sq float64
	for i := 0; i < len(x); i += 2 {
		sum += x[i]
		sq += x[i] * x[i]
	}
	if math.Abs(sum) > 1e-15 || math.Abs(sq/4-1) > 1e-15 {
		t.Errorf("standardised column: sum %v, mean square %v; want 0, 1", sum, sq/4)
	}
}

func TestStandardizerRoundTrips(t *testing.T) {
	ds := Iris()
	s, err := FitStandardizer(ds.Features, ds.Cols)
	if err != nil {
		t.Fatal(err)
	}
	x := append([]float64(nil), ds.Features...)
	if err := s.Transform(x); err != nil {
		t.Fatal(err)
	}
	if err := s.InverseTransform(x); err != nil {
		t.Fatal(err)
	}
	for i := range x {
		if d := math.Abs(x[i] - ds.Features[i]); d > 1e-14*math.Abs(ds.Features[i]) {
			t.Fatalf("x[%d]: inverse(transform) = %v, want %v", i, x[i], ds.Features[i])
		}
	}

	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"mean":[`) {
		t.Errorf("JSON %s does not use the documented field names", b)
	}
	var back Standardizer
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, s) {
		t.Errorf("JSON round trip: got %+v, want %+v bit for bit", back, *s)
	}
}

func TestFitStandardizerErrors(t *testing.T) {
	tests := []struct {
		name string
		x    []float64
		cols int
		want error
	}{
		{"no values", nil, 2, ErrInvalidOption},
		{"zero columns", []float64{1}, 0, ErrInvalidOption},
		{"ragged", []float64{1, 2, 3}, 2, ErrInvalidOption},
		{"NaN", []float64{1, math.NaN()}, 1, ErrNonFinite},
		{"Inf", []float64{math.Inf(1), 2}, 2, ErrNonFinite},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := FitStandardizer(tt.x, tt.cols); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestStandardizerValidate(t *testing.T) {
	tests := []struct {
		name string
		s    *Standardizer
		want string // part of the message, "" for valid
	}{
		{"valid", &Standardizer{Mean: []float64{0, 1}, Scale: []float64{1, 2}}, ""},
		{"nil", nil, "nil"},
		{"empty", &Standardizer{}, "len(Mean) = 0"},
		{"lengths differ", &Standardizer{Mean: []float64{0, 1}, Scale: []float64{1}}, "len(Scale) = 1"},
		{"NaN mean", &Standardizer{Mean: []float64{math.NaN()}, Scale: []float64{1}}, "Mean[0]"},
		{"zero scale", &Standardizer{Mean: []float64{0, 0}, Scale: []float64{1, 0}}, "Scale[1]"},
		{"negative scale", &Standardizer{Mean: []float64{0}, Scale: []float64{-1}}, "Scale[0]"},
		{"NaN scale", &Standardizer{Mean: []float64{0}, Scale: []float64{math.NaN()}}, "Scale[0]"},
		{"infinite scale", &Standardizer{Mean: []float64{0}, Scale: []float64{math.Inf(1)}}, "Scale[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.s.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidStandardizer) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrInvalidStandardizer naming %q", err, tt.want)
			}
			if err := tt.s.Transform([]float64{1}); !errors.Is(err, ErrInvalidStandardizer) {
				t.Errorf("Transform: got %v, want ErrInvalidStandardizer", err)
			}
			if err := tt.s.InverseTransform([]float64{1}); !errors.Is(err, ErrInvalidStandardizer) {
				t.Errorf("InverseTransform: got %v, want ErrInvalidStandardizer", err)
			}
		})
	}
}

func TestStandardizerTransformShape(t *testing.T) {
	s := &Standardizer{Mean: []float64{1, 2}, Scale: []float64{2, 4}}
	x := []float64{1, 2, 3}
	if err := s.Transform(x); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("Transform: got %v, want ErrInvalidOption", err)
	}
	if err := s.InverseTransform(x); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("InverseTransform: got %v, want ErrInvalidOption", err)
	}
	if x[0] != 1 || x[1] != 2 || x[2] != 3 {
		t.Errorf("a failed transform changed x to %v", x)
	}
	if err := s.Transform(nil); err != nil {
		t.Errorf("zero rows: %v", err)
	}
	y := []float64{3, 6, -1, 2}
	if err := s.Transform(y); err != nil {
		t.Fatal(err)
	}
	if want := []float64{1, 1, -1, 0}; !reflect.DeepEqual(y, want) {
		t.Errorf("got %v, want %v", y, want)
	}
}

func TestStandardizerAllocatesNothing(t *testing.T) {
	s := &Standardizer{Mean: []float64{1, 2}, Scale: []float64{2, 4}}
	x := make([]float64, 200)
	allocs := testing.AllocsPerRun(10, func() {
		if err := s.Transform(x); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Transform allocated %v times per call, want 0", allocs)
	}
}

// TestFitStandardizerHuge: values near the float64 limit, whose sum or
// squares overflow, have a finite mean and standard deviation, computed
// exactly where the answer is known; the transform of the fitted rows is
// finite.
func TestFitStandardizerHuge(t *testing.T) {
	tests := []struct {
		name      string
		x         []float64
		mean, std float64
	}{
		// The unscaled sum 1e308 + 1e308 overflows (max ≈ 1.8e308).
		{"sum", []float64{1e308, 1e308, 1e308, 1e308}, 1e308, 1},
		// (1e200)² overflows; σ of ±1e200 is 1e200.
		{"squares", []float64{1e200, -1e200, 1e200, -1e200}, 0, 1e200},
		// The difference 1.5e308 − (−1.5e308) overflows.
		{"differences", []float64{1.5e308, -1.5e308}, 0, 1.5e308},
		{"max", []float64{math.MaxFloat64, -math.MaxFloat64}, 0, math.MaxFloat64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := FitStandardizer(tt.x, 1)
			if err != nil {
				t.Fatal(err)
			}
			if s.Mean[0] != tt.mean || s.Scale[0] != tt.std {
				t.Errorf("mean %v, scale %v; want %v, %v", s.Mean[0], s.Scale[0], tt.mean, tt.std)
			}
			y := append([]float64(nil), tt.x...)
			if err := s.Transform(y); err != nil {
				t.Fatal(err)
			}
			for i, v := range y {
				if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1.0000001 {
					t.Errorf("transformed x[%d] = %v, want within ±1", i, v)
				}
			}
		})
	}
	// Mixed with far smaller values: same as the unscaled formulas.
	x := []float64{5.1, 4.9, 4.7, 4.6, 5.0, 5.4, 4.6, 5.0, 4.4, 4.9} // iris sepal length, first rows
	s, err := FitStandardizer(x, 1)
	if err != nil {
		t.Fatal(err)
	}
	var sum, sq float64
	for _, v := range x {
		sum += v
	}
	mean := sum / float64(len(x))
	for _, v := range x {
		sq += (v - mean) * (v - mean)
	}
	if std := math.Sqrt(sq / float64(len(x))); s.Mean[0] != mean || s.Scale[0] != std {
		t.Errorf("scaled sums changed the result: %v, %v; want %v, %v bit for bit", s.Mean[0], s.Scale[0], mean, std)
	}
}
