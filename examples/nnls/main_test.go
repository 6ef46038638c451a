package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	res, err := run(&buf)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if !res.status.Converged() {
		t.Fatalf("status %v, want a converged status", res.status)
	}
	// The KKT conditions at the fit, from the gradient recomputed there.
	zeros := 0
	for j, c := range res.fit {
		g := res.gradient[j]
		switch {
		case c < 0:
			t.Errorf("amount %d = %v < 0", j, c)
		case c == 0:
			zeros++
			if g < -1e-7 {
				t.Errorf("amount %d at 0 with ∇f = %v < 0: raising it would lower the loss", j, g)
			}
		default:
			if math.Abs(g) > 1e-7 {
				t.Errorf("amount %d = %v > 0 with |∇f| = %v > 1e-7", j, c, math.Abs(g))
			}
		}
	}
	if zeros != res.active {
		t.Errorf("%d amounts at 0, state reports ActiveBounds = %d", zeros, res.active)
	}
	if res.pgNorm > 1e-7 && res.status == solver.ProjectedGradientTolerance {
		t.Errorf("ProjectedGradientNorm %v above the tolerance", res.pgNorm)
	}
	// The absent components are exactly zero, and the present ones are
	// recovered within 0.05 (noise 0.05 per channel over ~40 channels per
	// band leaves an error of a few thousandths).
	for j, want := range truth {
		if want == 0 && res.fit[j] != 0 {
			t.Errorf("absent component %d fitted at %v, want exactly 0", j, res.fit[j])
		}
		if math.Abs(res.fit[j]-want) > 0.05 {
			t.Errorf("component %d: fit %v, true %v", j, res.fit[j], want)
		}
	}
	// Without the bounds some amount comes out negative: the reason for
	// the example.
	neg := false
	for _, c := range res.free {
		neg = neg || c < 0
	}
	if !neg {
		t.Error("the unconstrained fit has no negative amount; the example shows nothing")
	}
	for _, want := range []string{"non-negative", "projected gradient", "at their bound 0"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, buf.String())
		}
	}
}
