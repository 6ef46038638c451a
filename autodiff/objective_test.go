package autodiff_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// shardedCurve is an autodiff.Objective: the curve-fit cost split into
// shards of samples, each its own graph. Its Metrics copies the shards'
// outputs (the predictions), concatenated in shard order, or returns
// metricsErr when that is set.
type shardedCurve struct {
	graphs     []autodiff.Graph
	metricsErr error
}

// newShardedCurve splits the curve samples into the given number of
// shards, each a fresh graph.
func newShardedCurve(tb testing.TB, shards int) *shardedCurve {
	tb.Helper()
	c := &shardedCurve{}
	n := len(curveT)
	for s := range shards {
		lo, hi := s*n/shards, (s+1)*n/shards
		c.graphs = append(c.graphs, curveGraph(tb, curveT[lo:hi], curveY[lo:hi], tensor.Float64))
	}
	return c
}

func (c *shardedCurve) NumShards() int {
	if c == nil {
		return 0
	}
	return len(c.graphs)
}

func (c *shardedCurve) Shard(i int) (cost *gorgonia.Node, params, outputs []*gorgonia.Node) {
	g := c.graphs[i]
	return g.Cost, g.Params, g.Outputs
}

func (c *shardedCurve) Metrics(outputs [][]gorgonia.Value) (any, error) {
	if c.metricsErr != nil {
		return nil, c.metricsErr
	}
	var pred []float64
	for _, out := range outputs {
		pred = append(pred, out[0].Data().([]float64)...)
	}
	return pred, nil
}

func TestFromObjectiveErrors(t *testing.T) {
	tests := []struct {
		name string
		obj  func() autodiff.Objective
	}{
		{"nil objective", func() autodiff.Objective { return nil }},
		{"nil pointer", func() autodiff.Objective { return (*shardedCurve)(nil) }},
		{"zero shards", func() autodiff.Objective { return &shardedCurve{} }},
		{"nil cost", func() autodiff.Objective {
			c := newShardedCurve(t, 2)
			c.graphs[1].Cost = nil
			return c
		}},
		{"different parameter counts", func() autodiff.Objective {
			c := newShardedCurve(t, 2)
			c.graphs[1].Params = c.graphs[1].Params[:2]
			return c
		}},
		{"different output counts", func() autodiff.Objective {
			c := newShardedCurve(t, 2)
			c.graphs[0].Outputs = nil
			return c
		}},
		{"same graph twice", func() autodiff.Objective {
			c := newShardedCurve(t, 1)
			c.graphs = append(c.graphs, c.graphs[0])
			return c
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := autodiff.FromObjective(tt.obj())
			if !errors.Is(err, autodiff.ErrInvalidGraph) || ev != nil {
				t.Errorf("FromObjective: %v, %v; want nil, ErrInvalidGraph", ev, err)
			}
		})
	}
}

// TestFromObjectiveMetricsError: the error of the objective's Metrics
// reaches the caller of Evaluate.
func TestFromObjectiveMetricsError(t *testing.T) {
	c := newShardedCurve(t, 2)
	c.metricsErr = errors.New("metrics failed")
	ev, err := autodiff.FromObjective(c)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ev.Evaluate([]float64{2, 0.5, 1}, make([]float64, 3))
	if !errors.Is(err, c.metricsErr) {
		t.Errorf("Evaluate: %v, want the Metrics error", err)
	}
}

// TestFromObjectiveMatchesNewSharded: FromObjective gives bit for bit the
// evaluations of NewSharded on the same shards with Options{Extra:
// obj.Metrics}, at x1, x2 and x1 again.
func TestFromObjectiveMatchesNewSharded(t *testing.T) {
	// x1 near the minimum (A, k, C) = (2, 0.5, 1) of curveGraph, x2 away.
	xs := [][]float64{{1.5, 0.7, 0.8}, {-3, 2, 0.1}, {1.5, 0.7, 0.8}}
	for _, shards := range []int{1, 2, 3} {
		manual := newShardedCurve(t, shards)
		want, err := autodiff.NewSharded(manual.graphs, autodiff.Options{Extra: manual.Metrics})
		if err != nil {
			t.Fatal(err)
		}
		got, err := autodiff.FromObjective(newShardedCurve(t, shards))
		if err != nil {
			t.Fatal(err)
		}
		if got.NumParams() != want.NumParams() {
			t.Fatalf("%d shards: NumParams = %d, want %d", shards, got.NumParams(), want.NumParams())
		}
		for k, x := range xs {
			gGot, gWant := make([]float64, 3), make([]float64, 3)
			lGot, eGot, err := got.Evaluate(x, gGot)
			if err != nil {
				t.Fatal(err)
			}
			lWant, eWant, err := want.Evaluate(x, gWant)
			if err != nil {
				t.Fatal(err)
			}
			if math.Float64bits(lGot) != math.Float64bits(lWant) {
				t.Errorf("%d shards, x%d: loss = %v, want %v", shards, k, lGot, lWant)
			}
			if !slices.Equal(gGot, gWant) {
				t.Errorf("%d shards, x%d: grad = %v, want %v", shards, k, gGot, gWant)
			}
			pGot, pWant := eGot.([]float64), eWant.([]float64)
			if len(pWant) != len(curveT) || !slices.Equal(pGot, pWant) {
				t.Errorf("%d shards, x%d: extra = %v, want %v (one prediction per sample)", shards, k, pGot, pWant)
			}
		}
	}
}
