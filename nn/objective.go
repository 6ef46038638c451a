package nn

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// ObjectiveOptions configures NewObjective.
type ObjectiveOptions struct {
	// Loss is the data term. Required: CrossEntropy (network ending in
	// Softmax), BinaryCrossEntropy (ending in Sigmoid) or MeanSquaredError.
	Loss Loss
	// L2 is λ in the regularisation term (λ/2) Σ ‖W‖² over the Weights of
	// every FullyConnected layer (biases are not regularised), added to
	// the loss. Default 0 (none); valid: finite, >= 0.
	L2 float64
	// Shards is the number of row blocks the batch is split into, each
	// evaluated on its own graph (and by autodiff on its own tape machine,
	// in parallel). Default 0: AutoShards picks; valid: 0 to the number of
	// rows.
	Shards int
}

// An Objective is the training loss of a network on a fixed batch, as
// gorgonia graphs ready for autodiff: one graph per shard of rows. Its
// methods NumShards, Shard and Metrics make it an autodiff.Objective, so
// autodiff.FromObjective(obj) returns its loss closure. The
// loss is the sum of the shards' costs: each shard's data term is divided
// by the number of rows of the whole batch, and the L2 term belongs to
// shard 0 only. The learnable nodes of all shards share one set of
// tensors, initialised from the network's values when the Objective is
// built and independent of the network afterwards (copy the solver's
// result back with SetFlatLearnables).
type Objective struct {
	// Shards are the graphs, in row order.
	Shards []ObjectiveShard

	loss    Loss
	cols    int       // output width
	targets []float64 // rows × cols, for Metrics
}

// NumShards returns the number of shards, len(o.Shards); 0 for a nil
// Objective.
func (o *Objective) NumShards() int {
	if o == nil {
		return 0
	}
	return len(o.Shards)
}

// Shard returns the cost, the learnables and the outputs of shard i (the
// fields of o.Shards[i], not copies), or nils when o is nil or i is not
// in [0, NumShards()).
func (o *Objective) Shard(i int) (cost *gorgonia.Node, learnables, outputs []*gorgonia.Node) {
	if o == nil || i < 0 || i >= len(o.Shards) {
		return nil, nil, nil
	}
	sh := o.Shards[i]
	return sh.Cost, sh.Learnables, sh.Outputs
}

// ObjectiveShard is the graph of one block of rows.
type ObjectiveShard struct {
	// Graph holds the nodes below.
	Graph *gorgonia.ExprGraph
	// Cost is the scalar cost of this shard.
	Cost *gorgonia.Node
	// Learnables are the learnable nodes, in Learnables order.
	Learnables []*gorgonia.Node
	// Outputs holds one node: the network's scores for the shard's rows,
	// the logits for CrossEntropy and BinaryCrossEntropy, the output for
	// MeanSquaredError. Objective.Metrics reads it.
	Outputs []*gorgonia.Node
	// FirstRow and Rows locate the shard's rows in the batch.
	FirstRow, Rows int
}

// NewObjective builds the loss of the network on the batch x (rows ×
// InputSize, row-major) with targets t (rows × OutputSize, row-major:
// one-hot rows for CrossEntropy, as data.OneHot gives). x and t are
// copied (converted to the network's dtype). A value that is not finite,
// or beyond float32's range for a float32 network, is an error wrapping
// ErrNonFinite.
func (n *Network) NewObjective(x, t []float64, opts ObjectiveOptions) (obj *Objective, err error) {
	defer func() {
		if r := recover(); r != nil {
			obj, err = nil, graphPanic("objective", r)
		}
	}()
	if err := n.valid(); err != nil {
		return nil, err
	}
	rows, err := n.checkBatch(x, t)
	if err != nil {
		return nil, err
	}
	end, err := n.checkObjective(opts, rows)
	if err != nil {
		return nil, err
	}
	shards := opts.Shards
	if shards == 0 {
		shards = AutoShards(rows, n.size)
	}
	obj = &Objective{loss: opts.Loss, cols: n.OutputSize(), targets: append([]float64(nil), t...)}
	ts := n.cloneTensors()
	for s := range shards {
		first, last := s*rows/shards, (s+1)*rows/shards
		sh, err := n.shard(x, t, first, last, rows, end, ts, opts, s == 0)
		if err != nil {
			return nil, err
		}
		obj.Shards = append(obj.Shards, sh)
	}
	return obj, nil
}

// AutoShards is the number of shards NewObjective uses when
// ObjectiveOptions.Shards is 0, for a batch of rows observations and a
// network of learnables values: 2 when rows × learnables (about the
// multiply-adds of a forward pass) reaches ShardThreshold, else 1. It
// depends on the problem only, not on the machine, so that the same
// inputs give bit-identical results everywhere. Measured on the project's
// two-core machine (docs/benchmarks.md), two shards were faster than one
// at all three benchmark sizes, by 5 to 10% at 150×4-32-32-3 (2·10⁵),
// about 35% at 1797×64-128-10 (1.7·10⁷) and 10 to 25% at
// 10000×784-256-10 (2·10⁹), when the second core was not busy with other
// work. Set ObjectiveOptions.Shards to use more cores.
func AutoShards(rows, learnables int) int {
	if rows >= 2 && float64(rows)*float64(learnables) >= ShardThreshold {
		return 2
	}
	return 1
}

// ShardThreshold is the rows × learnables from which AutoShards splits a
// batch in two: below it an evaluation takes some 100 µs or less, and the
// goroutines' cost is no longer small beside it.
const ShardThreshold = 1e5

// checkBatch validates x and t and returns the number of rows.
func (n *Network) checkBatch(x, t []float64) (int, error) {
	if len(x) == 0 || len(x)%n.inputSize != 0 {
		return 0, fmt.Errorf("%w: len(x) = %d is not a positive multiple of InputSize %d", ErrShape, len(x), n.inputSize)
	}
	rows := len(x) / n.inputSize
	if len(t) != rows*n.OutputSize() {
		return 0, fmt.Errorf("%w: len(t) = %d, want rows × OutputSize = %d × %d", ErrShape, len(t), rows, n.OutputSize())
	}
	if err := n.checkValues("x", x); err != nil {
		return 0, err
	}
	return rows, n.checkValues("t", t)
}

// checkObjective validates opts against the network and returns the
// number of layers the loss is computed after.
func (n *Network) checkObjective(opts ObjectiveOptions, rows int) (int, error) {
	if math.IsNaN(opts.L2) || math.IsInf(opts.L2, 0) || opts.L2 < 0 {
		return 0, fmt.Errorf("%w: L2 = %v (valid: finite, >= 0)", ErrInvalidOption, opts.L2)
	}
	if opts.Shards < 0 || opts.Shards > rows {
		return 0, fmt.Errorf("%w: Shards = %d (valid: 0 to the number of rows, %d)", ErrInvalidOption, opts.Shards, rows)
	}
	last := n.specs[len(n.specs)-1].Type
	switch opts.Loss {
	case CrossEntropy:
		if last != typeSoftmax {
			return 0, fmt.Errorf("%w: %v needs a network ending in a Softmax layer, this one ends in %q", ErrInvalidOption, opts.Loss, last)
		}
		return len(n.specs) - 1, nil
	case BinaryCrossEntropy:
		if last != typeSigmoid {
			return 0, fmt.Errorf("%w: %v needs a network ending in a Sigmoid layer, this one ends in %q", ErrInvalidOption, opts.Loss, last)
		}
		return len(n.specs) - 1, nil
	case MeanSquaredError:
		return len(n.specs), nil
	}
	return 0, fmt.Errorf("%w: Loss = %v (valid: CrossEntropy, BinaryCrossEntropy, MeanSquaredError)", ErrInvalidOption, opts.Loss)
}

// shard builds the graph of rows [first, last) of a batch of total rows.
func (n *Network) shard(x, t []float64, first, last, total, end int, ts []*tensor.Dense, opts ObjectiveOptions, withL2 bool) (ObjectiveShard, error) {
	g := gorgonia.NewGraph()
	in, out := n.inputSize, n.OutputSize()
	xs := n.matrix(g, "X", x[first*in:last*in], last-first, in)
	tn := n.matrix(g, "T", t[first*out:last*out], last-first, out)
	ps := n.learnableNodes(g, ts)
	z, err := n.forward(xs, ps, false, end)
	if err != nil {
		return ObjectiveShard{}, err
	}
	cost, err := gorgonia.ApplyOpWithName(&lossOp{opBase: newOpBase(), loss: opts.Loss, norm: float64(total)}, "loss", z, tn)
	if err != nil {
		return ObjectiveShard{}, fmt.Errorf("%w: loss: %w", ErrGraph, err)
	}
	if withL2 && opts.L2 > 0 {
		ws := make(gorgonia.Nodes, 0, len(ps)/2)
		for k := 0; k < len(ps); k += 2 {
			ws = append(ws, ps[k])
		}
		l2, err := gorgonia.ApplyOpWithName(&l2Op{opBase: newOpBase(), lambda: opts.L2, k: len(ws)}, "l2", ws...)
		if err == nil {
			cost, err = gorgonia.Add(cost, l2)
		}
		if err != nil {
			return ObjectiveShard{}, fmt.Errorf("%w: L2 term: %w", ErrGraph, err)
		}
	}
	return ObjectiveShard{Graph: g, Cost: cost, Learnables: ps, Outputs: []*gorgonia.Node{z}, FirstRow: first, Rows: last - first}, nil
}

// matrix returns an input node named name holding v (rows × cols),
// converted to the network's dtype.
func (n *Network) matrix(g *gorgonia.ExprGraph, name string, v []float64, rows, cols int) *gorgonia.Node {
	t := tensor.New(tensor.Of(n.dtype), tensor.WithShape(rows, cols))
	setFloats(t, v)
	return gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(rows, cols), gorgonia.WithName(name), gorgonia.WithValue(t))
}

// checkValues reports the first value of v that is NaN or infinite, or
// that a float32 network would round to an infinity (|v| > MaxFloat32).
func (n *Network) checkValues(name string, v []float64) error {
	limit := math.MaxFloat64
	if n.dtype == tensor.Float32 {
		limit = math.MaxFloat32
	}
	for i, e := range v {
		if !(math.Abs(e) <= limit) { // also true for NaN
			return fmt.Errorf("%w: %s[%d] = %v (valid: finite, |value| <= %g for a %v network)", ErrNonFinite, name, i, e, limit, n.dtype)
		}
	}
	return nil
}
