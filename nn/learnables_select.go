package nn

import (
	"fmt"
	"math"
)

// LearnableMask returns a vector of the length of Params with 1 at the
// values of the selected learnables and 0 elsewhere: the per-coordinate
// weights of an L1 penalty (solver.Options.L1Weights) that spares the
// others. A name selects a learnable by its full name ("fc1/Weights") or,
// without a "/", every learnable with that parameter name ("Weights": the
// weight matrices of every layer, biases spared). A name that selects
// nothing is an error naming it.
func (n *Network) LearnableMask(names ...string) ([]float64, error) {
	if n == nil {
		return nil, fmt.Errorf("%w: nil network", ErrInvalidNetwork)
	}
	mask := make([]float64, n.size)
	for _, name := range names {
		found := false
		for i := range n.params {
			p := &n.params[i]
			if p.name() == name || p.spec.Name == name {
				found = true
				for j := p.offset; j < p.offset+p.size(); j++ {
					mask[j] = 1
				}
			}
		}
		if !found {
			return nil, fmt.Errorf("%w: no learnable named %q (names: %q)", ErrInvalidOption, name, n.learnableNames())
		}
	}
	return mask, nil
}

// Bound is a closed interval [Lower, Upper] for the values of a learnable;
// −Inf and +Inf leave a side open.
type Bound struct {
	Lower, Upper float64
}

// LearnableBounds returns per-coordinate bounds of the length of Params
// (solver.Options.Lower and Upper): each learnable selected by a key of
// bounds, named as for LearnableMask, gets its Bound, every other value
// (−Inf, +Inf). A name that selects nothing, a NaN bound or Lower > Upper
// is an error naming the learnable; so is a value selected by two keys.
func (n *Network) LearnableBounds(bounds map[string]Bound) (lower, upper []float64, err error) {
	if n == nil {
		return nil, nil, fmt.Errorf("%w: nil network", ErrInvalidNetwork)
	}
	lower, upper = make([]float64, n.size), make([]float64, n.size)
	for i := range lower {
		lower[i], upper[i] = math.Inf(-1), math.Inf(1)
	}
	set := make([]string, len(n.params)) // the key that bounded each learnable
	for name, b := range bounds {
		if math.IsNaN(b.Lower) || math.IsNaN(b.Upper) || b.Lower > b.Upper || math.IsInf(b.Lower, 1) || math.IsInf(b.Upper, -1) {
			return nil, nil, fmt.Errorf("%w: bound [%v, %v] of %q: want Lower <= Upper, no NaN", ErrInvalidOption, b.Lower, b.Upper, name)
		}
		found := false
		for i := range n.params {
			p := &n.params[i]
			if p.name() != name && p.spec.Name != name {
				continue
			}
			if set[i] != "" {
				return nil, nil, fmt.Errorf("%w: learnable %s bounded by both %q and %q", ErrInvalidOption, p.name(), set[i], name)
			}
			set[i], found = name, true
			for j := p.offset; j < p.offset+p.size(); j++ {
				lower[j], upper[j] = b.Lower, b.Upper
			}
		}
		if !found {
			return nil, nil, fmt.Errorf("%w: no learnable named %q (names: %q)", ErrInvalidOption, name, n.learnableNames())
		}
	}
	return lower, upper, nil
}

// learnableNames lists the full names of the learnables, in flat order.
func (n *Network) learnableNames() []string {
	names := make([]string, len(n.params))
	for i := range n.params {
		names[i] = n.params[i].name()
	}
	return names
}
