package autodiff

import (
	"fmt"
	"sync"

	"gorgonia.org/gorgonia"
)

// Graph is a gorgonia graph to evaluate: a scalar cost, the parameters
// it is minimised over, and optional outputs to report with each
// evaluation.
type Graph struct {
	// Cost is the scalar (float64 or float32) node to minimise.
	Cost *gorgonia.Node
	// Params are input nodes in Cost's graph, each bound to a value: a
	// *gorgonia.F64 or *gorgonia.F32 scalar or a contiguous float64 or
	// float32 *tensor.Dense. The flat vector x concatenates their values
	// in this order (tensors row-major). Evaluate writes x into these
	// values in place, so a parameter's value must not be rebound
	// (gorgonia.Let) to one of another size.
	Params []*gorgonia.Node
	// Outputs are nodes whose values each evaluation passes to
	// Options.Extra (predictions, accuracy, …).
	Outputs []*gorgonia.Node
}

// Options configures an Evaluator.
type Options struct {
	// Extra turns the values of the graphs' Outputs after an evaluation
	// into the extra value Evaluate returns (MATLAB's
	// AdditionalLossFunctionOutputs): outputs[s][i] is Output i of graph
	// s. The values are the evaluator's buffers, overwritten by the next
	// evaluation: Extra must copy what it keeps. Default nil: the extra
	// value is a [][]float64 with, for each output index i, the values of
	// Output i of every graph concatenated in graph order (nil when there
	// are no outputs).
	Extra func(outputs [][]gorgonia.Value) (any, error)
}

// An Evaluator is the loss closure of one or more gorgonia graphs: its
// Evaluate method sets the parameters to x, runs each graph, and returns
// the loss and the gradient. The graphs, their gradient nodes and the
// order their ops run in are built once, by New,
// NewSharded or FromObjective; every evaluation reuses them and depends
// only on x.
//
// Evaluate is safe for concurrent use; calls are serialised. A nil or
// zero Evaluator returns an error wrapping ErrInvalidGraph.
type Evaluator struct {
	mu       sync.Mutex
	machines []*machine
	n        int
	extra    func([][]gorgonia.Value) (any, error)
	outs     [][]gorgonia.Value // outs[s] is machines[s].outs
	scratch  [][]float64        // gradient of graph s > 0
}

// New returns the Evaluator of one graph. It adds the gradient nodes
// (gorgonia.Grad) to g's graph and orders the ops that compute the cost,
// the gradient and the outputs: build one Evaluator per graph.
func New(g Graph, opts Options) (*Evaluator, error) {
	return NewSharded([]Graph{g}, opts)
}

// NewSharded returns the Evaluator of several graphs that together make
// one loss: each graph usually holds the same model on a block (shard) of
// the rows of a batch. Evaluate runs the graphs in
// parallel goroutines and returns the sum of their costs and of their
// gradients, added in graph order, so the result is deterministic. All
// graphs take the same flat x: their parameter lists must agree in number
// and sizes. Graphs may share parameter values (one tensor bound to a
// parameter node of each graph): Evaluate then writes every graph's
// parameters before it starts any graph, and the graphs only read them;
// where no two graphs share a value, each graph's goroutine writes its own.
func NewSharded(graphs []Graph, opts Options) (*Evaluator, error) {
	if len(graphs) == 0 {
		return nil, fmt.Errorf("%w: no graphs", ErrInvalidGraph)
	}
	e := &Evaluator{extra: opts.Extra}
	seen := map[*gorgonia.ExprGraph]int{}
	for s, g := range graphs {
		if g.Cost != nil {
			if t, dup := seen[g.Cost.Graph()]; dup {
				return nil, fmt.Errorf("%w: graphs %d and %d are the same gorgonia graph (shards run concurrently and need their own)", ErrInvalidGraph, t, s)
			}
			seen[g.Cost.Graph()] = s
		}
		m, err := newMachine(g, s)
		if err != nil {
			return nil, err
		}
		n := 0
		for _, k := range m.sizes {
			n += k
		}
		if s > 0 {
			if err := sameSizes(e.machines[0].sizes, m.sizes); err != nil {
				return nil, fmt.Errorf("%w: graph %d: %w", ErrInvalidGraph, s, err)
			}
			if len(m.outs) != len(e.outs[0]) {
				return nil, fmt.Errorf("%w: graph %d has %d outputs, graph 0 has %d", ErrInvalidGraph, s, len(m.outs), len(e.outs[0]))
			}
			e.scratch = append(e.scratch, make([]float64, n))
		}
		e.n = n
		e.machines = append(e.machines, m)
		e.outs = append(e.outs, m.outs)
	}
	return e, nil
}

func sameSizes(a, b []int) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d parameters, graph 0 has %d", len(b), len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			return fmt.Errorf("parameter %d has %d values, in graph 0 %d", i, b[i], a[i])
		}
	}
	return nil
}

// NumParams returns the length of the flat parameter vector x (0 for a
// nil Evaluator).
func (e *Evaluator) NumParams() int {
	if e == nil {
		return 0
	}
	return e.n
}

// Evaluate sets the parameters to x, writes ∇f(x) into grad and returns
// f(x) and the extra value (see Options.Extra). It has the signature of
// the solver's LossFunc: pass the method value e.Evaluate. A NaN or
// infinite loss or gradient is returned as computed, not as an error; an
// error means a wrong length of x or grad, or a failure inside gorgonia
// (wrapping ErrRun), after which grad holds no meaningful values. Neither
// x nor grad is kept.
func (e *Evaluator) Evaluate(x, grad []float64) (loss float64, extra any, err error) {
	if e == nil || len(e.machines) == 0 {
		return 0, nil, fmt.Errorf("%w: nil or zero Evaluator (create it with New, NewSharded or FromObjective)", ErrInvalidGraph)
	}
	if len(x) != e.n || len(grad) != e.n {
		return 0, nil, fmt.Errorf("%w: len(x) = %d, len(grad) = %d, want %d", ErrDimension, len(x), len(grad), e.n)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.run(x, grad); err != nil {
		return 0, nil, err
	}
	loss = e.machines[0].loss
	for s, m := range e.machines[1:] {
		loss += m.loss
		g := e.scratch[s]
		for i := range grad {
			grad[i] += g[i]
		}
	}
	if extra, err = e.extraValue(); err != nil {
		return 0, nil, err
	}
	return loss, extra, nil
}

// Loss sets the parameters to x and returns f(x) alone: only the ops the
// cost depends on run, not the gradient's, which saves about half the
// work of Evaluate (for a loss to report or monitor rather than
// minimise). The loss is bit-identical to the one Evaluate returns at x.
// Errors are as Evaluate's.
func (e *Evaluator) Loss(x []float64) (float64, error) {
	if e == nil || len(e.machines) == 0 {
		return 0, fmt.Errorf("%w: nil or zero Evaluator (create it with New, NewSharded or FromObjective)", ErrInvalidGraph)
	}
	if len(x) != e.n {
		return 0, fmt.Errorf("%w: len(x) = %d, want %d", ErrDimension, len(x), e.n)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for s, m := range e.machines {
		if err := m.buildLoss(s); err != nil {
			return 0, err
		}
	}
	if err := e.run(x, nil); err != nil {
		return 0, err
	}
	loss := 0.0
	for _, m := range e.machines {
		loss += m.loss
	}
	return loss, nil
}

// run sets every graph's parameters to x, then evaluates the graphs in
// parallel, graph 0 into grad and graph s > 0 into scratch[s-1] (with
// grad nil, the losses alone), and returns the first error in graph
// order.
func (e *Evaluator) run(x, grad []float64) error {
	// Graphs with parameter values of their own (package nn's shards)
	// set them in parallel, each on its own goroutine; shared values are
	// all set first.
	own := e.ownParams()
	if !own {
		for s, m := range e.machines {
			if err := m.setParams(x, s); err != nil {
				return err
			}
		}
	}
	run := func(m *machine, g []float64, s int) error {
		if own {
			if err := m.setParams(x, s); err != nil {
				return err
			}
		}
		return m.eval(g, s)
	}
	m0 := e.machines[0]
	if len(e.machines) == 1 {
		return run(m0, grad, 0)
	}
	var wg sync.WaitGroup
	for s, m := range e.machines[1:] {
		wg.Add(1)
		g := e.scratch[s]
		if grad == nil {
			g = nil
		}
		go func() {
			defer wg.Done()
			m.err = run(m, g, s+1)
		}()
	}
	m0.err = run(m0, grad, 0)
	wg.Wait()
	for _, m := range e.machines {
		if m.err != nil {
			return m.err
		}
	}
	return nil
}

// ownParams reports whether no two graphs share a parameter value now
// (values may have been rebound since New).
func (e *Evaluator) ownParams() bool {
	for s, m := range e.machines {
		for _, o := range e.machines[:s] {
			for _, p := range m.params {
				v := p.Value()
				for _, q := range o.params {
					if q.Value() == v {
						return false
					}
				}
			}
		}
	}
	return true
}

// extraValue returns the extra value of the last evaluation.
func (e *Evaluator) extraValue() (any, error) {
	if e.extra != nil {
		v, err := e.extra(e.outs)
		if err != nil {
			return nil, fmt.Errorf("autodiff: extra outputs: %w", err)
		}
		return v, nil
	}
	if len(e.outs[0]) == 0 {
		return nil, nil
	}
	out := make([][]float64, len(e.outs[0]))
	for i := range out {
		for s, vals := range e.outs {
			v, err := toFloat64s(vals[i])
			if err != nil {
				return nil, fmt.Errorf("%w: graph %d: output %d: %w", ErrRun, s, i, err)
			}
			out[i] = append(out[i], v...)
		}
	}
	return out, nil
}
