package data

import (
	"errors"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestReadCSVGood(t *testing.T) {
	tests := []struct {
		name  string
		input string
		opts  CSVOptions
		want  *Dataset
	}{
		{
			name:  "classification by name, classes sorted",
			input: "a,b,kind\n1,2,dog\n3,4,cat\n5,6,dog\n",
			opts:  CSVOptions{TargetNames: []string{"kind"}},
			want: &Dataset{Task: Classification, Rows: 3, Cols: 2,
				Features: []float64{1, 2, 3, 4, 5, 6}, FeatureNames: []string{"a", "b"},
				Labels: []int{1, 0, 1}, ClassNames: []string{"cat", "dog"}, TargetNames: []string{"kind"}},
		},
		{
			name:  "integer labels sorted by value",
			input: "a,label\n1,10\n2,2\n3,1\n4,2\n",
			opts:  CSVOptions{TargetNames: []string{"label"}},
			want: &Dataset{Task: Classification, Rows: 4, Cols: 1,
				Features: []float64{1, 2, 3, 4}, FeatureNames: []string{"a"},
				Labels: []int{2, 1, 0, 1}, ClassNames: []string{"1", "2", "10"}, TargetNames: []string{"label"}},
		},
		{
			name:  "integer labels equal in value ordered by text",
			input: "a,label\n1,1\n2,01\n3,-1\n",
			opts:  CSVOptions{TargetNames: []string{"label"}},
			want: &Dataset{Task: Classification, Rows: 3, Cols: 1,
				Features: []float64{1, 2, 3}, FeatureNames: []string{"a"},
				Labels: []int{2, 1, 0}, ClassNames: []string{"-1", "01", "1"}, TargetNames: []string{"label"}},
		},
		{
			name:  "fixed class names keep their order, unseen class allowed",
			input: "a,kind\n1,dog\n2,cat\n",
			opts:  CSVOptions{TargetNames: []string{"kind"}, ClassNames: []string{"dog", "cat", "eel"}},
			want: &Dataset{Task: Classification, Rows: 2, Cols: 1,
				Features: []float64{1, 2}, FeatureNames: []string{"a"},
				Labels: []int{0, 1}, ClassNames: []string{"dog", "cat", "eel"}, TargetNames: []string{"kind"}},
		},
		{
			name:  "target by index, first column",
			input: "kind,a\nx,1\ny,2\n",
			opts:  CSVOptions{TargetColumns: []int{0}},
			want: &Dataset{Task: Classification, Rows: 2, Cols: 1,
				Features: []float64{1, 2}, FeatureNames: []string{"a"},
				Labels: []int{0, 1}, ClassNames: []string{"x", "y"}, TargetNames: []string{"kind"}},
		},
		{
			name:  "target LastColumn",
			input: "a,b,kind\n1,2,x\n",
			opts:  CSVOptions{TargetColumns: []int{LastColumn}},
			want: &Dataset{Task: Classification, Rows: 1, Cols: 2,
				Features: []float64{1, 2}, FeatureNames: []string{"a", "b"},
				Labels: []int{0}, ClassNames: []string{"x"}, TargetNames: []string{"kind"}},
		},
		{
			name:  "regression with two targets in the middle",
			input: "x1,y1,x2,y2\n1,10,2,-1\n3,30,4,-3\n",
			opts:  CSVOptions{Task: Regression, TargetNames: []string{"y2", "y1"}},
			want: &Dataset{Task: Regression, Rows: 2, Cols: 2,
				Features: []float64{1, 2, 3, 4}, FeatureNames: []string{"x1", "x2"},
				Targets: []float64{-1, 10, -3, 30}, TargetNames: []string{"y2", "y1"}},
		},
		{
			name:  "unlabelled, chosen features in chosen order, other columns unread",
			input: "id,b,a,note\nr1,2,1,n/a\nr2,4,3,\n",
			opts:  CSVOptions{FeatureNames: []string{"a", "b"}},
			want: &Dataset{Task: Unlabelled, Rows: 2, Cols: 2,
				Features: []float64{1, 2, 3, 4}, FeatureNames: []string{"a", "b"}},
		},
		{
			name:  "BOM, CRLF, quotes, spaces, blank lines",
			input: "\ufeff\"a, b\", c\r\n\" 1.5 \",  x \r\n\r\n-2e1, \"y\"\r\n",
			opts:  CSVOptions{TargetNames: []string{"c"}},
			want: &Dataset{Task: Classification, Rows: 2, Cols: 1,
				Features: []float64{1.5, -20}, FeatureNames: []string{"a, b"},
				Labels: []int{0, 1}, ClassNames: []string{"x", "y"}, TargetNames: []string{"c"}},
		},
		{
			name:  "tab separator keeps empty fields",
			input: "a\tb\tc\n1\t\tx\n",
			opts:  CSVOptions{Comma: '\t', FeatureNames: []string{"a"}},
			want: &Dataset{Task: Unlabelled, Rows: 1, Cols: 1,
				Features: []float64{1}, FeatureNames: []string{"a"}},
		},
		{
			name:  "semicolon separator, hexadecimal and underscore numbers",
			input: "a;b\n0x1p-2;1_000\n",
			opts:  CSVOptions{Comma: ';'},
			want: &Dataset{Task: Unlabelled, Rows: 1, Cols: 2,
				Features: []float64{0.25, 1000}, FeatureNames: []string{"a", "b"}},
		},
		{
			name:  "tiny values underflow to zero without error",
			input: "a\n1e-400\n",
			want: &Dataset{Task: Unlabelled, Rows: 1, Cols: 1,
				Features: []float64{0}, FeatureNames: []string{"a"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.input), tt.opts)
			if err != nil {
				t.Fatalf("ReadCSV: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

func TestReadCSVLabelNumberingIgnoresRowOrder(t *testing.T) {
	a, err := ReadCSV(strings.NewReader("x,c\n1,b\n2,a\n3,c\n"), CSVOptions{TargetNames: []string{"c"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadCSV(strings.NewReader("x,c\n3,c\n2,a\n1,b\n"), CSVOptions{TargetNames: []string{"c"}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.ClassNames, b.ClassNames) {
		t.Errorf("ClassNames %v and %v differ with row order", a.ClassNames, b.ClassNames)
	}
	if got, want := b.Labels, []int{2, 0, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Labels = %v, want %v", got, want)
	}
}

func TestReadCSVFile(t *testing.T) {
	ds, err := ReadCSVFile(filepath.Join("testdata", "flowers.csv"), CSVOptions{TargetNames: []string{"species"}})
	if err != nil {
		t.Fatal(err)
	}
	if ds.Rows != 6 || ds.Cols != 4 || ds.NumClasses() != 3 {
		t.Errorf("got %d rows, %d cols, %d classes; want 6, 4, 3", ds.Rows, ds.Cols, ds.NumClasses())
	}

	_, err = ReadCSVFile(filepath.Join("testdata", "no-such-file.csv"), CSVOptions{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want an error wrapping fs.ErrNotExist", err)
	}

	// A directory: the error names it once.
	dir := t.TempDir()
	_, err = ReadCSVFile(dir, CSVOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "data: ") || strings.Count(err.Error(), dir) != 1 {
		t.Errorf("directory: got %v, want one error naming %s once", err, dir)
	}

	path := filepath.Join("testdata", "notnumber.csv")
	_, err = ReadCSVFile(path, CSVOptions{TargetNames: []string{"c"}})
	var pe *ParseError
	if !errors.As(err, &pe) || pe.File != path {
		t.Fatalf("got %v, want a *ParseError with File %q", err, path)
	}
	if want := `data: ` + path + `: line 3, column 2 (b): not a number: found "abc"`; err.Error() != want {
		t.Errorf("message\ngot  %s\nwant %s", err.Error(), want)
	}

	_, err = ReadCSVFile(path, CSVOptions{Task: "clustering"})
	if !errors.Is(err, ErrInvalidOption) {
		t.Errorf("bad option: got %v, want ErrInvalidOption before the file is read", err)
	}
}

// failingReader returns its error after its text.
type failingReader struct {
	text string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.text == "" {
		return 0, r.err
	}
	n := copy(p, r.text)
	r.text = r.text[n:]
	return n, nil
}

func TestReadCSVReaderError(t *testing.T) {
	cause := errors.New("disk on fire")
	_, err := ReadCSV(&failingReader{text: "a,b\n1,2\n", err: cause}, CSVOptions{})
	if !errors.Is(err, cause) {
		t.Errorf("got %v, want an error wrapping %v", err, cause)
	}
	if _, err := ReadCSV(nil, CSVOptions{}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("nil reader: got %v, want ErrInvalidOption", err)
	}
}
