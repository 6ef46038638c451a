package autodiff

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// machine evaluates one Graph: its gradient nodes and the program that
// computes the cost, the gradients and the outputs, built once.
type machine struct {
	params  []*gorgonia.Node
	sizes   []int // floats per parameter
	grads   []*gorgonia.Node
	cost    *gorgonia.Node
	outputs []*gorgonia.Node
	outs    []gorgonia.Value // the outputs' values after each run
	prog    *Program
	costOf  *Program // the cost alone; built by the first Loss
	loss    float64
	err     error
}

// newMachine validates g, adds its gradient nodes and builds the program
// that runs it. shard numbers g in error messages.
func newMachine(g Graph, shard int) (m *machine, err error) {
	defer recoverAs(&err, ErrInvalidGraph, "build", shard)
	sizes, err := checkGraph(g)
	if err != nil {
		return nil, fmt.Errorf("%w: graph %d: %w", ErrInvalidGraph, shard, err)
	}
	grads, err := gorgonia.Grad(g.Cost, g.Params...)
	if err != nil {
		return nil, fmt.Errorf("%w: graph %d: differentiate: %w", ErrInvalidGraph, shard, err)
	}
	if len(grads) != len(g.Params) {
		return nil, fmt.Errorf("%w: graph %d: gorgonia.Grad returned %d gradients for %d parameters", ErrInvalidGraph, shard, len(grads), len(g.Params))
	}
	for i, gn := range grads {
		if gn == nil {
			return nil, fmt.Errorf("%w: graph %d: no gradient for parameter %d (%s)", ErrInvalidGraph, shard, i, g.Params[i].Name())
		}
	}
	m = &machine{params: g.Params, sizes: sizes, grads: grads, cost: g.Cost, outputs: g.Outputs, outs: make([]gorgonia.Value, len(g.Outputs))}
	results := append(append([]*gorgonia.Node{g.Cost}, grads...), g.Outputs...)
	if m.prog, err = newProgram(g.Cost.Graph(), results); err != nil {
		return nil, fmt.Errorf("%w: graph %d: %w", ErrInvalidGraph, shard, err)
	}
	return m, nil
}

// checkGraph validates g and returns the size of each parameter.
func checkGraph(g Graph) ([]int, error) {
	if g.Cost == nil || g.Cost.Graph() == nil {
		return nil, fmt.Errorf("nil cost, or cost in no graph")
	}
	if !g.Cost.IsScalar() {
		return nil, fmt.Errorf("cost %s has shape %v, want a scalar", g.Cost.Name(), g.Cost.Shape())
	}
	if dt := g.Cost.Dtype(); dt != gorgonia.Float64 && dt != gorgonia.Float32 {
		return nil, fmt.Errorf("cost has dtype %v, want float64 or float32", dt)
	}
	if len(g.Params) == 0 {
		return nil, fmt.Errorf("no parameters")
	}
	sizes := make([]int, len(g.Params))
	seen := make(map[*gorgonia.Node]int, len(g.Params))
	for i, p := range g.Params {
		if p == nil || p.Graph() != g.Cost.Graph() {
			return nil, fmt.Errorf("parameter %d is nil or not in the cost's graph", i)
		}
		if j, dup := seen[p]; dup {
			return nil, fmt.Errorf("parameters %d and %d are the same node %s", j, i, p.Name())
		}
		seen[p] = i
		if !p.IsVar() {
			return nil, fmt.Errorf("parameter %d (%s) is not an input node", i, p.Name())
		}
		n, err := valueSize(p.Value())
		if err != nil {
			return nil, fmt.Errorf("parameter %d (%s): %w", i, p.Name(), err)
		}
		sizes[i] = n
	}
	for i, o := range g.Outputs {
		if o == nil || o.Graph() != g.Cost.Graph() {
			return nil, fmt.Errorf("output %d is nil or not in the cost's graph", i)
		}
	}
	return sizes, nil
}

// setParams writes x into the parameters' values. Graphs may share
// parameter values (package nn's shards do), so the evaluator sets every
// graph's parameters before it runs any graph.
func (m *machine) setParams(x []float64, shard int) (err error) {
	defer recoverAs(&err, ErrRun, "set parameters", shard)
	off := 0
	for i, p := range m.params {
		if err := writeValue(p.Value(), x[off:off+m.sizes[i]]); err != nil {
			return fmt.Errorf("%w: graph %d: set parameter %d (%s): %w", ErrRun, shard, i, p.Name(), err)
		}
		off += m.sizes[i]
	}
	return nil
}

// buildLoss builds the program of the cost alone, once.
func (m *machine) buildLoss(shard int) (err error) {
	if m.costOf != nil {
		return nil
	}
	defer recoverAs(&err, ErrInvalidGraph, "build", shard)
	if m.costOf, err = newProgram(m.cost.Graph(), []*gorgonia.Node{m.cost}); err != nil {
		return fmt.Errorf("%w: graph %d: %w", ErrInvalidGraph, shard, err)
	}
	return nil
}

// eval runs the graph and writes the gradient into grad; the loss is left
// in m.loss. With grad nil it runs the cost alone (buildLoss first) and
// leaves the outputs as they were. A panic on this goroutine becomes an
// error wrapping ErrRun.
func (m *machine) eval(grad []float64, shard int) (err error) {
	defer recoverAs(&err, ErrRun, "run", shard)
	if grad == nil {
		if err := m.costOf.run(); err != nil {
			return fmt.Errorf("%w: graph %d: %w", ErrRun, shard, err)
		}
		if m.loss, err = scalarOf(m.costOf.result(0)); err != nil {
			return fmt.Errorf("%w: graph %d: read cost: %w", ErrRun, shard, err)
		}
		return nil
	}
	if err := m.prog.run(); err != nil {
		return fmt.Errorf("%w: graph %d: %w", ErrRun, shard, err)
	}
	for i := range m.outputs {
		m.outs[i] = m.prog.result(1 + len(m.grads) + i)
	}
	if m.loss, err = scalarOf(m.prog.result(0)); err != nil {
		return fmt.Errorf("%w: graph %d: read cost: %w", ErrRun, shard, err)
	}
	off := 0
	for i := range m.grads {
		if err := readValue(m.prog.result(1+i), grad[off:off+m.sizes[i]], false); err != nil {
			return fmt.Errorf("%w: graph %d: read gradient of parameter %d (%s): %w", ErrRun, shard, i, m.params[i].Name(), err)
		}
		off += m.sizes[i]
	}
	return nil
}

// recoverAs turns a panic into an error wrapping sentinel; use as
// defer recoverAs(&err, sentinel, "what was done", shard). The message is
// formatted only after a panic, so the deferred call allocates nothing.
func recoverAs(err *error, sentinel error, what string, shard int) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: graph %d: %s: gorgonia panicked: %v", sentinel, shard, what, r)
	}
}
