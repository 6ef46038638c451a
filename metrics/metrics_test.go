package metrics

import (
	"errors"
	"math"
	"reflect"
	"testing"
)

// The expected values of these tests were computed with scikit-learn 1.2
// (sklearn.metrics.confusion_matrix, classification_report with
// zero_division=0, r2_score, mean_absolute_error, mean_squared_error) on
// the same inputs, and agree with the counts worked out by hand in the
// comments.
func TestClassify(t *testing.T) {
	truth := []int{0, 0, 0, 1, 1, 2, 2, 2, 2, 0}
	pred := []int{0, 1, 0, 1, 2, 2, 2, 0, 2, 0}
	c, err := Classify(truth, pred, []string{"a", "b", "c", "d"})
	if err != nil {
		t.Fatal(err)
	}
	wantConf := [][]int{{3, 1, 0, 0}, {0, 1, 1, 0}, {1, 0, 3, 0}, {0, 0, 0, 0}}
	if !reflect.DeepEqual(c.Confusion, wantConf) {
		t.Errorf("Confusion = %v, want %v", c.Confusion, wantConf)
	}
	// 3 + 1 + 3 right of 10.
	if c.Rows != 10 || c.Correct != 7 || c.Accuracy != 0.7 {
		t.Errorf("rows %d correct %d accuracy %v, want 10 7 0.7", c.Rows, c.Correct, c.Accuracy)
	}
	// a: TP 3, predicted 4, support 4; b: TP 1 of 2 and 2; c: 3 of 4 and
	// 4; d: never predicted, absent.
	want := []ClassScores{
		{"a", 0.75, 0.75, 0.75, 4},
		{"b", 0.5, 0.5, 0.5, 2},
		{"c", 0.75, 0.75, 0.75, 4},
		{"d", 0, 0, 0, 0},
	}
	if !reflect.DeepEqual(c.Classes, want) {
		t.Errorf("Classes = %+v, want %+v", c.Classes, want)
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-15 }
	if !close(c.Macro.F1, 0.5) || !close(c.Macro.Precision, 0.5) || !close(c.Weighted.Recall, 0.7) || !close(c.Weighted.F1, 0.7) {
		t.Errorf("averages macro %+v weighted %+v, want 0.5 and 0.7", c.Macro, c.Weighted)
	}
	// Unequal precision and recall: class 0 predicted 3 times, right twice,
	// support 4: P = 2/3, R = 1/2, F1 = 2·(1/3)/(7/6) = 4/7.
	c, err = Classify([]int{0, 0, 0, 0, 1}, []int{0, 0, 1, 1, 0}, []string{"x", "y"})
	if err != nil {
		t.Fatal(err)
	}
	if s := c.Classes[0]; !close(s.Precision, 2.0/3) || s.Recall != 0.5 || !close(s.F1, 4.0/7) {
		t.Errorf("class x = %+v, want P 2/3, R 1/2, F1 4/7", s)
	}
}

func TestClassifyErrors(t *testing.T) {
	names := []string{"a", "b"}
	for _, tt := range []struct {
		name        string
		truth, pred []int
		names       []string
	}{
		{"lengths", []int{0}, []int{0, 1}, names},
		{"empty", nil, nil, names},
		{"no names", []int{0}, []int{0}, nil},
		{"truth out of range", []int{2}, []int{0}, names},
		{"prediction negative", []int{0}, []int{-1}, names},
	} {
		if _, err := Classify(tt.truth, tt.pred, tt.names); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", tt.name, err)
		}
	}
}

func TestRegress(t *testing.T) {
	// Two targets, row-major; the second is constant.
	targets := []float64{1, 10, 2, 10, 4, 10, 7, 10}
	preds := []float64{1.5, 10, 1.5, 10, 5, 10, 6, 10.5}
	r, err := Regress(targets, preds, []string{"y", "z"})
	if err != nil {
		t.Fatal(err)
	}
	// y: errors 0.5, −0.5, 1, −1: SSE 2.5, MAE 0.75, RMSE √(2.5/4);
	// mean 3.5, SST 6.25+2.25+0.25+12.25 = 21, R² = 1 − 2.5/21.
	// z: constant, errors 0, 0, 0, 0.5: RMSE 0.25, MAE 0.125, R² 0.
	want := []TargetScores{
		{"y", math.Sqrt(2.5 / 4), 0.75, 1 - 2.5/21},
		{"z", 0.25, 0.125, 0},
	}
	if r.Rows != 4 || !reflect.DeepEqual(r.Targets, want) {
		t.Errorf("Regress = %d rows %+v, want 4 rows %+v", r.Rows, r.Targets, want)
	}
	r, err = Regress([]float64{3, 3}, []float64{3, 3}, []string{"c"})
	if err != nil || r.Targets[0].R2 != 1 {
		t.Errorf("exact constant: %+v, %v; want R² 1", r, err)
	}
	for _, tt := range []struct {
		name     string
		y, p     []float64
		names    []string
		wantPart string
	}{
		{"lengths", []float64{1}, []float64{1, 2}, []string{"a"}, ""},
		{"ragged", []float64{1, 2, 3}, []float64{1, 2, 3}, []string{"a", "b"}, ""},
		{"no names", []float64{1}, []float64{1}, nil, ""},
		{"NaN", []float64{1, math.NaN()}, []float64{1, 2}, []string{"a"}, ""},
	} {
		if _, err := Regress(tt.y, tt.p, tt.names); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", tt.name, err)
		}
	}
}
