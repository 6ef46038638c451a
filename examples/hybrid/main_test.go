package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	res, err := run(&buf)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	out := buf.String()
	if len(res.adam) != adamEpochs {
		t.Fatalf("%d Adam epochs recorded, want %d", len(res.adam), adamEpochs)
	}
	if len(res.lbfgs) == 0 || len(res.lbfgs) > lbfgsIters {
		t.Fatalf("%d L-BFGS iterations recorded, want 1 to %d", len(res.lbfgs), lbfgsIters)
	}
	atSwitch := res.adam[len(res.adam)-1]
	final := res.lbfgs[len(res.lbfgs)-1]

	// Adam makes progress from the random start (the fixed seed takes the
	// loss from 0.472 to 0.087).
	if !(atSwitch < res.initial/2) {
		t.Errorf("loss after Adam %g, want below half the initial %g", atSwitch, res.initial)
	}
	// Every L-BFGS iteration whose line search completes lowers the
	// full-batch loss, and a failed one never raises it.
	prev := atSwitch
	for i, l := range res.lbfgs {
		if l > prev {
			t.Errorf("L-BFGS iteration %d: loss %g rose above %g", i+1, l, prev)
		}
		prev = l
	}
	// The drop at the switch: the fixed seed gives 25× lower after 100
	// iterations; 10× is the claim the example makes.
	if !(final < atSwitch/10) {
		t.Errorf("loss after L-BFGS %g, want below a tenth of %g at the switch", final, atSwitch)
	}
	// With the same number of passes over the data, Adam ends higher.
	if !(final < res.adamSameSteps) {
		t.Errorf("L-BFGS reached %g, Adam with the same budget %g: want L-BFGS lower", final, res.adamSameSteps)
	}
	// The fixed seed ends at 1.4× the noise floor σ²; a loss below a
	// third of it would mean a mis-scaled loss (the floor assumes the
	// mean squared error) or noise that was never added.
	if !(final > res.noiseFloor/3) {
		t.Errorf("loss after L-BFGS %g, far below the noise floor %g", final, res.noiseFloor)
	}
	for _, want := range []string{"adam    epoch 1 ", "--- switch to L-BFGS", "lbfgs   iter 1 ", "after L-BFGS", "after Adam instead"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q\n%s", want, out)
		}
	}
}
