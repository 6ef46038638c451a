package autodiff

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// A program runs the nodes of a gorgonia graph that some results depend
// on, in the order gorgonia's tape machine runs them (gorgonia.Sort,
// reversed: children before parents), on the calling goroutine: each op's
// Do on its children's values, the values kept in one slice indexed by
// position in the order. The tape machine does the same work through
// registers, allocation and free instructions, a goroutine of its own
// locked to an OS thread and channels, which cost more than a whole
// evaluation of a small network on a few rows; a program allocates
// nothing of its own per run.
//
// Ops always run through Do: never in place on an input (the tape
// machine's UnsafeDo), so a value an op returns stays valid until that op
// runs again. Values are not bound to the nodes; read them with value.
type program struct {
	inputs []input
	steps  []step
	vals   []gorgonia.Value
	at     map[*gorgonia.Node]int // position of each node run or read
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

// newProgram returns the program computing results from g, their graph.
// A node the results do not depend on is not run.
func newProgram(g *gorgonia.ExprGraph, results []*gorgonia.Node) (*program, error) {
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
	p := &program{at: make(map[*gorgonia.Node]int, len(needed))}
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

// run computes every value; the first error names the op that failed.
func (p *program) run() error {
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

// value returns n's value after the last run; n is one of the results.
func (p *program) value(n *gorgonia.Node) gorgonia.Value {
	return p.vals[p.at[n]]
}
