package data

import (
	"bytes"
	_ "embed"
	"sync"
)

// irisCSV is Fisher's iris data (R. A. Fisher, 1936; UCI Machine Learning
// Repository): 150 flowers, 50 of each of three species, four measurements
// in centimetres.
//
//go:embed iris.csv
var irisCSV []byte

// irisTarget is the label column of iris.csv.
const irisTarget = "species"

var (
	irisOnce    sync.Once
	irisDataset *Dataset
	irisErr     error
)

// Iris returns Fisher's iris data, embedded in the package: 150 rows, the
// features sepal_length, sepal_width, petal_length and petal_width (cm), and
// the classes setosa, versicolor and virginica (labels 0, 1, 2), 50 rows
// each, in the file's order (by species). It is the data of MATLAB's
// iris_dataset, used by its lbfgsupdate example.
//
// Each call returns a fresh copy, which the caller may standardise in place.
func Iris() *Dataset {
	irisOnce.Do(func() {
		irisDataset, irisErr = ReadCSV(bytes.NewReader(irisCSV), CSVOptions{TargetNames: []string{irisTarget}})
	})
	if irisErr != nil {
		// The embedded file is fixed at build time and read by the tests, so
		// this is a broken build, not a bad input.
		panic("data: embedded iris.csv: " + irisErr.Error())
	}
	return irisDataset.Clone()
}

// IrisCSV returns a copy of the embedded iris.csv text: a header
// "sepal_length,sepal_width,petal_length,petal_width,species" and 150 rows.
// It is the file Iris reads, for trying ReadCSV or writing a sample file.
func IrisCSV() []byte { return bytes.Clone(irisCSV) }
