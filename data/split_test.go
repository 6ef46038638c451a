package data

import (
	"errors"
	"math"
	randv1 "math/rand"
	"math/rand/v2"
	"reflect"
	"testing"
)

func TestSplitIrisStratified(t *testing.T) {
	ds := Iris()
	train, valid, err := Split(ds, 0.2, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	// 0.2 × 150 = 30 validation rows, 0.2 × 50 = 10 per class exactly.
	if train.Rows != 120 || valid.Rows != 30 {
		t.Fatalf("rows %d + %d, want 120 + 30", train.Rows, valid.Rows)
	}
	for name, d := range map[string]*Dataset{"train": train, "validation": valid} {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(d.ClassNames, ds.ClassNames) || !reflect.DeepEqual(d.FeatureNames, ds.FeatureNames) {
			t.Errorf("%s: names changed", name)
		}
	}
	if got := classCounts(valid); !reflect.DeepEqual(got, []int{10, 10, 10}) {
		t.Errorf("validation class counts %v, want [10 10 10]", got)
	}
	checkPartition(t, ds, train, valid)
}

// classCounts returns the number of rows of each class.
func classCounts(d *Dataset) []int {
	n := make([]int, len(d.ClassNames))
	for _, l := range d.Labels {
		n[l]++
	}
	return n
}

// checkPartition checks that every row of ds is in exactly one of the two
// sets, with its label, and that each set keeps the order of ds. Iris rows
// are not all distinct, so rows are matched in order, not by value.
func checkPartition(t *testing.T, ds, a, b *Dataset) {
	t.Helper()
	if a.Rows+b.Rows != ds.Rows {
		t.Fatalf("%d + %d rows, want %d", a.Rows, b.Rows, ds.Rows)
	}
	ia, ib := 0, 0
	for r := 0; r < ds.Rows; r++ {
		row := ds.Features[r*ds.Cols : (r+1)*ds.Cols]
		switch {
		case ia < a.Rows && sameRow(ds, r, a, ia):
			ia++
		case ib < b.Rows && sameRow(ds, r, b, ib):
			ib++
		default:
			t.Fatalf("row %d %v is in neither set at its place", r, row)
		}
	}
}

func sameRow(ds *Dataset, r int, d *Dataset, i int) bool {
	if !reflect.DeepEqual(ds.Features[r*ds.Cols:(r+1)*ds.Cols], d.Features[i*d.Cols:(i+1)*d.Cols]) {
		return false
	}
	switch ds.Task {
	case Classification:
		return ds.Labels[r] == d.Labels[i]
	case Regression:
		n := len(ds.TargetNames)
		return reflect.DeepEqual(ds.Targets[r*n:(r+1)*n], d.Targets[i*n:(i+1)*n])
	}
	return true
}

func TestSplitDeterministic(t *testing.T) {
	ds := Iris()
	a1, b1, err := Split(ds, 0.3, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	a2, b2, err := Split(ds, 0.3, rand.New(rand.NewPCG(7, 7)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a1, a2) || !reflect.DeepEqual(b1, b2) {
		t.Errorf("same seed gave different splits")
	}
	a3, _, err := Split(ds, 0.3, rand.New(rand.NewPCG(8, 7)))
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(a1.Features, a3.Features) {
		t.Errorf("different seeds gave the same split")
	}
	// math/rand (v1) generators work too, and the same seed repeats.
	v1a, _, err := Split(ds, 0.3, randv1.New(randv1.NewSource(3)))
	if err != nil {
		t.Fatal(err)
	}
	v1b, _, err := Split(ds, 0.3, randv1.New(randv1.NewSource(3)))
	if err != nil || !reflect.DeepEqual(v1a, v1b) {
		t.Errorf("math/rand: same seed gave different splits (%v)", err)
	}
}

func TestSplitAllocation(t *testing.T) {
	tests := []struct {
		name   string
		counts []int // rows per class
		f      float64
		want   []int // validation rows per class
	}{
		// round(0.5·10) = 5; floors 2, 1, 1; fractional parts .5, .5, 0: the
		// tie goes to the lower class.
		{"largest remainder, tie to lower class", []int{5, 3, 2}, 0.5, []int{3, 1, 1}},
		// A class of one row keeps it for training: round(0.5·5) = 3 wanted,
		// floors 2, 0; class 1 has the larger fractional part but is capped
		// at 0, so the remaining row goes to class 0.
		{"singleton class stays in training", []int{4, 1}, 0.5, []int{3, 0}},
		// round(0.25·12) = 3; floors 1, 1, 1.
		{"exact quotas", []int{4, 4, 4}, 0.25, []int{1, 1, 1}},
		// An absent class (count 0) gets nothing.
		{"empty class", []int{6, 0, 4}, 0.5, []int{3, 0, 2}},
		// round(0.9·3) = 3, but each class keeps one training row.
		{"large fraction capped", []int{2, 1}, 0.9, []int{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := datasetWithCounts(tt.counts)
			train, valid, err := Split(ds, tt.f, rand.New(rand.NewPCG(1, 1)))
			if err != nil {
				t.Fatal(err)
			}
			if got := classCounts(valid); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("validation counts %v, want %v", got, tt.want)
			}
			checkPartition(t, ds, train, valid)
		})
	}
}

// datasetWithCounts returns a one-feature classification dataset with
// counts[k] rows of class k, feature value = row index.
func datasetWithCounts(counts []int) *Dataset {
	d := &Dataset{Task: Classification, Cols: 1, FeatureNames: []string{"i"}, TargetNames: []string{"c"}}
	for k, n := range counts {
		d.ClassNames = append(d.ClassNames, string(rune('a'+k)))
		for range n {
			d.Features = append(d.Features, float64(d.Rows))
			d.Labels = append(d.Labels, k)
			d.Rows++
		}
	}
	return d
}

func TestSplitRegression(t *testing.T) {
	ds := smallRegression()
	train, valid, err := Split(ds, 0.4, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// round(0.4·3) = 1.
	if valid.Rows != 1 || train.Rows != 2 {
		t.Errorf("rows %d + %d, want 2 + 1", train.Rows, valid.Rows)
	}
	checkPartition(t, ds, train, valid)
}

func TestSplitErrors(t *testing.T) {
	iris := Iris()
	var nilRand *rand.Rand
	var nilRandV1 *randv1.Rand
	tests := []struct {
		name string
		ds   *Dataset
		f    float64
		rng  Source
		want error
	}{
		{"zero fraction", iris, 0, rand.New(rand.NewPCG(1, 1)), ErrInvalidOption},
		{"whole", iris, 1, rand.New(rand.NewPCG(1, 1)), ErrInvalidOption},
		{"negative", iris, -0.1, rand.New(rand.NewPCG(1, 1)), ErrInvalidOption},
		{"above one", iris, 1.5, rand.New(rand.NewPCG(1, 1)), ErrInvalidOption},
		{"NaN", iris, math.NaN(), rand.New(rand.NewPCG(1, 1)), ErrInvalidOption},
		{"nil source", iris, 0.2, nil, ErrInvalidOption},
		{"typed nil source", iris, 0.2, nilRand, ErrInvalidOption},
		{"typed nil math/rand source", iris, 0.2, nilRandV1, ErrInvalidOption},
		// round(0.001·150) = 0 rows.
		{"no validation row", iris, 0.001, rand.New(rand.NewPCG(1, 1)), ErrTooFewRows},
		{"one row only", datasetWithCounts([]int{1}), 0.5, rand.New(rand.NewPCG(1, 1)), ErrTooFewRows},
		{"invalid dataset", &Dataset{Task: Classification}, 0.2, rand.New(rand.NewPCG(1, 1)), ErrInvalidDataset},
		{"nil dataset", nil, 0.2, rand.New(rand.NewPCG(1, 1)), ErrInvalidDataset},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			train, valid, err := Split(tt.ds, tt.f, tt.rng)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if train != nil || valid != nil {
				t.Errorf("got datasets with the error")
			}
		})
	}
}

// countingSource returns 0, 1, 2, … scaled to spread over the uint64 range.
type countingSource struct{ n uint64 }

func (c *countingSource) Uint64() uint64 {
	c.n++
	return c.n * 0x9E3779B97F4A7C15 // 2^64 / golden ratio: a full-period step
}

func TestUintn(t *testing.T) {
	src := &countingSource{}
	for _, n := range []uint64{1, 2, 3, 7, 1 << 40, math.MaxUint64} {
		for range 1000 {
			if v := uintn(src, n); v >= n {
				t.Fatalf("uintn(%d) = %d", n, v)
			}
		}
	}
	// Every value of a small range is reached.
	seen := make([]bool, 5)
	rng := rand.New(rand.NewPCG(1, 1))
	for range 200 {
		seen[uintn(rng, 5)] = true
	}
	for v, ok := range seen {
		if !ok {
			t.Errorf("uintn(5) never returned %d in 200 draws", v)
		}
	}
}
