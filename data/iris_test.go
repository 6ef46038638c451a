package data

import (
	"bytes"
	"reflect"
	"testing"
)

func TestIris(t *testing.T) {
	ds := Iris()
	if err := ds.Validate(); err != nil {
		t.Fatal(err)
	}
	// Fisher's data: 150 flowers, 4 measurements, 50 of each of 3 species.
	if ds.Task != Classification || ds.Rows != 150 || ds.Cols != 4 {
		t.Fatalf("Task %q, %d×%d; want classification, 150×4", ds.Task, ds.Rows, ds.Cols)
	}
	if want := []string{"sepal_length", "sepal_width", "petal_length", "petal_width"}; !reflect.DeepEqual(ds.FeatureNames, want) {
		t.Errorf("FeatureNames %v, want %v", ds.FeatureNames, want)
	}
	if want := []string{"setosa", "versicolor", "virginica"}; !reflect.DeepEqual(ds.ClassNames, want) {
		t.Errorf("ClassNames %v, want %v", ds.ClassNames, want)
	}
	if got := classCounts(ds); !reflect.DeepEqual(got, []int{50, 50, 50}) {
		t.Errorf("class counts %v, want [50 50 50]", got)
	}
	// First and last rows of the file (UCI iris.data, rows 1 and 150).
	if got, want := ds.Features[:4], []float64{5.1, 3.5, 1.4, 0.2}; !reflect.DeepEqual(got, want) {
		t.Errorf("row 0 = %v, want %v", got, want)
	}
	if got, want := ds.Features[149*4:], []float64{5.9, 3.0, 5.1, 1.8}; !reflect.DeepEqual(got, want) {
		t.Errorf("row 149 = %v, want %v", got, want)
	}
	if ds.Labels[0] != 0 || ds.Labels[50] != 1 || ds.Labels[149] != 2 {
		t.Errorf("labels of rows 0, 50, 149 = %d, %d, %d; want 0, 1, 2", ds.Labels[0], ds.Labels[50], ds.Labels[149])
	}
}

func TestIrisReturnsCopies(t *testing.T) {
	a := Iris()
	a.Features[0], a.Labels[0], a.ClassNames[0] = -1, 2, "changed"
	b := Iris()
	if b.Features[0] != 5.1 || b.Labels[0] != 0 || b.ClassNames[0] != "setosa" {
		t.Errorf("changing one copy changed the next: %v %d %q", b.Features[0], b.Labels[0], b.ClassNames[0])
	}
	raw := IrisCSV()
	raw[0] = 'X'
	if !bytes.HasPrefix(IrisCSV(), []byte("sepal_length,sepal_width,petal_length,petal_width,species\n")) {
		t.Errorf("IrisCSV does not start with the header, or a caller changed it")
	}
}
