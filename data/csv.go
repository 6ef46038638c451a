package data

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// LastColumn, in CSVOptions.TargetColumns, selects the last column of the
// header, whatever its index.
const LastColumn = -1

// CSVOptions says how ReadCSV turns a CSV table into a Dataset. The zero
// value reads every column as a feature (an Unlabelled dataset, as for
// prediction); select a target column to read labelled data.
type CSVOptions struct {
	// Task is Classification or Regression. Default (zero): Classification
	// when a target column is selected. With no target column Task must be
	// zero, and the dataset is Unlabelled.
	Task Task

	// TargetNames selects the target columns by header name: exactly one for
	// Classification, one or more for Regression. Valid: no empty names, no
	// repeats, no surrounding spaces; at most one of TargetNames and
	// TargetColumns is set.
	TargetNames []string

	// TargetColumns selects the target columns by 0-based index into the
	// header, LastColumn for the last one. Same counts as TargetNames.
	// Valid: >= 0 or LastColumn, no repeats.
	TargetColumns []int

	// FeatureNames, when non-nil, selects the feature columns by header name,
	// in this order (as prediction needs: the model's features, in the
	// model's order); other columns are skipped but must still have a field
	// in every row. Default (nil): every non-target column, in header order.
	// Valid: non-empty, no empty names, no repeats, no surrounding spaces,
	// no target name.
	FeatureNames []string

	// ClassNames, when non-nil, fixes the classes and their numbering:
	// label ClassNames[k] is class k, and any other label is an
	// ErrUnknownClass. Use it to read a second file with the classes of the
	// first. Default (nil): the distinct labels found, sorted numerically
	// when every label is an integer (so "2" comes before "10", ties in
	// value kept apart and ordered by text, as "01" before "1"), otherwise
	// by byte order. Sorting (rather than order of appearance) makes the
	// numbering independent of the row order. Valid only for
	// Classification; non-empty, no empty names, no repeats, no surrounding
	// spaces.
	ClassNames []string

	// Comma is the field separator. Default ','. Valid: any rune but '"',
	// '\r', '\n' and utf8.RuneError.
	Comma rune

	// Categorical, when true, one-hot encodes every feature column whose
	// present cells are all text (none reads as a number): one feature per
	// level, named "column=level", the levels sorted as class names are.
	// A column mixing numbers and text stays an ErrNotNumber. Default
	// false: a text cell in a feature column is an ErrNotNumber.
	Categorical bool

	// Missing is the policy for missing cells in the feature and target
	// columns: MissingError (default), MissingDropRows or MissingMean.
	Missing Missing

	// FillRows, when non-nil, restricts the rows whose present cells give
	// the fill values of MissingMean (and of a recorded Encoding) to these
	// 0-based rows of the dataset read: the training rows of a split
	// (SplitRows), so that no validation row shapes a training value.
	// Default nil: every row. Valid: indices of rows of the dataset read
	// (checked once it is read), not with MissingDropRows (whose rows
	// renumber) or a fixed Encoding (whose fill values are given).
	FillRows []int

	// Encoding, when non-nil, fixes the feature columns (by name, in
	// order), which of them are categorical and their levels, and the fill
	// values of MissingMean: the Encoding of the training data, stored
	// with a model, read back for prediction. A categorical cell that is
	// not one of its column's levels is an ErrUnknownLevel. Valid: as
	// Encoding.Validate says; not together with FeatureNames or
	// Categorical, which it replaces.
	Encoding *Encoding

	// MaxBytes bounds the bytes read, and the bytes the values read take
	// (8 per value, categorical columns one-hot encoded): an input past
	// either bound gives a *ParseError wrapping ErrTooLarge at the line
	// where it is passed, rather than memory exhausted by a file that
	// never ends or a text column of a million levels. Default (0):
	// DefaultMaxBytes. Valid: >= 0.
	MaxBytes int64
}

// DefaultMaxBytes is the default of CSVOptions.MaxBytes: 1 GiB.
const DefaultMaxBytes = 1 << 30

// ReadCSV reads a dataset from CSV text: a header row of unique column
// names, then one row per observation with as many fields as the header.
// Fields are read as by encoding/csv (RFC 4180 quoting, blank lines
// skipped; spaces may precede a quoted field unless Comma is itself white
// space), a leading UTF-8 byte order mark is dropped, and every cell and
// name is trimmed of surrounding white space. Feature and regression target
// cells must be numbers in Go syntax (strconv.ParseFloat: decimal or
// hexadecimal, optional exponent) and finite; a label cell may be any
// non-empty text.
//
// Options that are out of range give an error wrapping ErrInvalidOption.
// Every fault in the input gives a *ParseError naming its line and column
// and wrapping one of ErrEmpty, ErrNoRows, ErrSyntax, ErrFieldCount,
// ErrEmptyCell, ErrNotNumber, ErrNonFinite, ErrDuplicateColumn,
// ErrMissingColumn, ErrNoFeatures, ErrUnknownClass, ErrUnknownLevel,
// ErrMissingCell or ErrTooLarge. An error from r
// itself is returned wrapped. The returned dataset satisfies Validate.
func ReadCSV(r io.Reader, opts CSVOptions) (*Dataset, error) {
	return readCSV(r, "", opts)
}

// ReadCSVFile is ReadCSV on the named file; a *ParseError also carries the
// path in its File field and message.
func ReadCSVFile(path string, opts CSVOptions) (*Dataset, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return readCSV(f, path, opts)
}

// readCSV validates opts and runs the parser over r.
func readCSV(r io.Reader, file string, opts CSVOptions) (*Dataset, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: nil io.Reader", ErrInvalidOption)
	}
	if err := opts.validate(); err != nil {
		return nil, err
	}
	p := newParser(r, file, opts)
	return p.read()
}

// task returns the Task the options ask for, resolving the default.
func (o *CSVOptions) task() Task {
	if o.Task == Unlabelled && (len(o.TargetNames) > 0 || len(o.TargetColumns) > 0) {
		return Classification
	}
	return o.Task
}

// validate checks every field of o and reports the first one out of range,
// in words for the user of a program built on this package, followed by the
// Go name of the field in parentheses.
func (o *CSVOptions) validate() error {
	bad := func(field, format string, args ...any) error {
		return &OptionError{Option: field, Reason: fmt.Sprintf(format, args...)}
	}
	if o.MaxBytes < 0 {
		return bad("CSVOptions.MaxBytes", "a bound of %d bytes: want >= 0 (0 for the default, %d)", o.MaxBytes, DefaultMaxBytes)
	}
	if o.Task != Unlabelled && o.Task != Classification && o.Task != Regression {
		return bad("CSVOptions.Task", "task %q: want %q or %q", o.Task, Classification, Regression)
	}
	if c := o.Comma; c != 0 && (c == '"' || c == '\r' || c == '\n' || c == utf8.RuneError || !utf8.ValidRune(c)) {
		shown := fmt.Sprintf("%q", c)
		if !utf8.ValidRune(c) {
			shown = fmt.Sprintf("%U", c)
		}
		return bad("CSVOptions.Comma", "field separator %s: want any character but '\"', '\\r' and '\\n'", shown)
	}
	nTargets := len(o.TargetNames) + len(o.TargetColumns)
	switch {
	case len(o.TargetNames) > 0 && len(o.TargetColumns) > 0:
		return bad("CSVOptions.TargetNames, CSVOptions.TargetColumns",
			"target columns given both by name and by index: give them one way")
	case nTargets == 0 && o.Task != Unlabelled:
		return bad("CSVOptions.Task without CSVOptions.TargetNames or CSVOptions.TargetColumns",
			"task %q needs a target column, and none is given", o.Task)
	case nTargets > 1 && o.task() == Classification:
		field := "CSVOptions.TargetNames"
		if len(o.TargetColumns) > 0 {
			field = "CSVOptions.TargetColumns"
		}
		return bad(field, "%d target columns for classification, which takes exactly 1", nTargets)
	}
	if err := checkNames(o.TargetNames, "target column"); err != nil {
		return bad("CSVOptions.TargetNames", "%v", err)
	}
	seen := make(map[int]bool)
	for _, c := range o.TargetColumns {
		if c < 0 && c != LastColumn || seen[c] {
			return bad("CSVOptions.TargetColumns", "target column indices %v: want distinct indices from 0, or LastColumn (-1) for the last column", o.TargetColumns)
		}
		seen[c] = true
	}
	if o.FeatureNames != nil {
		if len(o.FeatureNames) == 0 {
			return bad("CSVOptions.FeatureNames", "an empty list of feature columns: want at least one, or none given (nil) for every column but the targets")
		}
		if err := checkNames(o.FeatureNames, "feature column"); err != nil {
			return bad("CSVOptions.FeatureNames", "%v", err)
		}
		for _, t := range o.TargetNames {
			for _, f := range o.FeatureNames {
				if t == f {
					return bad("CSVOptions.FeatureNames, CSVOptions.TargetNames", "feature column %q is also a target column", f)
				}
			}
		}
	}
	if o.Missing < MissingError || o.Missing > MissingMean {
		return bad("CSVOptions.Missing", "missing-cell policy %d: want MissingError, MissingDropRows or MissingMean", int(o.Missing))
	}
	if o.FillRows != nil && (o.Missing == MissingDropRows || o.Encoding != nil) {
		return bad("CSVOptions.FillRows", "fill rows given with rows dropped for a missing cell or with a fixed encoding: they apply to the rows as read, and to fill values learnt")
	}
	for _, r := range o.FillRows {
		if r < 0 {
			return bad("CSVOptions.FillRows", "fill row %d: want 0-based row indices", r)
		}
	}
	if o.Encoding != nil {
		switch {
		case o.FeatureNames != nil:
			return bad("CSVOptions.Encoding, CSVOptions.FeatureNames", "feature columns given both by an encoding and by name: the encoding names them")
		case o.Categorical:
			return bad("CSVOptions.Encoding, CSVOptions.Categorical", "categorical columns given both by an encoding and by Categorical: the encoding fixes them")
		}
		if err := o.Encoding.Validate(); err != nil {
			return bad("CSVOptions.Encoding", "%v", strings.TrimPrefix(err.Error(), ErrInvalidOption.Error()+": "))
		}
		for _, t := range o.TargetNames {
			if indexOf(o.Encoding.ColumnNames(), t) >= 0 {
				return bad("CSVOptions.Encoding, CSVOptions.TargetNames", "feature column %q is also a target column", t)
			}
		}
	}
	if o.ClassNames != nil {
		switch o.task() {
		case Unlabelled:
			return bad("CSVOptions.ClassNames", "class names given without a target column: they apply to %q only", Classification)
		case Regression:
			return bad("CSVOptions.ClassNames", "class names given for task %q: they apply to %q only", Regression, Classification)
		}
		if len(o.ClassNames) == 0 {
			return bad("CSVOptions.ClassNames", "an empty list of class names: want at least one, or none given (nil) to take them from the data")
		}
		if err := checkNames(o.ClassNames, "class"); err != nil {
			return bad("CSVOptions.ClassNames", "%v", err)
		}
	}
	return nil
}

// checkNames reports an empty name, a name with surrounding white space (it
// could never match a trimmed cell) or a repeated name; what names what
// the names are of, for the message.
func checkNames(names []string, what string) error {
	seen := make(map[string]bool, len(names))
	for i, n := range names {
		switch {
		case n == "":
			return fmt.Errorf("%s name %d of the list is empty", what, i+1)
		case strings.TrimSpace(n) != n:
			return fmt.Errorf("%s name %q has white space around it, so it can never match: the file's names and cells are trimmed", what, n)
		case seen[n]:
			return fmt.Errorf("%s %q is given twice", what, n)
		}
		seen[n] = true
	}
	return nil
}
