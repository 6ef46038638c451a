package data

import (
	"fmt"
	"math"
	"strings"
)

// Missing says what ReadCSV does with a missing cell in a feature or target
// column.
type Missing int

// The policies for missing cells. Under MissingError a cell is read as it
// is, so an empty cell is an ErrEmptyCell, "NaN" an ErrNonFinite and "NA"
// text. Under the other two, a cell is missing when it is empty or one of
// the markers NA, N/A, NaN, null (in any letter case).
const (
	// MissingError rejects a missing cell (default).
	MissingError Missing = iota
	// MissingDropRows leaves out every row with a missing cell in a
	// feature or target column (skipped columns do not count); the
	// 1-based data rows left out are listed in Dataset.DroppedRows.
	MissingDropRows
	// MissingMean fills a missing numeric feature cell with the mean of the
	// column's present cells, and a missing categorical cell with the
	// column's most frequent level (the first in Levels on ties). With a
	// fixed CSVOptions.Encoding, the fill values stored in it are used.
	// A missing label or regression target cannot be filled and is an
	// error.
	MissingMean
)

var missingNames = [...]string{MissingError: "error", MissingDropRows: "drop-rows", MissingMean: "mean"}

// String returns the name ParseMissing accepts: "error", "drop-rows" or
// "mean".
func (m Missing) String() string {
	if m < 0 || int(m) >= len(missingNames) {
		return fmt.Sprintf("Missing(%d)", int(m))
	}
	return missingNames[m]
}

// ParseMissing returns the Missing policy named s, as a command-line flag
// would give it.
func ParseMissing(s string) (Missing, error) {
	for m, name := range missingNames {
		if name == s {
			return Missing(m), nil
		}
	}
	return MissingError, fmt.Errorf("%w: missing-cell policy %q (valid: error, drop-rows, mean)", ErrInvalidOption, s)
}

// isMissing reports whether a trimmed cell is a missing-value marker: empty,
// NA, N/A, NaN or null in any letter case.
func isMissing(s string) bool {
	if s == "" {
		return true
	}
	for _, m := range [...]string{"na", "n/a", "nan", "null"} {
		if strings.EqualFold(s, m) {
			return true
		}
	}
	return false
}

// An Encoding says how the feature columns of a file become the columns of
// a Dataset's Features: a numeric column becomes one feature, a categorical
// column one feature per level, 1 in the level's column and 0 elsewhere
// (one-hot). ReadCSV returns the Encoding it used in Dataset.Encoding;
// store it with a model and give it back in CSVOptions.Encoding to read a
// prediction file the same way. Its fields marshal to JSON and back
// exactly.
type Encoding struct {
	// Columns are the file's feature columns, in feature order.
	Columns []ColumnEncoding `json:"columns"`
}

// A ColumnEncoding describes one feature column of a file.
type ColumnEncoding struct {
	// Name is the column's header name.
	Name string `json:"name"`
	// Levels, when non-nil, makes the column categorical: its cells must
	// be one of Levels, and level Levels[k] sets feature k of the
	// column's block. Levels are sorted as class names are (see
	// CSVOptions.ClassNames). Valid: non-empty, no empty names, no repeats.
	Levels []string `json:"levels,omitempty"`
	// Fill, when non-nil, is the value a missing numeric cell takes under
	// MissingMean: the mean of the column's present cells where the
	// Encoding was made (ReadCSV records it whatever the policy). Valid:
	// finite; nil for a categorical column.
	Fill *float64 `json:"fill,omitempty"`
	// FillLevel, when not empty, is the level a missing categorical cell
	// takes under MissingMean: the most frequent one. Valid: one of
	// Levels; empty for a numeric column.
	FillLevel string `json:"fill_level,omitempty"`
}

// Categorical reports whether the column is one-hot encoded.
func (c *ColumnEncoding) Categorical() bool { return c.Levels != nil }

// width returns the number of features of the column.
func (c *ColumnEncoding) width() int {
	if c.Levels != nil {
		return len(c.Levels)
	}
	return 1
}

// Width returns the number of features the encoding makes: the Cols of the
// datasets read with it (0 for nil).
func (e *Encoding) Width() int {
	if e == nil {
		return 0
	}
	w := 0
	for i := range e.Columns {
		w += e.Columns[i].width()
	}
	return w
}

// ColumnNames returns the header names of the file's feature columns.
func (e *Encoding) ColumnNames() []string {
	if e == nil {
		return nil
	}
	names := make([]string, len(e.Columns))
	for i := range e.Columns {
		names[i] = e.Columns[i].Name
	}
	return names
}

// FeatureNames returns the names of the features the encoding makes: a
// numeric column's name, and "name=level" for each level of a categorical
// column.
func (e *Encoding) FeatureNames() []string {
	if e == nil {
		return nil
	}
	names := make([]string, 0, e.Width())
	for i := range e.Columns {
		c := &e.Columns[i]
		if !c.Categorical() {
			names = append(names, c.Name)
			continue
		}
		for _, l := range c.Levels {
			names = append(names, c.Name+"="+l)
		}
	}
	return names
}

// Validate reports whether e is usable: at least one column, names valid
// as for CSVOptions.FeatureNames, levels and fill values as the field docs
// say. An Encoding read back from a model file should be validated;
// ReadCSV does it itself. The error wraps ErrInvalidOption.
func (e *Encoding) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: encoding: %s", ErrInvalidOption, fmt.Sprintf(format, args...))
	}
	if e == nil || len(e.Columns) == 0 {
		return bad("no columns")
	}
	if err := checkNames(e.ColumnNames(), "feature column"); err != nil {
		return bad("%v", err)
	}
	for i := range e.Columns {
		c := &e.Columns[i]
		switch {
		case c.Levels != nil && len(c.Levels) == 0:
			return bad("column %q: an empty list of levels", c.Name)
		case c.Levels != nil && c.Fill != nil:
			return bad("column %q: a numeric fill value for a categorical column", c.Name)
		case c.Levels == nil && c.FillLevel != "":
			return bad("column %q: a fill level for a numeric column", c.Name)
		case c.Fill != nil && (math.IsNaN(*c.Fill) || math.IsInf(*c.Fill, 0)):
			return bad("column %q: fill value %v (valid: finite)", c.Name, *c.Fill)
		}
		if err := checkNames(c.Levels, "level"); err != nil {
			return bad("column %q: %v", c.Name, err)
		}
		if c.FillLevel != "" && indexOf(c.Levels, c.FillLevel) < 0 {
			return bad("column %q: fill level %q is not one of its levels", c.Name, c.FillLevel)
		}
	}
	return nil
}

// clone returns a deep copy of e.
func (e *Encoding) clone() *Encoding {
	if e == nil {
		return nil
	}
	c := &Encoding{Columns: make([]ColumnEncoding, len(e.Columns))}
	for i := range e.Columns {
		c.Columns[i] = e.Columns[i].clone()
	}
	return c
}

// clone returns a deep copy of c.
func (c *ColumnEncoding) clone() ColumnEncoding {
	d := ColumnEncoding{Name: c.Name, FillLevel: c.FillLevel}
	if c.Levels != nil {
		d.Levels = append([]string{}, c.Levels...)
	}
	if c.Fill != nil {
		v := *c.Fill
		d.Fill = &v
	}
	return d
}

// indexOf returns the index of s in list, or -1.
func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}
