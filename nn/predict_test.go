package nn_test

import (
	"errors"
	"math"
	"slices"
	"sync"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

func TestPredict(t *testing.T) {
	x, _, _ := iris(t)
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		t.Run(dt.String(), func(t *testing.T) {
			net := mustNet(t, 4, irisLayers(), dt, 1)
			all, err := net.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			if len(all) != 150*3 {
				t.Fatalf("%d outputs, want 450", len(all))
			}
			// float32 probabilities sum to 1 within a few units of 6e-8.
			tol := map[tensor.Dtype]float64{tensor.Float64: 1e-12, tensor.Float32: 1e-6}[dt]
			for i := range 150 {
				s := all[3*i] + all[3*i+1] + all[3*i+2]
				if math.Abs(s-1) > tol {
					t.Fatalf("row %d: probabilities sum to %v", i, s)
				}
			}
			// Any batch size, the same rows give the same outputs: one row,
			// then 7 rows, then all again (the graph is rebuilt each time).
			for _, rows := range []int{1, 7, 147} {
				part, err := net.Predict(x[4*3 : 4*(3+rows)])
				if err != nil {
					t.Fatal(err)
				}
				for i, v := range part {
					if relDiff(v, all[3*3+i], 1e-300) > tol {
						t.Fatalf("%d rows: output %d = %v, in the full batch %v", rows, i, v, all[3*3+i])
					}
				}
			}
		})
	}
}

// TestPredictAnyBatchSize trains on the 150 iris rows, then predicts one
// row and a batch four times larger than the training batch: every row's
// probabilities sum to 1 and equal those of the training batch's rows to
// rounding (1e-12 relative, as TestPredict).
func TestPredictAnyBatchSize(t *testing.T) {
	x, y, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	ev, _ := evaluator(t, net, x, y, nn.ObjectiveOptions{Loss: nn.CrossEntropy})
	p := net.Flat()
	g := make([]float64, len(p))
	for range 5 { // a few gradient steps, so the outputs are not the initial ones
		if _, _, err := ev.Evaluate(p, g); err != nil {
			t.Fatal(err)
		}
		for i := range p {
			p[i] -= 0.5 * g[i]
		}
	}
	if err := net.SetFlatLearnables(p); err != nil {
		t.Fatal(err)
	}
	want, err := net.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		x     []float64
		first int // iris row of the first row of x
	}{
		{"first row", x[:4], 0},
		{"last row", x[4*149:], 149},
		{"600 rows", slices.Concat(x, x, x, x), 0},
	}
	for _, tt := range tests {
		got, err := net.Predict(tt.x)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tt.x)/4*3 {
			t.Fatalf("%s: %d outputs, want %d", tt.name, len(got), len(tt.x)/4*3)
		}
		for i := 0; i < len(got); i += 3 {
			if s := got[i] + got[i+1] + got[i+2]; math.Abs(s-1) > 1e-12 {
				t.Fatalf("%s: row %d sums to %v", tt.name, i/3, s)
			}
			row := (tt.first + i/3) % 150
			for k := range 3 {
				if relDiff(got[i+k], want[3*row+k], 1e-300) > 1e-12 { // the BLAS may block rows differently
					t.Fatalf("%s: output %d = %v, in the training batch %v", tt.name, i+k, got[i+k], want[3*row+k])
				}
			}
		}
	}
}

func TestPredictFollowsLearnables(t *testing.T) {
	x, _, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	before, _ := net.Predict(x)
	other := mustNet(t, 4, irisLayers(), tensor.Float64, 2)
	if err := net.SetFlatLearnables(other.Flat()); err != nil {
		t.Fatal(err)
	}
	after, _ := net.Predict(x)
	want, _ := other.Predict(x)
	for i := range after {
		if after[i] != want[i] {
			t.Fatalf("after SetFlatLearnables output %d = %v, want %v (before: %v)", i, after[i], want[i], before[i])
		}
	}
}

func TestPredictErrors(t *testing.T) {
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	net32 := mustNet(t, 4, irisLayers(), tensor.Float32, 1)
	for _, n := range []int{0, 3, 5} {
		if _, err := net.Predict(make([]float64, n)); !errors.Is(err, nn.ErrShape) {
			t.Errorf("Predict(len %d): %v, want ErrShape", n, err)
		}
		if _, _, err := net.Classify(make([]float64, n)); !errors.Is(err, nn.ErrShape) {
			t.Errorf("Classify(len %d): %v, want ErrShape", n, err)
		}
	}
	tests := []struct {
		name string
		net  *nn.Network
		bad  float64
	}{
		{"NaN", net, math.NaN()},
		{"Inf", net, math.Inf(-1)},
		{"NaN float32", net32, math.NaN()},
		// 1e39 exceeds float32's largest value, 3.4e38: it would become +Inf.
		{"beyond float32", net32, 1e39},
	}
	for _, tt := range tests {
		x := []float64{0, 1, 2, 3, 4, 5, tt.bad, 7}
		if _, err := tt.net.Predict(x); !errors.Is(err, nn.ErrNonFinite) {
			t.Errorf("%s: Predict: %v, want ErrNonFinite", tt.name, err)
		}
		if _, _, err := tt.net.Classify(x); !errors.Is(err, nn.ErrNonFinite) {
			t.Errorf("%s: Classify: %v, want ErrNonFinite", tt.name, err)
		}
	}
}

func TestClassify(t *testing.T) {
	// Two outputs: weights pick x0 and x1, so the label is the larger
	// feature; one output after a sigmoid: the label is x0 > 0.
	two := mustNet(t, 2, []nn.Layer{nn.FullyConnected{OutputSize: 2}, nn.Softmax{}}, tensor.Float64, 1)
	if err := two.SetFlatLearnables([]float64{1, 0, 0, 1, 0, 0}); err != nil {
		t.Fatal(err)
	}
	labels, _, err := two.Classify([]float64{1, 2, 3, -1, 0.5, 0.5})
	if err != nil || labels[0] != 1 || labels[1] != 0 || labels[2] != 0 {
		t.Errorf("two outputs: labels %v, %v; want [1 0 0] (ties to the first)", labels, err)
	}
	one := mustNet(t, 1, []nn.Layer{nn.FullyConnected{OutputSize: 1}, nn.Sigmoid{}}, tensor.Float64, 1)
	if err := one.SetFlatLearnables([]float64{1, 0}); err != nil {
		t.Fatal(err)
	}
	labels, probs, err := one.Classify([]float64{-2, 3})
	if err != nil || labels[0] != 0 || labels[1] != 1 || probs[1] <= 0.5 {
		t.Errorf("one output: labels %v, outputs %v, %v; want [0 1]", labels, probs, err)
	}
	// One output after a softmax (a single class): its output is always 1,
	// and the label is that class, 0 — not "1 because 1 > 0.5".
	single := mustNet(t, 1, []nn.Layer{nn.FullyConnected{OutputSize: 1}, nn.Softmax{}}, tensor.Float64, 1)
	labels, probs, err = single.Classify([]float64{-2, 3})
	if err != nil || labels[0] != 0 || labels[1] != 0 || probs[0] != 1 {
		t.Errorf("one softmax output: labels %v, outputs %v, %v; want [0 0] with outputs 1", labels, probs, err)
	}
}

func TestPredictConcurrent(t *testing.T) {
	x, _, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	want, err := net.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for g := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rows := 150 - 10*g // different sizes force rebuilds
			got, err := net.Predict(x[:4*rows])
			if err == nil {
				for i, v := range got {
					if relDiff(v, want[i], 1e-300) > 1e-12 {
						err = errors.New("outputs differ")
						break
					}
				}
			}
			errs[g] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Error(err)
	}
}
