// Package data reads tables of observations into the flat form a network
// trainer uses, and prepares them for training: Fisher's iris data embedded
// in the package, a strict CSV reader for the user's own files,
// standardisation, one-hot targets and a stratified train/validation split.
// It uses the standard library only.
//
// # Conventions
//
// A Dataset holds its features as one row-major []float64 with Rows and Cols:
// observation i is Features[i*Cols : (i+1)*Cols]. This is the layout of a
// gorgonia tensor's backing array and of a gonum mat.Dense, so a trainer wraps
// it without copying. Observations are rows, features are columns, as in
// Y = X·W + b. A classification dataset carries one class index per row in
// Labels (0 ≤ label < len(ClassNames)); ClassNames maps the index back to the
// label text of the file. A regression dataset carries a row-major Targets
// matrix with one column per name in TargetNames. Task says which; an
// Unlabelled dataset has features only, as read for prediction.
//
// Indices are 0-based in the API (Labels, CSVOptions.TargetColumns, rows of
// Subset) and 1-based in messages and in ParseError's Line and Column, as in
// a text editor or spreadsheet and as in encoding/csv.
//
// Functions that transform data (Standardizer.Transform, InverseTransform)
// work in place on a caller's slice and allocate nothing; functions that
// make new data (ReadCSV, Iris, Subset, Split, OneHot) return fresh slices
// that share nothing with their inputs.
//
// # Errors
//
// Nothing in this package panics on bad input or prints. Every error wraps
// one of the package's sentinels (ErrNotNumber, ErrFieldCount,
// ErrInvalidOption, …), matched with errors.Is. A fault in a CSV input is a
// *ParseError, modelled on encoding/csv's: its Line and Column locate the
// fault and its message reads
//
//	data: flowers.csv: line 7, column 3 (petal_length): not a number: found "abc"
//
// When the header was read as a single column that holds ';', a tab, '|'
// (or ',' with another Comma), the message adds a hint naming that
// separator and CSVOptions.Comma. An option out of range gives
// ErrInvalidOption with a message in the words of a program's user, the Go
// name of the option in parentheses:
//
//	data: invalid option: feature column "c" is also a target column (CSVOptions.FeatureNames, CSVOptions.TargetNames)
//
// The reader is strict by default: a ragged row, an empty, NaN or infinite
// cell, a non-numeric feature, a duplicate or missing column, an empty file
// or a file with only a header is an error, never a silently dropped row or
// an invented value. Two options relax it on request, and record what they
// did in Dataset.Encoding so that prediction reads its files the same way:
// CSVOptions.Categorical one-hot encodes a feature column of text (one
// feature per level, "color=red"; an unseen level in a later file read with
// that Encoding is an ErrUnknownLevel naming row, column and value), and
// CSVOptions.Missing drops the rows with a missing cell or fills the cell
// with the column's mean (most frequent level for text).
//
// # The training pipeline
//
// A typical run reads or loads a dataset, splits it, fits a Standardizer on
// the training rows only (fitting on all rows would leak the validation set
// into training), applies it to both sets, and stores it with the model so
// that prediction transforms its input the same way:
//
//	ds, err := data.ReadCSVFile("flowers.csv", data.CSVOptions{TargetNames: []string{"species"}})
//	train, valid, err := data.Split(ds, 0.2, rand.New(rand.NewPCG(1, 2)))
//	std, err := data.FitStandardizer(train.Features, train.Cols)
//	err = std.Transform(train.Features)
//	err = std.Transform(valid.Features)
//	y, err := data.OneHot(train.Labels, train.NumClasses())
//
// # Determinism
//
// The same input gives the same Dataset: classes are numbered in sorted order
// of their labels, not in order of appearance (see CSVOptions.ClassNames).
// Split draws only from the generator it is given, so the same seed gives the
// same split.
//
// # References
//
// R. A. Fisher, "The use of multiple measurements in taxonomic problems",
// Annals of Eugenics 7(2), 1936 (the iris data). RFC 4180, "Common Format and
// MIME Type for Comma-Separated Values (CSV) Files". D. Lemire, "Fast random
// integer generation in an interval", ACM TOMACS 29(1), 2019 (Split's bounded
// draws).
package data
