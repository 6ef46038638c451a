package data

import (
	"encoding/csv"
	"errors"
	"strings"
	"testing"
)

func TestReadCSVParseErrors(t *testing.T) {
	species := CSVOptions{TargetNames: []string{"c"}}
	tests := []struct {
		name    string
		input   string
		opts    CSVOptions
		wantErr error
		line    int
		column  int
		colName string
		message string // the whole Error() text
	}{
		{"empty input", "", species, ErrEmpty, 1, 0, "",
			"data: line 1: empty input: found no header row"},
		{"only blank lines", "\n\n\n", species, ErrEmpty, 1, 0, "",
			"data: line 1: empty input: found no header row"},
		{"header only", "a,b,c\n", species, ErrNoRows, 2, 0, "",
			"data: line 2: no data rows: found only the header"},
		{"ragged short row", "a,b,c\n1,2,x\n3,4\n", species, ErrFieldCount, 3, 0, "",
			"data: line 3: wrong number of fields: found 2 fields, want 3 as in the header"},
		{"ragged long row", "a,b,c\n1,2,x,9\n", species, ErrFieldCount, 2, 0, "",
			"data: line 2: wrong number of fields: found 4 fields, want 3 as in the header"},
		{"not a number", "a,b,c\n1,2,x\n3,abc,y\n", species, ErrNotNumber, 3, 2, "b",
			`data: line 3, column 2 (b): not a number: found "abc"`},
		{"comma decimal", "a,b,c\n1,\"2,5\",x\n", species, ErrNotNumber, 2, 2, "b",
			`data: line 2, column 2 (b): not a number: found "2,5"`},
		{"NaN", "a,b,c\nNaN,2,x\n", species, ErrNonFinite, 2, 1, "a",
			`data: line 2, column 1 (a): not finite: found "NaN"`},
		{"Inf", "a,b,c\n1,-inf,x\n", species, ErrNonFinite, 2, 2, "b",
			`data: line 2, column 2 (b): not finite: found "-inf"`},
		{"overflow", "a,b,c\n1e999,2,x\n", species, ErrNonFinite, 2, 1, "a",
			`data: line 2, column 1 (a): not finite: found "1e999", which overflows float64`},
		{"empty feature cell", "a,b,c\n1,,x\n", species, ErrEmptyCell, 2, 2, "b",
			`data: line 2, column 2 (b): empty cell: found ""`},
		{"blank feature cell", "a,b,c\n1,  ,x\n", species, ErrEmptyCell, 2, 2, "b",
			`data: line 2, column 2 (b): empty cell: found ""`},
		{"blank cell in tab-separated file", "a\tb\tc\n1\t  \tx\n", CSVOptions{Comma: '\t', TargetNames: []string{"c"}}, ErrEmptyCell, 2, 2, "b",
			`data: line 2, column 2 (b): empty cell: found "  "`},
		{"empty label", "a,b,c\n1,2,\n", species, ErrEmptyCell, 2, 3, "c",
			`data: line 2, column 3 (c): empty cell: found ""`},
		{"empty regression target", "a,b,c\n1,2,\n", CSVOptions{Task: Regression, TargetNames: []string{"c"}}, ErrEmptyCell, 2, 3, "c",
			`data: line 2, column 3 (c): empty cell: found ""`},
		{"non-numeric regression target", "a,b,c\n1,2,big\n", CSVOptions{Task: Regression, TargetNames: []string{"c"}}, ErrNotNumber, 2, 3, "c",
			`data: line 2, column 3 (c): not a number: found "big"`},
		{"empty header name", "a,,c\n1,2,x\n", species, ErrEmptyCell, 1, 2, "",
			`data: line 1, column 2: empty cell: found "" as a column name`},
		{"duplicate header", "a,b,a\n1,2,3\n", CSVOptions{}, ErrDuplicateColumn, 1, 3, "a",
			`data: line 1, column 3 (a): duplicate column name: found "a", already column 1`},
		{"duplicate after trimming", "a, a ,c\n1,2,x\n", species, ErrDuplicateColumn, 1, 2, "a",
			`data: line 1, column 2 (a): duplicate column name: found "a", already column 1`},
		{"missing target name", "a,b,c\n1,2,x\n", CSVOptions{TargetNames: []string{"species"}}, ErrMissingColumn, 1, 0, "species",
			`data: line 1, column "species": no such column: found header a, b, c`},
		{"missing target index", "a,b,c\n1,2,x\n", CSVOptions{TargetColumns: []int{3}}, ErrMissingColumn, 1, 4, "",
			"data: line 1, column 4: no such column: found a header of 3 columns"},
		{"missing feature name", "a,b,c\n1,2,x\n", CSVOptions{FeatureNames: []string{"z"}}, ErrMissingColumn, 1, 0, "z",
			`data: line 1, column "z": no such column: found header a, b, c`},
		{"no features", "c\nx\n", species, ErrNoFeatures, 1, 0, "",
			`data: line 1: no feature columns: found 1 column, the target "c"`},
		{"no features of two", "b,c\n1,x\n", CSVOptions{Task: Regression, TargetNames: []string{"b", "c"}}, ErrNoFeatures, 1, 0, "",
			"data: line 1: no feature columns: found 2 columns, all of them targets"},
		// A header read as one column that holds another separator: the
		// message suggests it (three common dialects, and ',' when Comma
		// is set to something else).
		{"semicolons", "a;b;c\n1;2;x\n", CSVOptions{TargetColumns: []int{LastColumn}}, ErrNoFeatures, 1, 0, "",
			`data: line 1: no feature columns: found 1 column, the target "a;b;c"; the header looks separated by ';', but fields are split at ',' (CSVOptions.Comma)`},
		{"tabs", "a\tb\tc\n1\t2\tx\n", species, ErrMissingColumn, 1, 0, "c",
			`data: line 1, column "c": no such column: found header "a\tb\tc"; the header looks separated by '\t', but fields are split at ',' (CSVOptions.Comma)`},
		{"bars", "a|b|c\n1|2|x\n", CSVOptions{TargetColumns: []int{2}}, ErrMissingColumn, 1, 3, "",
			`data: line 1, column 3: no such column: found a header of 1 column; the header looks separated by '|', but fields are split at ',' (CSVOptions.Comma)`},
		{"commas read with semicolons", "a,b\n1,2\n", CSVOptions{Comma: ';', TargetColumns: []int{LastColumn}}, ErrNoFeatures, 1, 0, "",
			`data: line 1: no feature columns: found 1 column, the target "a,b"; the header looks separated by ',', but fields are split at ';' (CSVOptions.Comma)`},
		{"semicolons in a one-column file", "a;b\n1;2\n", CSVOptions{}, ErrNotNumber, 2, 1, "a;b",
			`data: line 2, column 1 (a;b): not a number: found "1;2"; the header looks separated by ';', but fields are split at ',' (CSVOptions.Comma)`},
		{"the most frequent separator", "a|b;c;d\n1\n", CSVOptions{TargetColumns: []int{LastColumn}}, ErrNoFeatures, 1, 0, "",
			`data: line 1: no feature columns: found 1 column, the target "a|b;c;d"; the header looks separated by ';', but fields are split at ',' (CSVOptions.Comma)`},
		{"no hint for a plain one-column header", "price\n1\n", CSVOptions{TargetColumns: []int{LastColumn}}, ErrNoFeatures, 1, 0, "",
			`data: line 1: no feature columns: found 1 column, the target "price"`},
		{"unknown class", "a,b,c\n1,2,x\n3,4,q\n", CSVOptions{TargetNames: []string{"c"}, ClassNames: []string{"x", "y"}}, ErrUnknownClass, 3, 3, "c",
			`data: line 3, column 3 (c): unknown class: found "q", want one of x, y`},
		{"bare quote", "a,b,c\n1,2\"x,y\n", species, ErrSyntax, 2, 0, "",
			`data: line 2: invalid CSV syntax: bare " in non-quoted-field at byte 4 of the line`},
		{"unterminated quote", "a,b,c\n1,\"2,x\n", species, ErrSyntax, 2, 0, "",
			`data: line 2: invalid CSV syntax: extraneous or missing " in quoted-field at byte 8 of the line`},
		{"error after a multi-line quoted field", "a,b,c\n\"1\n\",2,x\n3,z,y\n", species, ErrNotNumber, 4, 2, "b",
			`data: line 4, column 2 (b): not a number: found "z"`},
		{"long cell is cut in the message", "a,b,c\n1," + strings.Repeat("é", 40) + ",x\n", species, ErrNotNumber, 2, 2, "b",
			`data: line 2, column 2 (b): not a number: found "` + strings.Repeat("é", 32) + `"…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := ReadCSV(strings.NewReader(tt.input), tt.opts)
			if ds != nil {
				t.Errorf("got a dataset %+v with the error", ds)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("got %v (%T), want a *ParseError", err, err)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantErr)
			}
			if pe.Line != tt.line || pe.Column != tt.column || pe.Name != tt.colName {
				t.Errorf("Line, Column, Name = %d, %d, %q; want %d, %d, %q", pe.Line, pe.Column, pe.Name, tt.line, tt.column, tt.colName)
			}
			if err.Error() != tt.message {
				t.Errorf("message\ngot  %s\nwant %s", err.Error(), tt.message)
			}
		})
	}
}

func TestReadCSVSyntaxErrorUnwrapsToCSV(t *testing.T) {
	_, err := ReadCSV(strings.NewReader("a\n1\"\n"), CSVOptions{})
	if !errors.Is(err, ErrSyntax) || !errors.Is(err, csv.ErrBareQuote) {
		t.Errorf("got %v, want an error matching both ErrSyntax and csv.ErrBareQuote", err)
	}
}

// TestReadCSVOptionErrors checks that every option out of range gives
// ErrInvalidOption with a message in words a user of a command-line
// program understands, followed by the Go name of the option.
func TestReadCSVOptionErrors(t *testing.T) {
	const prefix = "data: invalid option: "
	tests := []struct {
		name string
		opts CSVOptions
		want string // the message after prefix
	}{
		{"unknown task", CSVOptions{Task: "clustering", TargetNames: []string{"c"}},
			`task "clustering": want "classification" or "regression" (CSVOptions.Task)`},
		{"task without target", CSVOptions{Task: Regression},
			`task "regression" needs a target column, and none is given (CSVOptions.Task without CSVOptions.TargetNames or CSVOptions.TargetColumns)`},
		{"names and columns", CSVOptions{TargetNames: []string{"c"}, TargetColumns: []int{0}},
			"target columns given both by name and by index: give them one way (CSVOptions.TargetNames, CSVOptions.TargetColumns)"},
		{"two classification targets", CSVOptions{TargetNames: []string{"b", "c"}},
			"2 target columns for classification, which takes exactly 1 (CSVOptions.TargetNames)"},
		{"two classification target columns", CSVOptions{TargetColumns: []int{1, 2}},
			"2 target columns for classification, which takes exactly 1 (CSVOptions.TargetColumns)"},
		{"empty target name", CSVOptions{TargetNames: []string{""}},
			"target column name 1 of the list is empty (CSVOptions.TargetNames)"},
		{"padded target name", CSVOptions{TargetNames: []string{" c"}},
			`target column name " c" has white space around it, so it can never match: the file's names and cells are trimmed (CSVOptions.TargetNames)`},
		{"repeated regression target", CSVOptions{Task: Regression, TargetNames: []string{"c", "c"}},
			`target column "c" is given twice (CSVOptions.TargetNames)`},
		{"negative column", CSVOptions{TargetColumns: []int{-2}},
			"target column indices [-2]: want distinct indices from 0, or LastColumn (-1) for the last column (CSVOptions.TargetColumns)"},
		{"repeated column", CSVOptions{Task: Regression, TargetColumns: []int{1, 1}},
			"target column indices [1 1]: want distinct indices from 0, or LastColumn (-1) for the last column (CSVOptions.TargetColumns)"},
		{"column repeated through LastColumn", CSVOptions{Task: Regression, TargetColumns: []int{2, LastColumn}},
			`target column indices [2 -1] select column "c" twice (CSVOptions.TargetColumns)`},
		{"empty feature list", CSVOptions{FeatureNames: []string{}},
			"an empty list of feature columns: want at least one, or none given (nil) for every column but the targets (CSVOptions.FeatureNames)"},
		{"repeated feature", CSVOptions{FeatureNames: []string{"a", "a"}},
			`feature column "a" is given twice (CSVOptions.FeatureNames)`},
		{"feature is target", CSVOptions{TargetNames: []string{"c"}, FeatureNames: []string{"c"}},
			`feature column "c" is also a target column (CSVOptions.FeatureNames, CSVOptions.TargetNames)`},
		{"feature is target by index", CSVOptions{TargetColumns: []int{2}, FeatureNames: []string{"c"}},
			`feature column "c" is also a target column (CSVOptions.FeatureNames, CSVOptions.TargetColumns)`},
		{"classes for regression", CSVOptions{Task: Regression, TargetNames: []string{"c"}, ClassNames: []string{"x"}},
			`class names given for task "regression": they apply to "classification" only (CSVOptions.ClassNames)`},
		{"classes without target", CSVOptions{ClassNames: []string{"x"}},
			`class names given without a target column: they apply to "classification" only (CSVOptions.ClassNames)`},
		{"empty class list", CSVOptions{TargetNames: []string{"c"}, ClassNames: []string{}},
			"an empty list of class names: want at least one, or none given (nil) to take them from the data (CSVOptions.ClassNames)"},
		{"repeated class", CSVOptions{TargetNames: []string{"c"}, ClassNames: []string{"x", "x"}},
			`class "x" is given twice (CSVOptions.ClassNames)`},
		{"quote as comma", CSVOptions{Comma: '"'},
			`field separator '"': want any character but '"', '\r' and '\n' (CSVOptions.Comma)`},
		{"newline as comma", CSVOptions{Comma: '\n'},
			`field separator '\n': want any character but '"', '\r' and '\n' (CSVOptions.Comma)`},
		{"invalid rune as comma", CSVOptions{Comma: 0xD800},
			`field separator U+D800: want any character but '"', '\r' and '\n' (CSVOptions.Comma)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadCSV(strings.NewReader("a,b,c\n1,2,x\n"), tt.opts)
			if !errors.Is(err, ErrInvalidOption) {
				t.Fatalf("got %v, want ErrInvalidOption", err)
			}
			if got := err.Error(); got != prefix+tt.want {
				t.Errorf("message\ngot  %s\nwant %s", got, prefix+tt.want)
			}
		})
	}
}
