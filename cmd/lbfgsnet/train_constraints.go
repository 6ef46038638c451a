package main

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// boundList is the value of --bound, given once per learnable:
// NAME=LOWER:UPPER, where NAME is a learnable ("fc1/Weights") or a
// parameter name of every layer ("Weights", "Bias"), and either side may be
// empty or "-inf"/"inf" for none.
type boundList map[string]nn.Bound

func (b *boundList) String() string {
	if b == nil || *b == nil {
		return ""
	}
	var s []string
	for name, v := range *b {
		s = append(s, fmt.Sprintf("%s=%g:%g", name, v.Lower, v.Upper))
	}
	return strings.Join(s, " ")
}

// Set parses one NAME=LOWER:UPPER.
func (b *boundList) Set(s string) error {
	name, rng, ok := strings.Cut(s, "=")
	lo, hi, ok2 := strings.Cut(rng, ":")
	name = strings.TrimSpace(name)
	if !ok || !ok2 || name == "" {
		return fmt.Errorf("%q: want NAME=LOWER:UPPER, such as Weights=0: or fc1/Bias=-1:1", s)
	}
	parse := func(v string, open float64) (float64, error) {
		v = strings.TrimSpace(v)
		if v == "" {
			return open, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) {
			return 0, fmt.Errorf("%q in %q is not a number", v, s)
		}
		return f, nil
	}
	l, err := parse(lo, math.Inf(-1))
	if err != nil {
		return err
	}
	u, err := parse(hi, math.Inf(1))
	if err != nil {
		return err
	}
	if l > u || math.IsInf(l, 1) || math.IsInf(u, -1) {
		return fmt.Errorf("%q: the lower bound %v is above the upper bound %v", s, l, u)
	}
	if *b == nil {
		*b = boundList{}
	}
	if _, dup := (*b)[name]; dup {
		return fmt.Errorf("%q: %s is bounded twice", s, name)
	}
	(*b)[name] = nn.Bound{Lower: l, Upper: u}
	return nil
}

// constrain sets the options of --l1 and --bound that need the network:
// the L1 weights (1 on every "Weights" learnable, 0 on the biases and other
// learnables) and the bounds of the named learnables.
func (c *trainConfig) constrain(o solver.Options, net *nn.Network) (solver.Options, error) {
	var err error
	if c.l1 > 0 {
		if o.L1Weights, err = net.LearnableMask("Weights"); err != nil {
			return o, usagef("--l1: %v", err)
		}
	}
	if len(c.bounds) > 0 {
		if o.Lower, o.Upper, err = net.LearnableBounds(c.bounds); err != nil {
			return o, usagef("--bound: %v", err)
		}
	}
	if _, err := solver.NewLBFGSState(o); err != nil {
		return o, flagError(err)
	}
	return o, nil
}

// checkResumeConstraints reports --l1 or --bound given with --resume when
// it disagrees with the checkpoint's options.
func (c *trainConfig) checkResumeConstraints(saved solver.Options, net *nn.Network) error {
	want, err := c.solverOptions()
	if err != nil {
		return err
	}
	if want, err = c.constrain(want, net); err != nil {
		return err
	}
	differ := func(a, b []float64) bool { return !slices.Equal(a, b) }
	switch {
	case c.set["l1"] && (want.L1 != saved.L1 || differ(want.L1Weights, saved.L1Weights)):
		return usagef("--l1 %v disagrees with the checkpoint %s, which has L1 %v: a resumed run keeps the checkpoint's solver options (drop the flag)", c.l1, c.resume, saved.L1)
	case c.set["bound"] && (differ(want.Lower, saved.Lower) || differ(want.Upper, saved.Upper)):
		return usagef("--bound disagrees with the bounds in the checkpoint %s: a resumed run keeps the checkpoint's solver options (drop the flag)", c.resume)
	}
	return nil
}
