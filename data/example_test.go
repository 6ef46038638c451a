package data_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/data"
)

func ExampleIris() {
	ds := data.Iris()
	fmt.Println(ds.Rows, "rows of", ds.FeatureNames)
	fmt.Println("classes:", ds.ClassNames)
	fmt.Println("row 0:", ds.Features[0:ds.Cols], "label", ds.Labels[0], ds.ClassNames[ds.Labels[0]])
	// Output:
	// 150 rows of [sepal_length sepal_width petal_length petal_width]
	// classes: [setosa versicolor virginica]
	// row 0: [5.1 3.5 1.4 0.2] label 0 setosa
}

func ExampleReadCSV() {
	const file = `height,weight,size
1.2, 30, small
1.9, 80, large
1.5, 50, medium
`
	ds, err := data.ReadCSV(strings.NewReader(file), data.CSVOptions{TargetNames: []string{"size"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Task, ds.Rows, "rows,", ds.Cols, "features:", ds.FeatureNames)
	fmt.Println("features:", ds.Features)
	fmt.Println("classes (sorted):", ds.ClassNames)
	fmt.Println("labels:", ds.Labels)
	// Output:
	// classification 3 rows, 2 features: [height weight]
	// features: [1.2 30 1.9 80 1.5 50]
	// classes (sorted): [large medium small]
	// labels: [2 0 1]
}

func ExampleReadCSV_regression() {
	const file = "t,y,z\n0,1.5,-1\n1,2.5,-2\n"
	ds, err := data.ReadCSV(strings.NewReader(file), data.CSVOptions{
		Task:        data.Regression,
		TargetNames: []string{"y", "z"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("features", ds.FeatureNames, ds.Features)
	fmt.Println("targets", ds.TargetNames, ds.Targets)
	// Output:
	// features [t] [0 1]
	// targets [y z] [1.5 -1 2.5 -2]
}

func ExampleReadCSV_prediction() {
	// A file to predict on: the model's features, by name and in the
	// model's order, whatever the file's column order; other columns are
	// skipped.
	const file = "id,b,a\nr1,20,1\nr2,40,3\n"
	ds, err := data.ReadCSV(strings.NewReader(file), data.CSVOptions{FeatureNames: []string{"a", "b"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%q %v %v\n", ds.Task, ds.FeatureNames, ds.Features)
	// Output:
	// "" [a b] [1 20 3 40]
}

func ExampleReadCSVFile() {
	ds, err := data.ReadCSVFile("testdata/flowers.csv", data.CSVOptions{TargetColumns: []int{data.LastColumn}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.Rows, "rows, target", ds.TargetNames, "classes", ds.ClassNames)

	_, err = data.ReadCSVFile("testdata/ragged.csv", data.CSVOptions{TargetNames: []string{"c"}})
	fmt.Println(err)
	// Output:
	// 6 rows, target [species] classes [setosa versicolor virginica]
	// data: testdata/ragged.csv: line 3: wrong number of fields: found 2 fields, want 3 as in the header
}

func ExampleParseError() {
	const file = "a,b,label\n1,2,x\n3,n/a,y\n"
	_, err := data.ReadCSV(strings.NewReader(file), data.CSVOptions{TargetNames: []string{"label"}})
	fmt.Println(err)

	var pe *data.ParseError
	if errors.As(err, &pe) {
		fmt.Println("line", pe.Line, "column", pe.Column, pe.Name, "found", pe.Found)
	}
	fmt.Println("not a number:", errors.Is(err, data.ErrNotNumber))
	// Output:
	// data: line 3, column 2 (b): not a number: found "n/a"
	// line 3 column 2 b found "n/a"
	// not a number: true
}

func ExampleFitStandardizer() {
	// Two columns; the second is constant, so its scale is 1 and it maps to 0.
	train := []float64{
		1, 7,
		3, 7,
	}
	std, err := data.FitStandardizer(train, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("mean", std.Mean, "scale", std.Scale)

	if err := std.Transform(train); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("train", train)

	// Stored with the model as JSON, and read back for prediction.
	stored, _ := json.Marshal(std)
	fmt.Println(string(stored))
	var loaded data.Standardizer
	if err := json.Unmarshal(stored, &loaded); err != nil {
		fmt.Println(err)
		return
	}
	input := []float64{5, 7}
	if err := loaded.Transform(input); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("input", input)
	// Output:
	// mean [2 7] scale [1 1]
	// train [-1 0 1 0]
	// {"mean":[2,7],"scale":[1,1]}
	// input [3 0]
}

func ExampleStandardizer_InverseTransform() {
	// Regression targets are standardised for training; predictions come
	// back in standard units and are mapped to the target's units.
	std := &data.Standardizer{Mean: []float64{100}, Scale: []float64{15}}
	predictions := []float64{-1, 0, 2}
	if err := std.InverseTransform(predictions); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(predictions)
	// Output:
	// [85 100 130]
}

func ExampleOneHot() {
	y, err := data.OneHot([]int{2, 0}, 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(y[0:3], y[3:6])
	// Output:
	// [0 0 1] [1 0 0]
}

func ExampleSplit() {
	ds := data.Iris()
	train, valid, err := data.Split(ds, 0.2, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	perClass := make([]int, valid.NumClasses())
	for _, l := range valid.Labels {
		perClass[l]++
	}
	fmt.Println(train.Rows, "training rows,", valid.Rows, "validation rows, per class", perClass)

	_, _, err = data.Split(ds, 1.5, rand.New(rand.NewPCG(1, 2)))
	fmt.Println(err)
	// Output:
	// 120 training rows, 30 validation rows, per class [10 10 10]
	// data: invalid option: Split: validation fraction 1.5 (valid: 0 < fraction < 1)
}

func ExampleParseTask() {
	task, err := data.ParseTask("regression")
	fmt.Println(task, err)
	_, err = data.ParseTask("clustering")
	fmt.Println(err)
	// Output:
	// regression <nil>
	// data: invalid option: task "clustering" (valid: "classification" or "regression")
}

func ExampleEncoding() {
	const train = "size,color,label\n1,red,a\n2,blue,b\nNA,red,a\n"
	ds, err := data.ReadCSV(strings.NewReader(train), data.CSVOptions{
		TargetNames: []string{"label"}, Categorical: true, Missing: data.MissingMean,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ds.FeatureNames)
	fmt.Println(ds.Features[2*ds.Cols:]) // the NA took the mean of 1 and 2

	// Prediction reads its file with the training encoding.
	const later = "color,size\nred,4\ngreen,5\n"
	_, err = data.ReadCSV(strings.NewReader(later), data.CSVOptions{Encoding: ds.Encoding})
	fmt.Println(err)
	// Output:
	// [size color=blue color=red]
	// [1.5 0 1]
	// data: line 3, column 1 (color): unknown level: found "green" in data row 2, want one of blue, red
}
