package data

import (
	"fmt"
	"math"
	"slices"
)

// Task says what a Dataset's targets are.
type Task string

// Tasks. The zero value Unlabelled is a dataset of features only, as read for
// prediction.
const (
	Unlabelled     Task = ""
	Classification Task = "classification"
	Regression     Task = "regression"
)

// ParseTask returns the Task named s ("classification" or "regression"), as
// a command-line flag would give it.
func ParseTask(s string) (Task, error) {
	switch t := Task(s); t {
	case Classification, Regression:
		return t, nil
	}
	return Unlabelled, fmt.Errorf("%w: task %q (valid: %q or %q)", ErrInvalidOption, s, Classification, Regression)
}

// A Dataset is a table of observations: a row-major matrix of features and,
// depending on Task, an integer class label or one or more numeric targets per
// row. The slices are plain Go memory that a tensor can use as its backing
// without a copy: Features has shape (Rows, Cols), element (i, j) at
// Features[i*Cols+j].
//
// Which target fields are set depends on Task:
//
//	Classification: Labels, ClassNames, TargetNames (one name)
//	Regression:     Targets, TargetNames (one or more)
//	Unlabelled:     none of them
//
// Validate checks these invariants for a Dataset built by hand.
type Dataset struct {
	// Task is Classification, Regression or Unlabelled.
	Task Task

	// Rows is the number of observations; Cols the number of features.
	Rows, Cols int
	// Features holds Rows×Cols values, row-major; all finite.
	Features []float64
	// FeatureNames[j] names column j of Features.
	FeatureNames []string

	// Labels[i] is the class of row i, an index into ClassNames.
	Labels []int
	// ClassNames[k] is the label text of class k. In a dataset read from CSV
	// the order is fixed by CSVOptions.ClassNames, or else sorted (see
	// CSVOptions).
	ClassNames []string

	// Targets holds Rows×len(TargetNames) regression targets, row-major.
	Targets []float64
	// TargetNames names the target columns: the label column for
	// Classification, the columns of Targets for Regression.
	TargetNames []string

	// Encoding, when non-nil, says how the file's feature columns became
	// Features (one-hot levels of categorical columns, fill values of
	// missing cells); FeatureNames are then its FeatureNames. ReadCSV sets
	// it when CSVOptions asks for categorical columns, a missing-cell
	// policy or a fixed Encoding. Store it with a model to read prediction
	// files the same way.
	Encoding *Encoding

	// DroppedRows lists the 1-based data rows of the file (the header not
	// counted) that MissingDropRows left out; nil when none was. Subset and
	// Split do not carry it over: their rows are new.
	DroppedRows []int
}

// NumClasses returns len(d.ClassNames): the number of classes of a
// classification dataset, 0 otherwise (and for nil).
func (d *Dataset) NumClasses() int {
	if d == nil {
		return 0
	}
	return len(d.ClassNames)
}

// OutputSize returns the width of a network's output layer for d: the number
// of classes for Classification, the number of targets for Regression, 0 for
// Unlabelled (and for nil).
func (d *Dataset) OutputSize() int {
	if d == nil {
		return 0
	}
	switch d.Task {
	case Classification:
		return len(d.ClassNames)
	case Regression:
		return len(d.TargetNames)
	}
	return 0
}

// Validate reports whether d's fields agree: a known Task, Rows >= 1,
// Cols >= 1, len(Features) == Rows*Cols with every value finite,
// len(FeatureNames) == Cols, and the target fields the Task needs (see
// Dataset) with labels in [0, len(ClassNames)) and finite targets. The error
// wraps ErrInvalidDataset and names the first field at fault.
func (d *Dataset) Validate() error {
	if d == nil {
		return fmt.Errorf("%w: nil dataset", ErrInvalidDataset)
	}
	if d.Rows < 1 || d.Cols < 1 {
		return fmt.Errorf("%w: Rows %d, Cols %d (valid: both >= 1)", ErrInvalidDataset, d.Rows, d.Cols)
	}
	if d.Rows > math.MaxInt/d.Cols || len(d.Features) != d.Rows*d.Cols {
		return fmt.Errorf("%w: len(Features) = %d, want Rows*Cols = %d*%d", ErrInvalidDataset, len(d.Features), d.Rows, d.Cols)
	}
	if len(d.FeatureNames) != d.Cols {
		return fmt.Errorf("%w: len(FeatureNames) = %d, want Cols = %d", ErrInvalidDataset, len(d.FeatureNames), d.Cols)
	}
	if i := firstNonFinite(d.Features); i >= 0 {
		return fmt.Errorf("%w: Features[%d] = %v (row %d, column %d) is not finite", ErrInvalidDataset, i, d.Features[i], i/d.Cols, i%d.Cols)
	}
	if d.Encoding != nil {
		if err := d.Encoding.Validate(); err != nil {
			return fmt.Errorf("%w: %w", ErrInvalidDataset, err)
		}
		if w := d.Encoding.Width(); w != d.Cols {
			return fmt.Errorf("%w: Encoding makes %d features, Cols = %d", ErrInvalidDataset, w, d.Cols)
		}
	}
	switch d.Task {
	case Classification:
		return d.validateClassification()
	case Regression:
		return d.validateRegression()
	case Unlabelled:
		if d.Labels != nil || d.ClassNames != nil || d.Targets != nil || d.TargetNames != nil {
			return fmt.Errorf("%w: an unlabelled dataset has Labels, ClassNames, Targets or TargetNames set", ErrInvalidDataset)
		}
		return nil
	}
	return fmt.Errorf("%w: Task %q (valid: %q, %q or %q)", ErrInvalidDataset, d.Task, Classification, Regression, Unlabelled)
}

func (d *Dataset) validateClassification() error {
	if len(d.TargetNames) != 1 {
		return fmt.Errorf("%w: classification needs one TargetNames entry, have %d", ErrInvalidDataset, len(d.TargetNames))
	}
	if d.Targets != nil {
		return fmt.Errorf("%w: classification dataset has Targets set", ErrInvalidDataset)
	}
	if len(d.ClassNames) < 1 {
		return fmt.Errorf("%w: classification dataset has no ClassNames", ErrInvalidDataset)
	}
	if len(d.Labels) != d.Rows {
		return fmt.Errorf("%w: len(Labels) = %d, want Rows = %d", ErrInvalidDataset, len(d.Labels), d.Rows)
	}
	for i, l := range d.Labels {
		if l < 0 || l >= len(d.ClassNames) {
			return fmt.Errorf("%w: Labels[%d] = %d out of range [0, %d)", ErrInvalidDataset, i, l, len(d.ClassNames))
		}
	}
	return nil
}

func (d *Dataset) validateRegression() error {
	if len(d.TargetNames) < 1 {
		return fmt.Errorf("%w: regression dataset has no TargetNames", ErrInvalidDataset)
	}
	if d.Labels != nil || d.ClassNames != nil {
		return fmt.Errorf("%w: regression dataset has Labels or ClassNames set", ErrInvalidDataset)
	}
	if n := len(d.TargetNames); d.Rows > math.MaxInt/n || len(d.Targets) != d.Rows*n {
		return fmt.Errorf("%w: len(Targets) = %d, want Rows*len(TargetNames) = %d*%d", ErrInvalidDataset, len(d.Targets), d.Rows, n)
	}
	if i := firstNonFinite(d.Targets); i >= 0 {
		return fmt.Errorf("%w: Targets[%d] = %v is not finite", ErrInvalidDataset, i, d.Targets[i])
	}
	return nil
}

// firstNonFinite returns the index of the first NaN or infinite value, or -1.
func firstNonFinite(x []float64) int {
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return i
		}
	}
	return -1
}

// Clone returns a deep copy of d, so that transforming the copy in place
// leaves d as it was.
func (d *Dataset) Clone() *Dataset {
	if d == nil {
		return nil
	}
	c := *d
	c.Features = slices.Clone(d.Features)
	c.FeatureNames = slices.Clone(d.FeatureNames)
	c.Labels = slices.Clone(d.Labels)
	c.ClassNames = slices.Clone(d.ClassNames)
	c.Targets = slices.Clone(d.Targets)
	c.TargetNames = slices.Clone(d.TargetNames)
	c.Encoding = d.Encoding.clone()
	c.DroppedRows = slices.Clone(d.DroppedRows)
	return &c
}

// Subset returns a new Dataset of the given rows of d, in the order given
// (a row may repeat). Names and ClassNames are copied, so the subset keeps
// the class numbering of d even when some classes are absent from it. It
// returns an error wrapping ErrInvalidDataset if d is invalid, or
// ErrInvalidOption if rows is empty or an index is out of range.
func (d *Dataset) Subset(rows []int) (*Dataset, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: Subset: no rows selected", ErrInvalidOption)
	}
	for i, r := range rows {
		if r < 0 || r >= d.Rows {
			return nil, fmt.Errorf("%w: Subset: rows[%d] = %d out of range [0, %d)", ErrInvalidOption, i, r, d.Rows)
		}
	}
	s := &Dataset{
		Task: d.Task, Rows: len(rows), Cols: d.Cols,
		Features:     make([]float64, 0, len(rows)*d.Cols),
		FeatureNames: slices.Clone(d.FeatureNames),
		ClassNames:   slices.Clone(d.ClassNames),
		TargetNames:  slices.Clone(d.TargetNames),
		Encoding:     d.Encoding.clone(),
	}
	nt := len(d.TargetNames)
	if d.Task == Classification {
		s.Labels = make([]int, 0, len(rows))
	}
	if d.Task == Regression {
		s.Targets = make([]float64, 0, len(rows)*nt)
	}
	for _, r := range rows {
		s.Features = append(s.Features, d.Features[r*d.Cols:(r+1)*d.Cols]...)
		switch d.Task {
		case Classification:
			s.Labels = append(s.Labels, d.Labels[r])
		case Regression:
			s.Targets = append(s.Targets, d.Targets[r*nt:(r+1)*nt]...)
		}
	}
	return s, nil
}
