package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/lbfgsnet/lbfgsnet/autodiff"
)

// A plan evaluates the objective on a fixed number of rows: one graph per
// shard and the evaluator that runs them. The full batch's plan binds
// views of the batch's rows; a subset plan owns buffers the rows are
// gathered into.
type plan struct {
	shards []shard
	ev     *autodiff.Evaluator
	used   uint64 // Objective.useCount at its last use
}

// shard is one graph of a plan: its rows' data values.
type shard struct {
	rows    int
	x, t, w *tensor.Dense // bound to the graph's X, T and W nodes (t, w may be nil)
}

// newPlan builds the graphs for total rows: on views of the batch's rows
// when views is set (the full batch, total == o.rows), else on buffers of
// their own.
func (o *Objective) newPlan(total int, views bool) (p *plan, err error) {
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, graphPanic("objective", r)
		}
	}()
	n := o.net
	k := o.opts.Shards
	if k == 0 {
		k = AutoShards(total, n.size)
	}
	k = min(k, total)
	if n.hasStatistics() {
		k = 1 // batch statistics are those of all the rows evaluated
	}
	p = &plan{}
	graphs := make([]autodiff.Graph, k)
	for s := range k {
		first, last := s*total/k, (s+1)*total/k
		sh := shard{rows: last - first}
		if views {
			sh.x = rowsView(o.x, first, last)
			if o.t != nil {
				sh.t = rowsView(o.t, first, last)
			}
			if o.w != nil {
				sh.w = rowsView(o.w, first, last)
			}
		} else {
			sh.x = tensor.New(tensor.Of(n.dtype), tensor.WithShape(sh.rows, n.inputSize))
			if o.t != nil {
				sh.t = tensor.New(tensor.Of(n.dtype), tensor.WithShape(sh.rows, o.tcols))
			}
			if o.w != nil {
				sh.w = tensor.New(tensor.Of(n.dtype), tensor.WithShape(sh.rows, 1))
			}
		}
		// Each shard has learnable tensors of its own: gorgonia's ops may
		// mark an input transposed while they run, and shards run in
		// parallel.
		if graphs[s], err = o.graph(sh, total, n.cloneTensors(), s == 0); err != nil {
			return nil, err
		}
		p.shards = append(p.shards, sh)
	}
	var aopts autodiff.Options
	if o.opts.Metrics {
		aopts.Extra = o.metrics
	}
	if p.ev, err = autodiff.NewSharded(graphs, aopts); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrGraph, err)
	}
	return p, nil
}

// rowsView returns rows [first, last) of the matrix m as a matrix sharing
// m's values.
func rowsView(m *tensor.Dense, first, last int) *tensor.Dense {
	cols := m.Shape()[1]
	if m.Dtype() == tensor.Float64 {
		return tensor.New(tensor.WithShape(last-first, cols), tensor.WithBacking(m.Float64s()[first*cols:last*cols]))
	}
	return tensor.New(tensor.WithShape(last-first, cols), tensor.WithBacking(m.Float32s()[first*cols:last*cols]))
}

// gatherRows copies rows idx of src into dst, in order.
func gatherRows(dst, src *tensor.Dense, idx []int) {
	cols := src.Shape()[1]
	if src.Dtype() == tensor.Float64 {
		gather(dst.Float64s(), src.Float64s(), idx, cols)
	} else {
		gather(dst.Float32s(), src.Float32s(), idx, cols)
	}
}

func gather[T float](dst, src []T, idx []int, cols int) {
	if cols == 1 { // one value a row (a regression's input or target, a row weight): no copy call per value
		dst = dst[:len(idx)]
		for i, r := range idx {
			dst[i] = src[r]
		}
		return
	}
	for i, r := range idx {
		copy(dst[i*cols:(i+1)*cols], src[r*cols:(r+1)*cols])
	}
}

// graph builds the graph of one shard of an evaluation of total rows: the
// network on the shard's X, the loss against T divided by total, and
// the L2 term when withL2.
func (o *Objective) graph(sh shard, total int, ts []*tensor.Dense, withL2 bool) (autodiff.Graph, error) {
	n := o.net
	g := gorgonia.NewGraph()
	xn := gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(sh.rows, n.inputSize), gorgonia.WithName("X"), gorgonia.WithValue(sh.x))
	var tn *gorgonia.Node
	if sh.t != nil {
		tn = gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(sh.rows, o.tcols), gorgonia.WithName("T"), gorgonia.WithValue(sh.t))
	}
	var wn *gorgonia.Node
	if sh.w != nil {
		wn = gorgonia.NewMatrix(g, n.dtype, gorgonia.WithShape(sh.rows, 1), gorgonia.WithName("W"), gorgonia.WithValue(sh.w))
	}
	ps := n.learnableNodes(g, ts)
	var cost, scores *gorgonia.Node
	var err error
	if o.opts.Cost != nil {
		cost, err = o.customCost(BatchNodes{X: xn, T: tn, W: wn, Rows: sh.rows, TotalRows: total}, ps)
	} else {
		cost, scores, err = o.builtinCost(xn, tn, wn, ps, total)
	}
	if err != nil {
		return autodiff.Graph{}, err
	}
	if withL2 && o.opts.L2 > 0 {
		if cost, err = n.addL2(cost, ps, o.opts.L2); err != nil {
			return autodiff.Graph{}, err
		}
	}
	ag := autodiff.Graph{Cost: cost, Params: ps}
	if o.opts.Metrics {
		ag.Outputs = []*gorgonia.Node{scores, tn}
	}
	return ag, nil
}

// builtinCost returns the Loss of the network's scores on X against T
// and the scores: the logits for CrossEntropy and BinaryCrossEntropy, the
// output for MeanSquaredError.
func (o *Objective) builtinCost(xn, tn, wn *gorgonia.Node, ps []*gorgonia.Node, total int) (cost, scores *gorgonia.Node, err error) {
	n := o.net
	end := len(n.layers)
	if !o.opts.Loss.regression() {
		end = n.logitsEnd()
	}
	scores = xn
	if end > 0 {
		outs, err := n.forwardFused(xn, ps, true, end)
		if err != nil {
			return nil, nil, err
		}
		scores = outs[end-1]
	}
	norm := float64(total)
	if o.opts.Loss.regression() {
		norm *= float64(o.tcols) // the mean over all entries
	}
	op := &lossOp{opBase: newOpBase(), spec: lossSpec{loss: o.opts.Loss, delta: o.opts.HuberDelta, classW: o.opts.ClassWeights}, norm: norm}
	args := []*gorgonia.Node{scores, tn}
	if wn != nil {
		op.weighted = true
		args = append(args, wn)
	}
	cost, err = gorgonia.ApplyOpWithName(op, "loss", args...)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: loss: %w", ErrGraph, err)
	}
	return cost, scores, nil
}

// customCost calls the Cost on the network applied to b.X, with the
// derivatives the options ask for.
func (o *Objective) customCost(b BatchNodes, ps []*gorgonia.Node) (*gorgonia.Node, error) {
	n, xn := o.net, b.X
	b.net = n
	if d := o.opts.Derivatives; len(d.First)+len(d.Second) > 0 {
		dn, err := n.ForwardDerivatives(xn, d, ps)
		if err != nil {
			return nil, err
		}
		b.Derivatives = dn
		b.Forward = ForwardNodes{Input: xn, Output: dn.Output, Logits: dn.Output, Learnables: ps}
	} else {
		outs, err := n.forward(xn, ps, true, true, len(n.layers))
		if err != nil {
			return nil, err
		}
		b.Forward = ForwardNodes{Input: xn, Output: outs[len(outs)-1], Logits: outs[len(outs)-1], Layers: outs, Learnables: ps}
		if end := n.logitsEnd(); end < len(n.layers) {
			b.Forward.Logits = xn
			if end > 0 {
				b.Forward.Logits = outs[end-1]
			}
		}
	}
	cost, err := o.opts.Cost(b)
	if err != nil {
		return nil, fmt.Errorf("nn: Cost: %w", err)
	}
	if cost == nil || !cost.IsScalar() || cost.Dtype() != n.dtype || cost.Graph() != xn.Graph() {
		return nil, fmt.Errorf("%w: Cost returned %s, want a %v scalar in the batch's graph", ErrGraph, describe(cost), n.dtype)
	}
	return cost, nil
}

// addL2 returns cost + (λ/2) Σ ‖p‖² over the learnables marked L2.
func (n *Network) addL2(cost *gorgonia.Node, ps []*gorgonia.Node, lambda float64) (*gorgonia.Node, error) {
	var ws gorgonia.Nodes
	var dims []int
	for i := range n.params {
		if n.params[i].spec.L2 {
			ws = append(ws, ps[i])
			dims = append(dims, len(n.params[i].spec.Shape))
		}
	}
	if len(ws) == 0 {
		return cost, nil
	}
	l2, err := gorgonia.ApplyOpWithName(&l2Op{opBase: newOpBase(), lambda: lambda, dims: dims}, "l2", ws...)
	if err == nil {
		cost, err = gorgonia.Add(cost, l2)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: L2 term: %w", ErrGraph, err)
	}
	return cost, nil
}
