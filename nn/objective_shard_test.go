package nn_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
	"github.com/lbfgsnet/lbfgsnet/nn"
)

// *nn.Objective is an autodiff.Objective without either package
// importing the other.
var _ autodiff.Objective = (*nn.Objective)(nil)

func TestObjectiveShardAccessors(t *testing.T) {
	x, tg, _ := iris(t)
	net := mustNet(t, 4, irisLayers(), tensor.Float64, 1)
	obj, err := net.NewObjective(x, tg, nn.ObjectiveOptions{Loss: nn.CrossEntropy, Shards: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := obj.NumShards(); got != 3 {
		t.Fatalf("NumShards = %d, want 3", got)
	}
	for i, sh := range obj.Shards {
		cost, learnables, outputs := obj.Shard(i)
		if cost != sh.Cost || !slices.Equal(learnables, sh.Learnables) || !slices.Equal(outputs, sh.Outputs) {
			t.Errorf("Shard(%d) = %v, %v, %v; want the fields of Shards[%d]", i, cost, learnables, outputs, i)
		}
	}
	var nilObj *nn.Objective
	tests := []struct {
		name string
		obj  *nn.Objective
		i    int
	}{
		{"negative index", obj, -1},
		{"index past the end", obj, 3},
		{"nil objective", nilObj, 0},
		{"zero objective", &nn.Objective{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cost, learnables, outputs := tt.obj.Shard(tt.i)
			if cost != nil || learnables != nil || outputs != nil {
				t.Errorf("Shard(%d) = %v, %v, %v; want nils", tt.i, cost, learnables, outputs)
			}
		})
	}
	if got := nilObj.NumShards(); got != 0 {
		t.Errorf("nil Objective: NumShards = %d, want 0", got)
	}
	if _, err := nilObj.Metrics(nil); !errors.Is(err, nn.ErrShape) {
		t.Errorf("nil Objective: Metrics: %v, want ErrShape", err)
	}
	if _, err := autodiff.FromObjective(nilObj); !errors.Is(err, autodiff.ErrInvalidGraph) {
		t.Errorf("FromObjective(nil *Objective): %v, want ErrInvalidGraph", err)
	}
}

// TestFromObjectiveMatchesManual: autodiff.FromObjective on an objective
// evaluates bit for bit as the evaluator built by hand from its shards,
// with Metrics as the extra output, at x1, x2 and x1 again.
func TestFromObjectiveMatchesManual(t *testing.T) {
	x, tg, _ := iris(t)
	// Seed 7 and L2 = 1e-3 are arbitrary: a non-zero L2 term puts a
	// second term into shard 0's cost; x2 = x1/2 is a second point.
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shards := range []int{1, 2, 3} {
			net := mustNet(t, 4, irisLayers(), dt, 7)
			opts := nn.ObjectiveOptions{Loss: nn.CrossEntropy, L2: 1e-3, Shards: shards}
			objWant, err := net.NewObjective(x, tg, opts)
			if err != nil {
				t.Fatal(err)
			}
			graphs := make([]autodiff.Graph, len(objWant.Shards))
			for i, sh := range objWant.Shards {
				graphs[i] = autodiff.Graph{Cost: sh.Cost, Params: sh.Learnables, Outputs: sh.Outputs}
			}
			want, err := autodiff.NewSharded(graphs, autodiff.Options{Extra: objWant.Metrics})
			if err != nil {
				t.Fatal(err)
			}
			objGot, err := net.NewObjective(x, tg, opts)
			if err != nil {
				t.Fatal(err)
			}
			got, err := autodiff.FromObjective(objGot)
			if err != nil {
				t.Fatal(err)
			}
			x1 := net.Flat()
			x2 := slices.Clone(x1)
			for i := range x2 {
				x2[i] *= 0.5
			}
			for k, p := range [][]float64{x1, x2, x1} {
				gGot, gWant := make([]float64, len(p)), make([]float64, len(p))
				lGot, eGot, err := got.Evaluate(p, gGot)
				if err != nil {
					t.Fatal(err)
				}
				lWant, eWant, err := want.Evaluate(p, gWant)
				if err != nil {
					t.Fatal(err)
				}
				if math.Float64bits(lGot) != math.Float64bits(lWant) {
					t.Errorf("%v, %d shards, point %d: loss = %v, want %v", dt, shards, k, lGot, lWant)
				}
				if !slices.Equal(gGot, gWant) {
					t.Errorf("%v, %d shards, point %d: gradients differ", dt, shards, k)
				}
				mGot, mWant := eGot.(nn.Metrics), eWant.(nn.Metrics)
				if math.Float64bits(mGot.Accuracy) != math.Float64bits(mWant.Accuracy) || math.Float64bits(mGot.RMSE) != math.Float64bits(mWant.RMSE) {
					t.Errorf("%v, %d shards, point %d: extra = %v, want %v", dt, shards, k, eGot, eWant)
				}
			}
		}
	}
}
