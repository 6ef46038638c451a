package nn_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// pick returns the rows idx of the row-major matrix v of cols columns.
func pick(v []float64, cols int, idx []int) []float64 {
	var out []float64
	for _, r := range idx {
		out = append(out, v[r*cols:(r+1)*cols]...)
	}
	return out
}

// evalRows returns the loss and a new gradient of obj on rows at p (all
// rows when rows is nil).
func evalRows(tb testing.TB, obj *nn.Objective, rows []int, p []float64) (float64, []float64) {
	tb.Helper()
	g := make([]float64, len(p))
	var loss float64
	var err error
	if rows == nil {
		loss, _, err = obj.Evaluate(p, g)
	} else {
		loss, _, err = obj.EvaluateRows(rows, p, g)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return loss, g
}

// TestEvaluateRows: the loss on a set of rows is bit for bit the loss of
// an objective built on those rows alone; rows A, then B, then A again
// give identical results; all rows in order give the full batch's value.
func TestEvaluateRows(t *testing.T) {
	x, y, _ := iris(t)
	a := []int{5, 70, 140, 3, 99, 120, 0, 149} // rows of all three classes, unordered
	b := []int{1, 2, 3, 4, 60, 61, 62, 100, 101, 102, 130, 131}
	all := make([]int, 150)
	for i := range all {
		all[i] = i
	}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shards := range []int{0, 1, 3} {
			net := mustNet(t, 4, irisLayers(), dt, 2)
			opts := nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-3, Shards: shards}
			obj, err := net.NewObjective(x, y, opts)
			if err != nil {
				t.Fatal(err)
			}
			p := net.Flat()
			lossA, gA := evalRows(t, obj, a, p)
			lossB, _ := evalRows(t, obj, b, p)
			lossA2, gA2 := evalRows(t, obj, a, p)
			if math.Float64bits(lossA) != math.Float64bits(lossA2) || !slices.Equal(gA, gA2) {
				t.Errorf("%v, shards %d: rows A, B, A: %v then %v", dt, shards, lossA, lossA2)
			}
			if lossA == lossB {
				t.Errorf("%v, shards %d: rows A and B give the same loss %v", dt, shards, lossA)
			}
			// the same rows as a batch of their own
			sopts := opts
			sopts.Shards = min(shards, len(a))
			sub, err := net.NewObjective(pick(x, 4, a), pick(y, 3, a), sopts)
			if err != nil {
				t.Fatal(err)
			}
			want, gWant := evalRows(t, sub, nil, p)
			if math.Float64bits(lossA) != math.Float64bits(want) || !slices.Equal(gA, gWant) {
				t.Errorf("%v, shards %d: rows A give %v, the batch of those rows %v", dt, shards, lossA, want)
			}
			// every row, in order: the full batch
			lossAll, gAll := evalRows(t, obj, all, p)
			lossFull, gFull := evalRows(t, obj, nil, p)
			if math.Float64bits(lossAll) != math.Float64bits(lossFull) || !slices.Equal(gAll, gFull) {
				t.Errorf("%v, shards %d: all rows give %v, Evaluate %v", dt, shards, lossAll, lossFull)
			}
		}
	}
}

// TestEvaluateRowsRepeats: a row listed twice counts twice, as in a
// batch holding it twice.
func TestEvaluateRowsRepeats(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: 1})
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{7, 7, 80}
	sub, err := net.NewObjective(pick(x, 4, rows), pick(y, 3, rows), nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := evalRows(t, obj, rows, net.Params())
	want, _ := evalRows(t, sub, nil, net.Params())
	if got != want {
		t.Errorf("rows %v: loss %v, want %v", rows, got, want)
	}
}

// TestGraphCache: one set of graphs per number of rows, at most MaxGraphs
// of them besides the full batch's, and an evicted size is rebuilt with
// the same results.
func TestGraphCache(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, MaxGraphs: 2})
	if err != nil {
		t.Fatal(err)
	}
	p := net.Params()
	first, _ := evalRows(t, obj, []int{1, 2}, p)
	for k := 1; k <= 10; k++ {
		evalRows(t, obj, []int{3, 4, 5, 6, 7, 8, 9, 10, 11, 12}[:k], p)
		evalRows(t, obj, []int{9, 8, 7, 6, 5, 4, 3, 2, 1, 0}[:k], p) // same size: no new graph
		if got := obj.NumGraphs(); got > 3 {
			t.Fatalf("after %d sizes: %d graph sets, want at most 3", k, got)
		}
	}
	if again, _ := evalRows(t, obj, []int{1, 2}, p); again != first {
		t.Errorf("rows {1, 2} after eviction: %v, want %v", again, first)
	}
}

func TestEvaluateRowsErrors(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	p, g := net.Flat(), make([]float64, net.NumLearnables())
	for _, rows := range [][]int{nil, {}, {-1}, {0, 150}} {
		if _, _, err := obj.EvaluateRows(rows, p, g); !errors.Is(err, nn.ErrShape) {
			t.Errorf("EvaluateRows(%v): %v, want ErrShape", rows, err)
		}
	}
	if _, _, err := obj.EvaluateRows([]int{0}, p[:3], g); err == nil {
		t.Error("EvaluateRows with a short x: no error")
	}
	var zero *nn.Objective
	if _, _, err := zero.Evaluate(p, g); err == nil {
		t.Error("nil Objective: no error")
	}
	if _, _, err := (&nn.Objective{}).EvaluateRows([]int{0}, p, g); err == nil {
		t.Error("zero Objective: no error")
	}
	if _, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, MaxGraphs: -1}); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("MaxGraphs -1: %v, want ErrInvalidOption", err)
	}
}

// TestMetricsOnRequest: without ObjectiveOptions.Metrics the extra value
// is nil; with it, an nn.Metrics of the rows evaluated.
func TestMetricsOnRequest(t *testing.T) {
	x, y, labels := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	plain, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, net.NumLearnables())
	if _, extra, _ := plain.Evaluate(net.Params(), g); extra != nil {
		t.Errorf("extra = %v without Metrics, want nil", extra)
	}
	withM, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Metrics: true})
	if err != nil {
		t.Fatal(err)
	}
	rows := []int{0, 1, 2, 50, 51, 100}
	_, extra, err := withM.EvaluateRows(rows, net.Params(), g)
	if err != nil {
		t.Fatal(err)
	}
	got, _, _ := net.Classify(pick(x, 4, rows))
	hits := 0
	for i, r := range rows {
		if got[i] == labels[r] {
			hits++
		}
	}
	if m := extra.(nn.Metrics); m.Accuracy != float64(hits)/float64(len(rows)) {
		t.Errorf("accuracy on the rows %v, Classify gives %d of %d", m.Accuracy, hits, len(rows))
	}
}

// TestLoss: Loss and LossRows return, bit for bit, the losses Evaluate
// and EvaluateRows return at the same point, with and without L2, in
// float64 and float32, on one shard and several; evaluations in between
// do not change them.
func TestLoss(t *testing.T) {
	x, y, _ := iris(t)
	rows := []int{5, 70, 140, 3, 99, 120, 0, 149}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shards := range []int{1, 3} {
			net := mustNet(t, 4, irisLayers(), dt, 2)
			obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-3, Shards: shards})
			if err != nil {
				t.Fatal(err)
			}
			p1 := net.Flat()
			p2 := slices.Clone(p1)
			for i := range p2 {
				p2[i] += 0.01 * float64(i%7)
			}
			for _, p := range [][]float64{p1, p2, p1} {
				want, _ := evalRows(t, obj, nil, p)
				got, err := obj.Loss(p)
				if err != nil || math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%v, %d shards: Loss = %v, %v; Evaluate's loss %v", dt, shards, got, err, want)
				}
				want, _ = evalRows(t, obj, rows, p)
				got, err = obj.LossRows(rows, p)
				if err != nil || math.Float64bits(got) != math.Float64bits(want) {
					t.Errorf("%v, %d shards: LossRows = %v, %v; EvaluateRows's loss %v", dt, shards, got, err, want)
				}
			}
		}
	}
}

func TestLossErrors(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	obj, err := net.NewObjective(x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	if err != nil {
		t.Fatal(err)
	}
	p := net.Flat()
	for _, tt := range []struct {
		name string
		rows []int
	}{{"empty", []int{}}, {"negative", []int{0, -1}}, {"beyond the batch", []int{150}}} {
		if _, err := obj.LossRows(tt.rows, p); !errors.Is(err, nn.ErrShape) {
			t.Errorf("LossRows, %s rows: error %v, want ErrShape", tt.name, err)
		}
	}
	if _, err := obj.Loss(p[1:]); err == nil {
		t.Error("Loss with a short x: no error")
	}
	var zero *nn.Objective
	if _, err := zero.Loss(p); !errors.Is(err, nn.ErrInvalidOption) {
		t.Errorf("nil Objective: error %v, want ErrInvalidOption", err)
	}
}
