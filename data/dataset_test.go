package data

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

// smallClassification is a valid 3×2 classification dataset.
func smallClassification() *Dataset {
	return &Dataset{Task: Classification, Rows: 3, Cols: 2,
		Features: []float64{1, 2, 3, 4, 5, 6}, FeatureNames: []string{"a", "b"},
		Labels: []int{0, 1, 1}, ClassNames: []string{"x", "y"}, TargetNames: []string{"c"}}
}

// smallRegression is a valid 3×1 regression dataset with two targets.
func smallRegression() *Dataset {
	return &Dataset{Task: Regression, Rows: 3, Cols: 1,
		Features: []float64{1, 2, 3}, FeatureNames: []string{"a"},
		Targets: []float64{10, 11, 20, 21, 30, 31}, TargetNames: []string{"y1", "y2"}}
}

func TestDatasetValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(d *Dataset)
		base   func() *Dataset
		want   string // a part of the message, "" for valid
	}{
		{"classification valid", func(d *Dataset) {}, smallClassification, ""},
		{"regression valid", func(d *Dataset) {}, smallRegression, ""},
		{"unlabelled valid", func(d *Dataset) {
			d.Task, d.Labels, d.ClassNames, d.TargetNames = Unlabelled, nil, nil, nil
		}, smallClassification, ""},
		{"zero rows", func(d *Dataset) { d.Rows, d.Features, d.Labels = 0, nil, nil }, smallClassification, "Rows 0"},
		{"short features", func(d *Dataset) { d.Features = d.Features[:5] }, smallClassification, "len(Features)"},
		{"rows×cols overflow", func(d *Dataset) { d.Rows = math.MaxInt }, smallClassification, "len(Features)"},
		{"feature names", func(d *Dataset) { d.FeatureNames = []string{"a"} }, smallClassification, "len(FeatureNames)"},
		{"NaN feature", func(d *Dataset) { d.Features[3] = math.NaN() }, smallClassification, "Features[3]"},
		{"label out of range", func(d *Dataset) { d.Labels[2] = 2 }, smallClassification, "Labels[2] = 2"},
		{"negative label", func(d *Dataset) { d.Labels[0] = -1 }, smallClassification, "Labels[0] = -1"},
		{"labels length", func(d *Dataset) { d.Labels = d.Labels[:2] }, smallClassification, "len(Labels)"},
		{"no class names", func(d *Dataset) { d.ClassNames = nil }, smallClassification, "no ClassNames"},
		{"two label columns", func(d *Dataset) { d.TargetNames = []string{"c", "d"} }, smallClassification, "one TargetNames"},
		{"classification with targets", func(d *Dataset) { d.Targets = []float64{1, 2, 3} }, smallClassification, "Targets set"},
		{"targets length", func(d *Dataset) { d.Targets = d.Targets[:5] }, smallRegression, "len(Targets)"},
		{"infinite target", func(d *Dataset) { d.Targets[1] = math.Inf(-1) }, smallRegression, "Targets[1]"},
		{"regression without names", func(d *Dataset) { d.TargetNames = nil }, smallRegression, "no TargetNames"},
		{"regression with labels", func(d *Dataset) { d.Labels = []int{0, 0, 0} }, smallRegression, "Labels or ClassNames"},
		{"unlabelled with labels", func(d *Dataset) { d.Task = Unlabelled }, smallClassification, "unlabelled"},
		{"unknown task", func(d *Dataset) { d.Task = "ranking" }, smallClassification, `Task "ranking"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.base()
			tt.modify(d)
			err := d.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidDataset) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want ErrInvalidDataset naming %q", err, tt.want)
			}
		})
	}
	var nilDataset *Dataset
	if err := nilDataset.Validate(); !errors.Is(err, ErrInvalidDataset) {
		t.Errorf("nil dataset: got %v, want ErrInvalidDataset", err)
	}
}

func TestDatasetOutputSize(t *testing.T) {
	tests := []struct {
		name string
		d    *Dataset
		want int
	}{
		{"classification", smallClassification(), 2},
		{"regression", smallRegression(), 2},
		{"unlabelled", &Dataset{Rows: 1, Cols: 1, Features: []float64{0}, FeatureNames: []string{"a"}}, 0},
		{"nil", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.OutputSize(); got != tt.want {
				t.Errorf("OutputSize() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestDatasetCloneIsDeep(t *testing.T) {
	d := smallClassification()
	c := d.Clone()
	if !reflect.DeepEqual(c, d) {
		t.Fatalf("clone %+v differs from %+v", c, d)
	}
	c.Features[0], c.Labels[0], c.ClassNames[0], c.FeatureNames[0] = 99, 1, "z", "z"
	if d.Features[0] != 1 || d.Labels[0] != 0 || d.ClassNames[0] != "x" || d.FeatureNames[0] != "a" {
		t.Errorf("changing the clone changed the original: %+v", d)
	}
	if (*Dataset)(nil).Clone() != nil {
		t.Errorf("Clone of nil is not nil")
	}
}

func TestDatasetSubset(t *testing.T) {
	got, err := smallRegression().Subset([]int{2, 0, 2})
	if err != nil {
		t.Fatal(err)
	}
	want := &Dataset{Task: Regression, Rows: 3, Cols: 1,
		Features: []float64{3, 1, 3}, FeatureNames: []string{"a"},
		Targets: []float64{30, 31, 10, 11, 30, 31}, TargetNames: []string{"y1", "y2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}

	got, err = smallClassification().Subset([]int{1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Labels, []int{1}) || !reflect.DeepEqual(got.ClassNames, []string{"x", "y"}) {
		t.Errorf("Labels %v, ClassNames %v; want [1] and the full class list", got.Labels, got.ClassNames)
	}

	for _, rows := range [][]int{nil, {3}, {-1}} {
		if _, err := smallClassification().Subset(rows); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("Subset(%v): got %v, want ErrInvalidOption", rows, err)
		}
	}
	bad := smallClassification()
	bad.Labels[0] = 7
	if _, err := bad.Subset([]int{0}); !errors.Is(err, ErrInvalidDataset) {
		t.Errorf("invalid dataset: got %v, want ErrInvalidDataset", err)
	}
}

func TestParseTask(t *testing.T) {
	for _, s := range []string{"classification", "regression"} {
		if got, err := ParseTask(s); err != nil || string(got) != s {
			t.Errorf("ParseTask(%q) = %q, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "Classification", "cluster"} {
		if _, err := ParseTask(s); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("ParseTask(%q): got %v, want ErrInvalidOption", s, err)
		}
	}
}

func TestOneHot(t *testing.T) {
	got, err := OneHot([]int{2, 0, 1}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{0, 0, 1, 1, 0, 0, 0, 1, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got, err := OneHot(nil, 2); err != nil || len(got) != 0 {
		t.Errorf("no labels: got %v, %v; want empty, nil", got, err)
	}
	bad := []struct {
		name   string
		labels []int
		k      int
	}{
		{"zero classes", []int{0}, 0},
		{"label too large", []int{0, 3}, 3},
		{"negative label", []int{-1}, 3},
		{"size overflows", []int{0, 0}, math.MaxInt},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := OneHot(tt.labels, tt.k); !errors.Is(err, ErrInvalidOption) {
				t.Errorf("got %v, want ErrInvalidOption", err)
			}
		})
	}
}
