package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainL1: --l1 trains with OWL-QN on the weights: the trace reports
// zero weights, and a run resumed from a checkpoint ends at the same model
// as an uninterrupted one.
func TestTrainL1(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--l1", "0.01", "--max-iterations", "30", "--model-out", "whole.model", "--trace", "whole.jsonl", "--quiet"), "train --l1")
	tr := readTrace(t, filepath.Join(dir, "whole.jsonl"))
	if tr.Header.Options.L1 != 0.01 || tr.Header.Options.LineSearchMethod.String() != "backtracking" {
		t.Errorf("trace header: L1 %v, line search %v; want 0.01, backtracking", tr.Header.Options.L1, tr.Header.Options.LineSearchMethod)
	}
	last := tr.Iterations[len(tr.Iterations)-1]
	if last.ZeroCoordinates == 0 || !(last.L1Penalty > 0) {
		t.Errorf("after 30 iterations: %d zero weights, penalty %v", last.ZeroCoordinates, last.L1Penalty)
	}
	mustSucceed(t, runBinary(t, dir, "train", "--l1", "0.01", "--max-iterations", "12", "--checkpoint", "run.ckpt", "--quiet"), "first part")
	mustSucceed(t, runBinary(t, dir, "train", "--l1", "0.01", "--max-iterations", "30", "--resume", "run.ckpt", "--model-out", "resumed.model", "--quiet"), "resumed part")
	whole, _ := os.ReadFile(filepath.Join(dir, "whole.model"))
	resumed, _ := os.ReadFile(filepath.Join(dir, "resumed.model"))
	if len(whole) == 0 || !bytes.Equal(whole, resumed) {
		t.Error("the resumed --l1 run's model differs from the uninterrupted run's")
	}
	r := runBinary(t, dir, "train", "--l1", "0.02", "--max-iterations", "30", "--resume", "run.ckpt", "--quiet")
	if r.code == 0 || !strings.Contains(r.stderr, "--l1 0.02 disagrees") {
		t.Errorf("resume with another --l1: exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestTrainBound: --bound Weights=0: keeps every weight non-negative; the
// random start is projected, and the trace says so.
func TestTrainBound(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--bound", "Weights=0:", "--bound", "fc3/Bias=-0.5:0.5", "--max-iterations", "20", "--trace", "b.jsonl", "--quiet"), "train --bound")
	tr := readTrace(t, filepath.Join(dir, "b.jsonl"))
	o := tr.Header.Options
	if len(o.Lower) == 0 || len(o.Upper) != len(o.Lower) {
		t.Fatalf("trace header bounds of length %d, %d", len(o.Lower), len(o.Upper))
	}
	if !tr.Iterations[0].StartPointProjected || tr.Iterations[len(tr.Iterations)-1].ActiveBounds == 0 {
		t.Errorf("first iteration StartPointProjected %v, last ActiveBounds %d", tr.Iterations[0].StartPointProjected, tr.Iterations[len(tr.Iterations)-1].ActiveBounds)
	}
}

func TestTrainConstraintFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--l1", "-1"}, "--l1"},
		{[]string{"--l1", "0.1", "--line-search", "strong-wolfe"}, "--line-search backtracking"},
		{[]string{"--l1", "0.1", "--bound", "Weights=0:"}, "cannot be combined"},
		{[]string{"--bound", "Weights=1:0"}, "above the upper bound"},
		{[]string{"--bound", "Weights"}, "NAME=LOWER:UPPER"},
		{[]string{"--bound", "fc9/Weights=0:1"}, `no learnable named "fc9/Weights"`},
		{[]string{"--bound", "Weights=x:1"}, "not a number"},
		{[]string{"--solver", "sqn", "--l1", "0.1"}, "--l1 applies to --solver lbfgs"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runInProcess(t.Context(), append([]string{"train", "--max-iterations", "1"}, tc.args...)...)
			if r.code == 0 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want an error containing %q", r.code, r.stderr, tc.want)
			}
		})
	}
}
