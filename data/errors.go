package data

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error returned by this package wraps one of these,
// so callers match them with errors.Is; errors about a place in a CSV input
// are a *ParseError that unwraps to the sentinel.
var (
	// ErrEmpty: the input has no header row.
	ErrEmpty = errors.New("data: empty input")
	// ErrNoRows: the input has a header but no data rows.
	ErrNoRows = errors.New("data: no data rows")
	// ErrSyntax: the input is not valid CSV (a stray or unterminated quote);
	// the encoding/csv error (csv.ErrQuote, csv.ErrBareQuote) is wrapped too.
	ErrSyntax = errors.New("data: invalid CSV syntax")
	// ErrFieldCount: a row has more or fewer fields than the header.
	ErrFieldCount = errors.New("data: wrong number of fields")
	// ErrEmptyCell: a cell (or a header name) is empty or only spaces.
	ErrEmptyCell = errors.New("data: empty cell")
	// ErrNotNumber: a feature or regression target cell is not a number.
	ErrNotNumber = errors.New("data: not a number")
	// ErrNonFinite: a cell is NaN or infinite, or overflows float64; or a
	// computation on finite inputs overflowed.
	ErrNonFinite = errors.New("data: not finite")
	// ErrDuplicateColumn: two header columns have the same name.
	ErrDuplicateColumn = errors.New("data: duplicate column name")
	// ErrMissingColumn: a target or feature column named in CSVOptions is not
	// in the header, or a column index is past its end.
	ErrMissingColumn = errors.New("data: no such column")
	// ErrNoFeatures: once the target columns are taken, no feature column is
	// left.
	ErrNoFeatures = errors.New("data: no feature columns")
	// ErrUnknownClass: a label is not one of CSVOptions.ClassNames.
	ErrUnknownClass = errors.New("data: unknown class")
	// ErrUnknownLevel: a categorical cell is not one of the levels of the
	// column in CSVOptions.Encoding (a level not seen in training).
	ErrUnknownLevel = errors.New("data: unknown level")
	// ErrMissingCell: a missing cell that the Missing policy cannot
	// handle (a label or target under MissingMean, a column with no value
	// to take a mean of, every row dropped).
	ErrMissingCell = errors.New("data: missing cell")
	// ErrInvalidOption: an option or argument is outside its valid range;
	// the message names it and the range.
	ErrInvalidOption = errors.New("data: invalid option")
	// ErrInvalidDataset: a Dataset's fields disagree with each other (see
	// Dataset.Validate).
	ErrInvalidDataset = errors.New("data: invalid dataset")
	// ErrInvalidStandardizer: a Standardizer's fields are inconsistent or do
	// not fit the data (see Standardizer.Validate).
	ErrInvalidStandardizer = errors.New("data: invalid standardizer")
	// ErrTooFewRows: a split would leave the validation set empty.
	ErrTooFewRows = errors.New("data: too few rows")
	// ErrTooLarge: the input is longer than CSVOptions.MaxBytes, or its
	// values (8 bytes each, after one-hot encoding) would take more.
	ErrTooLarge = errors.New("data: input too large")
)

// An OptionError is an option outside its valid range. Its message is
// "data: invalid option: REASON (OPTION)"; it unwraps to ErrInvalidOption.
// A program that sets the options from its own flags reads Option to name
// its flag and Reason, which names no Go identifier but those of the
// options' values (LastColumn), to say what is wrong.
type OptionError struct {
	// Option names the field or fields at fault: "CSVOptions.Comma",
	// "CSVOptions.FeatureNames, CSVOptions.TargetColumns".
	Option string
	// Reason says what is wrong and what is valid.
	Reason string
}

// Error formats the error as "data: invalid option: REASON (OPTION)".
func (e *OptionError) Error() string {
	return ErrInvalidOption.Error() + ": " + e.Reason + " (" + e.Option + ")"
}

// Unwrap returns ErrInvalidOption.
func (e *OptionError) Unwrap() error { return ErrInvalidOption }

// A ParseError is returned for a CSV input that cannot be read as a dataset.
// It is modelled on encoding/csv's ParseError: Line and Column locate the
// fault, Err is one of the sentinels above (match with errors.Is), and the
// message names the file, line, column (number and header name) and what was
// found there, for example
//
//	data: flowers.csv: line 7, column 3 (petal_length): not a number: found "abc"
//
// and, when the reader can tell a likely cause, a hint:
//
//	data: line 1: no feature columns: found 1 column, the target "a;b;c"; the header looks separated by ';', but fields are split at ',' (CSVOptions.Comma)
type ParseError struct {
	// File is the path given to ReadCSVFile; empty for ReadCSV.
	File string
	// Line is the 1-based line of the input where the fault is; 1 is the
	// header line unless quoted fields span lines.
	Line int
	// Column is the 1-based field number in the row, or 0 when the fault
	// concerns the whole line (a wrong number of fields, an empty input) or
	// a column that does not exist by name.
	Column int
	// Name is the header name of the column, or the requested column name for
	// ErrMissingColumn; empty when unknown.
	Name string
	// Found describes what was found, quoted where it is cell text.
	Found string
	// Hint, when not empty, names a likely cause: a header read as one
	// column that looks separated by another character than the Comma
	// the input was read with.
	Hint string
	// Separator is the character the Hint says the header looks separated
	// by, 0 when there is no such hint; a program whose flag sets the
	// Comma can word its own hint with it.
	Separator rune
	// Err is the sentinel (for ErrSyntax, joined with the encoding/csv
	// error).
	Err error
}

// Error formats the error as "data: FILE: line L, column C (NAME): WHAT:
// found FOUND; HINT", leaving out the parts that are empty.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("data: ")
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(": ")
	}
	b.WriteString("line ")
	b.WriteString(strconv.Itoa(e.Line))
	switch {
	case e.Column > 0 && e.Name != "":
		b.WriteString(", column " + strconv.Itoa(e.Column) + " (" + shownName(e.Name) + ")")
	case e.Column > 0:
		b.WriteString(", column " + strconv.Itoa(e.Column))
	case e.Name != "":
		b.WriteString(", column " + strconv.Quote(e.Name))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "data: "))
	}
	if e.Found != "" {
		b.WriteString(": found ")
		b.WriteString(e.Found)
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Unwrap returns Err, so errors.Is(err, data.ErrNotNumber) and the like work.
func (e *ParseError) Unwrap() error { return e.Err }

// shownName returns a column name for a message: as it is, or quoted when
// it holds characters a quoted Go string escapes (a tab, in a header read
// with the wrong separator).
func shownName(name string) string {
	if q := strconv.Quote(name); q[1:len(q)-1] != name {
		return q
	}
	return name
}
