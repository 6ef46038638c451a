package autodiff_test

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// shardedCurve is the curve-fit cost split into shards of samples, each
// a graph of its own.
func shardedCurve(tb testing.TB, shards int) []autodiff.Graph {
	tb.Helper()
	var graphs []autodiff.Graph
	n := len(curveT)
	for s := range shards {
		lo, hi := s*n/shards, (s+1)*n/shards
		graphs = append(graphs, curveGraph(tb, curveT[lo:hi], curveY[lo:hi], tensor.Float64))
	}
	return graphs
}

// TestExtraError: the error of Options.Extra reaches the caller of
// Evaluate.
func TestExtraError(t *testing.T) {
	bad := errors.New("metrics failed")
	extra := func([][]gorgonia.Value) (any, error) { return nil, bad }
	ev, err := autodiff.NewSharded(shardedCurve(t, 2), autodiff.Options{Extra: extra})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ev.Evaluate([]float64{2, 0.5, 1}, make([]float64, 3))
	if !errors.Is(err, bad) {
		t.Errorf("Evaluate: %v, want the Extra error", err)
	}
}

// TestShardedSharedValues: graphs whose parameters are bound to the same
// values (set once, before any graph runs) and graphs with values of
// their own (set on each graph's goroutine) give the closed-form loss and
// gradient; run with -race, it also checks that no value is written while
// another graph reads it.
func TestShardedSharedValues(t *testing.T) {
	for _, shared := range []bool{false, true} {
		graphs := shardedCurve(t, 3)
		if shared {
			for _, g := range graphs[1:] {
				for i, p := range g.Params {
					if err := gorgonia.Let(p, graphs[0].Params[i].Value()); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		ev, err := autodiff.NewSharded(graphs, autodiff.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range [][]float64{{2, 0.5, 1}, {1.5, 0.3, -0.2}} {
			grad := make([]float64, 3)
			loss, _, err := ev.Evaluate(x, grad)
			if err != nil {
				t.Fatal(err)
			}
			wantLoss, wantGrad := curveLossGrad(x, curveT, curveY)
			if math.Abs(loss-wantLoss) > 1e-12*max(1, math.Abs(wantLoss)) {
				t.Errorf("shared %t, x %v: loss %v, want %v", shared, x, loss, wantLoss)
			}
			for i := range grad {
				if math.Abs(grad[i]-wantGrad[i]) > 1e-10*max(1, math.Abs(wantGrad[i])) {
					t.Errorf("shared %t, x %v: grad[%d] %v, want %v", shared, x, i, grad[i], wantGrad[i])
				}
			}
		}
	}
}
