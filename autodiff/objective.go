package autodiff

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// An Objective is a loss made of one gorgonia graph per shard of a batch,
// together with the function that turns the shards' outputs into the
// extra value of each evaluation. FromObjective turns it into an
// Evaluator. *nn.Objective implements it; autodiff does not import nn,
// and nn does not import autodiff: the methods use gorgonia's types only.
type Objective interface {
	// NumShards returns the number of shards, at least 1 for an objective
	// that can be evaluated.
	NumShards() int
	// Shard returns the parts of shard i's graph, 0 <= i < NumShards():
	// the fields of the Graph FromObjective builds (Graph.Cost,
	// Graph.Params and Graph.Outputs). Each shard has a gorgonia graph of
	// its own, and the shards' parameter lists agree in number and sizes.
	Shard(i int) (cost *gorgonia.Node, params, outputs []*gorgonia.Node)
	// Metrics turns the values of the shards' outputs after an
	// evaluation into the extra value Evaluate returns: it is the
	// evaluator's Options.Extra, and its contract (outputs[s][i] is
	// output i of shard s; values to copy, not to keep) is Extra's.
	Metrics(outputs [][]gorgonia.Value) (any, error)
}

// FromObjective returns the Evaluator of obj's shards, with obj.Metrics as
// its extra value. It is NewSharded on one Graph per shard, in shard
// order, with Options{Extra: obj.Metrics}, and gives bit for bit the same
// evaluations; like NewSharded, it adds gradient and Read nodes to the
// shards' graphs, so build one Evaluator per objective. A nil objective or
// one without shards is an error wrapping ErrInvalidGraph, as is any
// shard NewSharded rejects (its errors call shard i graph i).
func FromObjective(obj Objective) (*Evaluator, error) {
	if obj == nil {
		return nil, fmt.Errorf("%w: nil Objective", ErrInvalidGraph)
	}
	n := obj.NumShards()
	if n < 1 {
		return nil, fmt.Errorf("%w: Objective has %d shards, want at least 1", ErrInvalidGraph, n)
	}
	graphs := make([]Graph, n)
	for i := range graphs {
		g := &graphs[i]
		g.Cost, g.Params, g.Outputs = obj.Shard(i)
	}
	return NewSharded(graphs, Options{Extra: obj.Metrics})
}
