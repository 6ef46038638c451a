package nn

import (
	"fmt"

	"gorgonia.org/gorgonia"
)

// forwardJetOf calls l.ForwardJet, or reports a layer that is not a
// JetLayer; a panic becomes an error.
func forwardJetOf(l Layer, j *Jet, ps []*gorgonia.Node, ctx ForwardContext) (out *Jet, err error) {
	jl, ok := l.(JetLayer)
	if !ok {
		return nil, fmt.Errorf("%w: layer %s (kind %q) does not propagate input derivatives (it does not implement nn.JetLayer)", ErrInvalidNetwork, ctx.Name, kindOf(l))
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("forward jet panicked: %v", r)
		}
	}()
	return jl.ForwardJet(j, ps, ctx)
}
