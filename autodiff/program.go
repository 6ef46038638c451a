package autodiff

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// A Program runs the nodes of a gorgonia graph that some results depend
// on, in the order gorgonia's tape machine runs them (gorgonia.Sort,
// reversed: children before parents), on the calling goroutine: each op's
// Do on its children's values, the values kept in one slice indexed by
// position in the order. The tape machine does the same work through
// registers, allocation and free instructions, a goroutine of its own
// locked to an OS thread and channels, which cost more than a whole
// evaluation of a small network on a few rows; a Program allocates
// nothing of its own per run. An Evaluator runs its graphs with Programs;
// NewProgram serves graphs without a cost, such as a network's forward
// pass for predictions.
//
// Ops always run through Do: never in place on an input (the tape
// machine's UnsafeDo), so a value an op returns stays valid until that op
// runs again. Values are not bound to the nodes; read them with Value. A
// Program is not safe for concurrent use.
type Program struct {
	inputs  []input
	steps   []step
	vals    []gorgonia.Value
	at      map[*gorgonia.Node]int // position of each node run or read
	results []int                  // position of each result, in NewProgram's order
}

// input is a node whose value is bound rather than computed (a parameter,
// data, a constant): read at the start of each run, as it may have been
// rebound since the last.
type input struct {
	node *gorgonia.Node
	at   int
}

// step runs one op: vals[at] = op.Do(vals[args[0]], vals[args[1]], …).
type step struct {
	node *gorgonia.Node
	op   gorgonia.Op
	args []int
	argv []gorgonia.Value // reused for each call
	at   int
}

// NewProgram returns the Program computing results, nodes of one graph.
// A node the results do not depend on is not run. A nil result, results
// in different graphs, or a graph with a cycle are errors wrapping
// ErrInvalidGraph.
func NewProgram(results ...*gorgonia.Node) (p *Program, err error) {
	defer recoverAs(&err, ErrInvalidGraph, "build", 0)
	if len(results) == 0 || results[0] == nil || results[0].Graph() == nil {
		return nil, fmt.Errorf("%w: NewProgram: no results, or a result in no graph", ErrInvalidGraph)
	}
	g := results[0].Graph()
	for i, r := range results {
		if r == nil || r.Graph() != g {
			return nil, fmt.Errorf("%w: NewProgram: result %d is nil or in another graph than result 0", ErrInvalidGraph, i)
		}
	}
	if p, err = newProgram(g, results); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidGraph, err)
	}
	return p, nil
}

// newProgram returns the Program computing results from g, their graph.
func newProgram(g *gorgonia.ExprGraph, results []*gorgonia.Node) (*Program, error) {
	sorted, err := gorgonia.Sort(g)
	if err != nil {
		return nil, fmt.Errorf("sort the graph: %w", err)
	}
	needed := map[*gorgonia.Node]bool{}
	var mark func(n *gorgonia.Node)
	mark = func(n *gorgonia.Node) {
		if needed[n] {
			return
		}
		needed[n] = true
		for _, c := range children(g, n) {
			mark(c)
		}
	}
	for _, r := range results {
		mark(r)
	}
	p := &Program{at: make(map[*gorgonia.Node]int, len(needed))}
	for i := len(sorted) - 1; i >= 0; i-- {
		n := sorted[i]
		if !needed[n] {
			continue
		}
		at := len(p.vals)
		p.vals = append(p.vals, nil)
		p.at[n] = at
		if n.Op() == nil {
			p.inputs = append(p.inputs, input{node: n, at: at})
			continue
		}
		cs := children(g, n)
		s := step{node: n, op: n.Op(), args: make([]int, len(cs)), argv: make([]gorgonia.Value, len(cs)), at: at}
		for j, c := range cs {
			k, ok := p.at[c]
			if !ok {
				return nil, fmt.Errorf("node %s runs before its input %s", n.Name(), c.Name())
			}
			s.args[j] = k
		}
		p.steps = append(p.steps, s)
	}
	for _, r := range results {
		p.results = append(p.results, p.at[r])
	}
	return p, nil
}

// children returns n's inputs, in the order its op takes them.
func children(g *gorgonia.ExprGraph, n *gorgonia.Node) []*gorgonia.Node {
	it := g.From(n.ID())
	cs := make([]*gorgonia.Node, 0, it.Len())
	for it.Next() {
		cs = append(cs, it.Node().(*gorgonia.Node))
	}
	return cs
}

// Run computes every value from the values bound to the graph's inputs
// now. The first error, wrapping ErrRun, names the op that failed; a
// panic in an op is recovered as such an error.
func (p *Program) Run() (err error) {
	if p == nil {
		return fmt.Errorf("%w: nil Program (create it with NewProgram)", ErrInvalidGraph)
	}
	defer recoverAs(&err, ErrRun, "run", 0)
	if err := p.run(); err != nil {
		return fmt.Errorf("%w: %w", ErrRun, err)
	}
	return nil
}

// run computes every value; the first error names the op that failed.
func (p *Program) run() error {
	for _, in := range p.inputs {
		v := in.node.Value()
		if v == nil {
			return fmt.Errorf("no value bound to %s", in.node.Name())
		}
		p.vals[in.at] = v
	}
	for i := range p.steps {
		s := &p.steps[i]
		for j, a := range s.args {
			s.argv[j] = p.vals[a]
		}
		v, err := s.op.Do(s.argv...)
		if err != nil {
			return fmt.Errorf("op %v of node %s: %w", s.op, s.node.Name(), err)
		}
		p.vals[s.at] = v
	}
	return nil
}

// Value returns n's value after the last Run: the value an op returned,
// valid until the next Run (copy what you keep), or nil before the first
// Run or for a node the results do not depend on.
func (p *Program) Value(n *gorgonia.Node) gorgonia.Value {
	if p == nil {
		return nil
	}
	i, ok := p.at[n]
	if !ok {
		return nil
	}
	return p.vals[i]
}

// result returns the value of result i (in newProgram's order) after the
// last run, without Value's map lookup.
func (p *Program) result(i int) gorgonia.Value {
	return p.vals[p.results[i]]
}
