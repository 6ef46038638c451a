package data

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func ptr(v float64) *float64 { return &v }

// TestReadCSVCategorical checks the one-hot encoding of text columns and
// the missing-cell policies on small tables whose encodings are written
// out by hand.
func TestReadCSVCategorical(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		opts      CSVOptions
		features  []float64
		names     []string
		labels    []int
		classes   []string
		targets   []float64
		dropped   []int
		encoding  *Encoding
		wantNoEnc bool
	}{
		{
			name:     "one text column, levels sorted",
			input:    "size,color,label\n1,red,a\n2,blue,b\n3,red,a\n",
			opts:     CSVOptions{TargetNames: []string{"label"}, Categorical: true},
			features: []float64{1, 0, 1, 2, 1, 0, 3, 0, 1},
			names:    []string{"size", "color=blue", "color=red"},
			labels:   []int{0, 1, 0}, classes: []string{"a", "b"},
			encoding: &Encoding{Columns: []ColumnEncoding{{Name: "size", Fill: ptr(2)}, {Name: "color", Levels: []string{"blue", "red"}, FillLevel: "red"}}},
		},
		{
			name:     "integer-like levels sort numerically",
			input:    "grade,y\n10th,1\n2nd,2\n1st,3\n",
			opts:     CSVOptions{Task: Regression, TargetNames: []string{"y"}, Categorical: true},
			features: []float64{1, 0, 0, 0, 0, 1, 0, 1, 0},
			names:    []string{"grade=10th", "grade=1st", "grade=2nd"},
			targets:  []float64{1, 2, 3},
			encoding: &Encoding{Columns: []ColumnEncoding{{Name: "grade", Levels: []string{"10th", "1st", "2nd"}, FillLevel: "10th"}}}, // a tie: the first level
		},
		{
			name:     "drop rows: any missing feature or target cell",
			input:    "x1,x2,y\n1,NA,0.5\n2,4,\n,6,1.5\n4,8,2.5\n",
			opts:     CSVOptions{Task: Regression, TargetNames: []string{"y"}, Missing: MissingDropRows},
			features: []float64{4, 8},
			names:    []string{"x1", "x2"},
			targets:  []float64{2.5},
			dropped:  []int{1, 2, 3},
			encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x1", Fill: ptr(4)}, {Name: "x2", Fill: ptr(8)}}}, // means of the kept row
		},
		{
			name:     "drop rows: classes seen only in dropped rows are forgotten",
			input:    "x,c\n1,p\nnull,q\n3,r\n",
			opts:     CSVOptions{TargetNames: []string{"c"}, Missing: MissingDropRows},
			features: []float64{1, 3},
			names:    []string{"x"},
			labels:   []int{0, 1}, classes: []string{"p", "r"},
			dropped:  []int{2},
			encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x", Fill: ptr(2)}}},
		},
		{
			// Means: x1 (1+2+4)/3 = 7/3, x2 (4+6+8)/3 = 6; colour mode red (2 of 3).
			name:     "mean: numeric means and the most frequent level",
			input:    "x1,x2,color,y\n1,NaN,red,0.5\n2,4,n/a,1\n,6,blue,1.5\n4,8,red,2.5\n",
			opts:     CSVOptions{Task: Regression, TargetNames: []string{"y"}, Missing: MissingMean, Categorical: true},
			features: []float64{1, 6, 0, 1, 2, 4, 0, 1, 7.0 / 3, 6, 1, 0, 4, 8, 0, 1},
			names:    []string{"x1", "x2", "color=blue", "color=red"},
			targets:  []float64{0.5, 1, 1.5, 2.5},
			encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x1", Fill: ptr(7.0 / 3)}, {Name: "x2", Fill: ptr(6)},
				{Name: "color", Levels: []string{"blue", "red"}, FillLevel: "red"}}},
		},
		{
			name:  "fixed encoding: levels and fill values of the model",
			input: "color,x,other\nblue,1,z\n,NA,z\nred,3,z\n",
			opts: CSVOptions{Missing: MissingMean, Encoding: &Encoding{Columns: []ColumnEncoding{
				{Name: "x", Fill: ptr(10)}, {Name: "color", Levels: []string{"blue", "green", "red"}, FillLevel: "green"}}}},
			features: []float64{1, 1, 0, 0, 10, 0, 1, 0, 3, 0, 0, 1},
			names:    []string{"x", "color=blue", "color=green", "color=red"},
			encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x", Fill: ptr(10)}, {Name: "color", Levels: []string{"blue", "green", "red"}, FillLevel: "green"}}},
		},
		{
			name:      "plain options: no encoding recorded",
			input:     "a,b\n1,2\n",
			opts:      CSVOptions{},
			features:  []float64{1, 2},
			names:     []string{"a", "b"},
			wantNoEnc: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ReadCSV(strings.NewReader(tt.input), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := ds.Validate(); err != nil {
				t.Fatalf("invalid dataset: %v", err)
			}
			if !reflect.DeepEqual(ds.Features, tt.features) {
				t.Errorf("Features = %v, want %v", ds.Features, tt.features)
			}
			if !reflect.DeepEqual(ds.FeatureNames, tt.names) {
				t.Errorf("FeatureNames = %q, want %q", ds.FeatureNames, tt.names)
			}
			if !reflect.DeepEqual(ds.Labels, tt.labels) || !reflect.DeepEqual(ds.ClassNames, tt.classes) {
				t.Errorf("Labels, ClassNames = %v %q, want %v %q", ds.Labels, ds.ClassNames, tt.labels, tt.classes)
			}
			if !reflect.DeepEqual(ds.Targets, tt.targets) {
				t.Errorf("Targets = %v, want %v", ds.Targets, tt.targets)
			}
			if !reflect.DeepEqual(ds.DroppedRows, tt.dropped) {
				t.Errorf("DroppedRows = %v, want %v", ds.DroppedRows, tt.dropped)
			}
			if tt.wantNoEnc {
				if ds.Encoding != nil {
					t.Errorf("Encoding = %+v, want nil", ds.Encoding)
				}
				return
			}
			if !reflect.DeepEqual(ds.Encoding, tt.encoding) {
				got, _ := json.Marshal(ds.Encoding)
				want, _ := json.Marshal(tt.encoding)
				t.Errorf("Encoding = %s, want %s", got, want)
			}
			if tt.opts.Encoding != nil && ds.Encoding == tt.opts.Encoding {
				t.Error("Encoding shares memory with CSVOptions.Encoding")
			}
		})
	}
}

func TestReadCSVCategoricalErrors(t *testing.T) {
	fixed := &Encoding{Columns: []ColumnEncoding{{Name: "x"}, {Name: "color", Levels: []string{"blue", "red"}}}}
	tests := []struct {
		name    string
		input   string
		opts    CSVOptions
		wantErr error
		message string
	}{
		{"unseen level names row, column and value", "x,color\n1,red\n2,purple\n", CSVOptions{Encoding: fixed}, ErrUnknownLevel,
			`data: line 3, column 2 (color): unknown level: found "purple" in data row 2, want one of blue, red`},
		{"text after numbers", "a,b,c\n1,2,x\n3,abc,y\n", CSVOptions{TargetNames: []string{"c"}, Categorical: true}, ErrNotNumber,
			`data: line 3, column 2 (b): not a number: found "abc", but the column holds the number "2" on line 2: one-hot encoding takes columns of text only`},
		{"numbers after text", "a,b,c\n1,abc,x\n3,2,y\n", CSVOptions{TargetNames: []string{"c"}, Categorical: true}, ErrNotNumber,
			`data: line 2, column 2 (b): not a number: found "abc", but the column holds the number "2" on line 3: one-hot encoding takes columns of text only`},
		{"text without Categorical", "a,b\nred,1\n", CSVOptions{}, ErrNotNumber,
			`data: line 2, column 1 (a): not a number: found "red"`},
		{"text in a fixed numeric column", "x,color\nbig,red\n", CSVOptions{Encoding: fixed}, ErrNotNumber,
			`data: line 2, column 1 (x): not a number: found "big"`},
		{"missing cell under the default policy", "a,b\n1,\n", CSVOptions{Categorical: true}, ErrEmptyCell,
			`data: line 2, column 2 (b): empty cell: found ""`},
		{"missing label under mean", "a,c\n1,x\n2,NA\n", CSVOptions{TargetNames: []string{"c"}, Missing: MissingMean}, ErrMissingCell,
			`data: line 3, column 2 (c): missing cell: found "NA": a missing label cannot be filled (drop the row instead)`},
		{"missing target under mean", "a,y\n1,\n", CSVOptions{Task: Regression, TargetNames: []string{"y"}, Missing: MissingMean}, ErrMissingCell,
			`data: line 2, column 2 (y): missing cell: found "": a missing target cannot be filled (drop the row instead)`},
		{"every row dropped", "a,b\n1,\nNA,2\n", CSVOptions{Missing: MissingDropRows}, ErrMissingCell,
			`data: line 2: missing cell: found every one of the 2 rows has a missing cell, and missing cells drop their row`},
		{"no value to take the mean of", "a,b\n1,\n2,NaN\n", CSVOptions{Missing: MissingMean}, ErrMissingCell,
			`data: line 1, column 2 (b): missing cell: found no cell with a value to take the mean of`},
		{"fixed encoding without a fill value", "x,color\n,red\n", CSVOptions{Encoding: fixed, Missing: MissingMean}, ErrMissingCell,
			`data: line 1, column 1 (x): missing cell: found a missing cell in data row 1, and the encoding stores no fill value for the column`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ReadCSV(strings.NewReader(tt.input), tt.opts)
			if ds != nil || !errors.Is(err, tt.wantErr) {
				t.Fatalf("ReadCSV = %v, %v; want error %v", ds, err, tt.wantErr)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("%v is not a *ParseError", err)
			}
			if err.Error() != tt.message {
				t.Errorf("message\n got %s\nwant %s", err, tt.message)
			}
		})
	}
}

func TestEncodingOptionErrors(t *testing.T) {
	enc := &Encoding{Columns: []ColumnEncoding{{Name: "x"}}}
	tests := []struct {
		name string
		opts CSVOptions
		want string
	}{
		{"encoding and feature names", CSVOptions{Encoding: enc, FeatureNames: []string{"x"}}, "(CSVOptions.Encoding, CSVOptions.FeatureNames)"},
		{"encoding and categorical", CSVOptions{Encoding: enc, Categorical: true}, "(CSVOptions.Encoding, CSVOptions.Categorical)"},
		{"empty encoding", CSVOptions{Encoding: &Encoding{}}, "encoding: no columns"},
		{"empty levels", CSVOptions{Encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x", Levels: []string{}}}}}, "an empty list of levels"},
		{"repeated level", CSVOptions{Encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x", Levels: []string{"a", "a"}}}}}, `level "a" is given twice`},
		{"fill level not a level", CSVOptions{Encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x", Levels: []string{"a"}, FillLevel: "b"}}}}, `fill level "b"`},
		{"infinite fill", CSVOptions{Encoding: &Encoding{Columns: []ColumnEncoding{{Name: "x", Fill: ptr(math.Inf(1))}}}}, "fill value +Inf"},
		{"target is an encoded column", CSVOptions{Encoding: enc, TargetNames: []string{"x"}}, `feature column "x" is also a target column`},
		{"bad policy", CSVOptions{Missing: Missing(7)}, "missing-cell policy 7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader("x,y\n1,2\n"), tt.opts)
			if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want ErrInvalidOption containing %q", err, tt.want)
			}
		})
	}
}

func TestParseMissing(t *testing.T) {
	for _, m := range []Missing{MissingError, MissingDropRows, MissingMean} {
		got, err := ParseMissing(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMissing(%q) = %v, %v", m.String(), got, err)
		}
	}
	if _, err := ParseMissing("zero"); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("ParseMissing(zero) = %v, want ErrInvalidOption", err)
	}
}

// TestEncodingRoundTrip reads a file, stores its encoding as JSON, and
// reads a second file with the stored encoding: the features of equal rows
// are equal.
func TestEncodingRoundTrip(t *testing.T) {
	train, err := ReadCSVFile("testdata/categorical.csv", CSVOptions{TargetNames: []string{"label"}, Categorical: true, Missing: MissingMean})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(train.Encoding)
	if err != nil {
		t.Fatal(err)
	}
	var enc Encoding
	if err := json.Unmarshal(js, &enc); err != nil {
		t.Fatal(err)
	}
	const file = "label,weight,color,size\nq,30,red,3.5\nq,,green,4.5\n"
	pred, err := ReadCSV(strings.NewReader(file), CSVOptions{Encoding: &enc, Missing: MissingMean})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(pred.Features[:pred.Cols], train.Features[2*train.Cols:3*train.Cols]) {
		t.Errorf("row 1 = %v, want training row 3 %v", pred.Features[:pred.Cols], train.Features[2*train.Cols:3*train.Cols])
	}
	// weight's fill is the training mean (10+30+40)/3.
	if got, want := pred.Features[pred.Cols+4], 80.0/3; got != want {
		t.Errorf("filled weight = %v, want %v", got, want)
	}
	c := train.Clone()
	c.Encoding.Columns[1].Levels[0] = "changed"
	if train.Encoding.Columns[1].Levels[0] == "changed" {
		t.Error("Clone shares the Encoding")
	}
}

// TestFillRows: with FillRows, the mean that fills a missing cell is
// taken over the given rows only, and SplitRows splits as Split does.
func TestFillRows(t *testing.T) {
	const file = "x,y\n1,a\n3,a\nNA,b\n11,b\n"
	// Rows 0 and 1 hold 1 and 3: mean 2 (all present rows: 5).
	ds, err := ReadCSV(strings.NewReader(file), CSVOptions{TargetNames: []string{"y"}, Missing: MissingMean, FillRows: []int{0, 1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ds.Features[2]; got != 2 {
		t.Errorf("filled %v, want 2, the mean of rows 0 and 1", got)
	}
	if f := ds.Encoding.Columns[0].Fill; f == nil || *f != 2 {
		t.Errorf("Encoding fill %v, want 2", f)
	}
	all, err := ReadCSV(strings.NewReader(file), CSVOptions{TargetNames: []string{"y"}, Missing: MissingMean})
	if err != nil || all.Features[2] != 5 {
		t.Fatalf("without FillRows: %v, %v; want 5", all.Features, err)
	}
	for _, o := range []CSVOptions{
		{TargetNames: []string{"y"}, Missing: MissingMean, FillRows: []int{-1}},
		{TargetNames: []string{"y"}, Missing: MissingDropRows, FillRows: []int{0}},
		{TargetNames: []string{"y"}, Missing: MissingMean, FillRows: []int{9}},
	} {
		if _, err := ReadCSV(strings.NewReader(file), o); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("FillRows %v with %v: %v, want ErrInvalidOption", o.FillRows, o.Missing, err)
		}
	}
	iris := Iris()
	tr, va, err := SplitRows(iris, 0.2, rand.New(rand.NewPCG(7, 1)))
	if err != nil {
		t.Fatal(err)
	}
	train, valid, err := Split(iris, 0.2, rand.New(rand.NewPCG(7, 1)))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := iris.Subset(tr)
	b, _ := iris.Subset(va)
	if !datasetsEqual(a, train) || !datasetsEqual(b, valid) {
		t.Error("SplitRows and Split disagree")
	}
}
