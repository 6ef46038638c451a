package data

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// FuzzReadCSV checks that ReadCSV never panics and that every outcome is
// either a valid Dataset or a well-formed *ParseError. Run it with
//
//	go test -fuzz=FuzzReadCSV ./data
//
// The corpus is seeded from testdata/*.csv.
func FuzzReadCSV(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.csv"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for mode := range uint8(9) {
			f.Add(b, mode, int8(LastColumn))
		}
	}
	f.Add(IrisCSV(), uint8(0), int8(4))
	f.Fuzz(func(t *testing.T, input []byte, mode uint8, target int8) {
		opts := fuzzOptions(input, mode, target)
		ds, err := ReadCSV(bytes.NewReader(input), opts)
		if err != nil {
			checkFuzzError(t, err, ds)
			return
		}
		if err := ds.Validate(); err != nil {
			t.Fatalf("ReadCSV returned an invalid dataset: %v", err)
		}
		if ds.Task != opts.task() {
			t.Fatalf("Task = %q, want %q", ds.Task, opts.task())
		}
		again, err := ReadCSV(bytes.NewReader(input), opts)
		if err != nil || !datasetsEqual(ds, again) {
			t.Fatalf("a second read differs: %v", err)
		}
	})
}

// fuzzOptions derives valid options from the fuzzer's inputs: mode selects
// the task and how the target is chosen.
func fuzzOptions(input []byte, mode uint8, target int8) CSVOptions {
	col := int(target)
	if col < 0 {
		col = LastColumn
	}
	switch mode % 9 {
	case 0:
		return CSVOptions{TargetColumns: []int{col}}
	case 1:
		return CSVOptions{Task: Regression, TargetColumns: []int{col}}
	case 2:
		return CSVOptions{}
	case 3:
		// A target by name: the first header field's text, if any.
		first, _, _ := strings.Cut(string(input), ",")
		first = strings.TrimSpace(first)
		if first == "" || strings.ContainsAny(first, "\"\r\n") {
			return CSVOptions{TargetColumns: []int{0}}
		}
		return CSVOptions{TargetNames: []string{first}, ClassNames: []string{"x", "y"}}
	case 4:
		return CSVOptions{Comma: ';', Task: Regression, TargetColumns: []int{0, LastColumn}}
	case 5:
		return CSVOptions{Comma: '\t', FeatureNames: []string{"a"}}
	case 6:
		return CSVOptions{TargetColumns: []int{col}, Categorical: true, Missing: MissingDropRows}
	case 7:
		return CSVOptions{Task: Regression, TargetColumns: []int{col}, Categorical: true, Missing: MissingMean}
	default:
		return CSVOptions{Missing: MissingMean, Encoding: &Encoding{Columns: []ColumnEncoding{
			{Name: "a", Fill: new(float64)}, {Name: "color", Levels: []string{"blue", "red"}, FillLevel: "red"}}}}
	}
}

func checkFuzzError(t *testing.T, err error, ds *Dataset) {
	t.Helper()
	if ds != nil {
		t.Fatalf("ReadCSV returned a dataset with error %v", err)
	}
	if errors.Is(err, ErrInvalidOption) {
		return // for example TargetColumns {0, LastColumn} on a one-column file
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %v (%T) is not a *ParseError", err, err)
	}
	if pe.Line < 1 || pe.Column < 0 || pe.Err == nil {
		t.Fatalf("malformed ParseError %+v", pe)
	}
	if !strings.HasPrefix(err.Error(), "data: line ") {
		t.Fatalf("message %q does not start with the line", err.Error())
	}
}

// datasetsEqual compares two datasets field by field.
func datasetsEqual(a, b *Dataset) bool {
	return a.Task == b.Task && a.Rows == b.Rows && a.Cols == b.Cols &&
		slices.Equal(a.Features, b.Features) && slices.Equal(a.Targets, b.Targets) &&
		slices.Equal(a.FeatureNames, b.FeatureNames) && slices.Equal(a.ClassNames, b.ClassNames) &&
		slices.Equal(a.TargetNames, b.TargetNames) && slices.Equal(a.Labels, b.Labels) &&
		reflect.DeepEqual(a.Encoding, b.Encoding) && slices.Equal(a.DroppedRows, b.DroppedRows)
}
