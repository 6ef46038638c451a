package autodiff_test

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// TestLossMatchesEvaluate: Loss returns Evaluate's loss bit for bit, on
// one graph and on shards, in float64 and float32, before and after
// evaluations at other points.
func TestLossMatchesEvaluate(t *testing.T) {
	points := [][]float64{{1.5, 0.7, 0.8}, {2, 0.5, 1}, {-1, 2, 3}}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		for _, shards := range []int{1, 3} {
			var graphs []autodiff.Graph
			n := len(curveT)
			for s := range shards {
				lo, hi := s*n/shards, (s+1)*n/shards
				graphs = append(graphs, curveGraph(t, curveT[lo:hi], curveY[lo:hi], dt))
			}
			ev, err := autodiff.NewSharded(graphs, autodiff.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range points {
				loss, err := ev.Loss(x)
				if err != nil {
					t.Fatal(err)
				}
				want, _, err := ev.Evaluate(x, make([]float64, 3))
				if err != nil {
					t.Fatal(err)
				}
				if math.Float64bits(loss) != math.Float64bits(want) {
					t.Errorf("%v, %d shards, x = %v: Loss = %v, Evaluate's loss %v", dt, shards, x, loss, want)
				}
			}
		}
	}
}

func TestLossErrors(t *testing.T) {
	ev, err := autodiff.New(curveGraph(t, curveT, curveY, tensor.Float64), autodiff.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ev.Loss([]float64{1, 2}); !errors.Is(err, autodiff.ErrDimension) {
		t.Errorf("Loss with 2 of 3 parameters: error %v, want ErrDimension", err)
	}
	var zero *autodiff.Evaluator
	if _, err := zero.Loss([]float64{1, 2, 3}); !errors.Is(err, autodiff.ErrInvalidGraph) {
		t.Errorf("nil Evaluator: error %v, want ErrInvalidGraph", err)
	}
}
