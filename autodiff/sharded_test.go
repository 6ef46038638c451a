package autodiff_test

import (
	"errors"
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
