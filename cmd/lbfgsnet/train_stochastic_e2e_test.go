package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sqnArgs train iris with SQN on batches of 30 rows.
var sqnArgs = []string{"train", "--solver", "sqn", "--batch-size", "30", "--correction-pair-batch-size", "60", "--L", "5", "--full-set-every", "10"}

// progressiveArgs train iris with progressive batching from batches of 16
// rows in 4 variance groups.
var progressiveArgs = []string{"train", "--solver", "progressive-batch", "--batch-size", "16", "--variance-groups", "4", "--full-set-every", "10"}

// TestTrainStochastic runs the stochastic solvers on iris: the table has
// the Epoch and FullLoss columns, the full-set loss appears every
// --full-set-every iterations, and the network learns.
func TestTrainStochastic(t *testing.T) {
	for _, args := range [][]string{
		append(sqnArgs, "--max-epochs", "40"),
		{"train", "--solver", "multi-batch", "--batch-size", "64", "--max-epochs", "60", "--full-set-every", "10"},
		{"train", "--solver", "multi-batch", "--batch-size", "64", "--block-size", "4", "--max-epochs", "60", "--full-set-every", "10"},
		append(progressiveArgs, "--max-epochs", "30"),
		append(progressiveArgs, "--block-size", "4", "--max-epochs", "30"),
	} {
		t.Run(args[2], func(t *testing.T) {
			r := runBinary(t, t.TempDir(), args...)
			mustSucceed(t, r, strings.Join(args, " "))
			lines := strings.Split(r.stdout, "\n")
			if got := strings.Join(strings.Fields(lines[0]), " "); got != strings.Join(stochasticColumns, " ") {
				t.Fatalf("header %q, want %q", got, strings.Join(stochasticColumns, " "))
			}
			full := 0
			for _, l := range lines[1:] {
				f := strings.Fields(l)
				if len(f) != len(stochasticColumns) {
					break
				}
				if f[4] != "-" {
					full++
				}
			}
			if full < 5 {
				t.Errorf("%d rows with a full-set loss, want at least 5\n%s", full, r.stdout)
			}
			if st := summaryValue(t, r.stdout, "Stop status"); !strings.HasPrefix(st, "EpochLimit") && !strings.HasPrefix(st, "FullSetAccuracy") {
				t.Errorf("Stop status %q, want EpochLimit or FullSetAccuracy", st)
			}
			acc := summaryValue(t, r.stdout, "Training accuracy")
			if !strings.HasPrefix(acc, "9") {
				t.Errorf("Training accuracy %q, want at least 90%%", acc)
			}
		})
	}
}

// A run interrupted by --max-iterations and resumed from its checkpoint
// ends where the uninterrupted run ends, bit for bit; the trace has one
// line per iteration.
func TestTrainStochasticResume(t *testing.T) {
	for _, solverArgs := range [][]string{sqnArgs, {"train", "--solver", "multi-batch", "--batch-size", "64", "--full-set-every", "10"},
		append(progressiveArgs, "--convergence-test", "none"), append(progressiveArgs, "--block-size", "4", "--convergence-test", "none")} {
		t.Run(solverArgs[2], func(t *testing.T) {
			dir := t.TempDir()
			run := func(extra ...string) map[string]any {
				args := append(append(append([]string{}, solverArgs...), "--format", "json", "--max-epochs", "0"), extra...)
				r := runBinary(t, dir, args...)
				mustSucceed(t, r, strings.Join(args, " "))
				lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
				var sum map[string]any
				if err := json.Unmarshal([]byte(lines[len(lines)-1]), &sum); err != nil {
					t.Fatal(err)
				}
				return sum
			}
			whole := run("--max-iterations", "40", "--model-out", "whole.model", "--trace", "whole.jsonl")
			run("--max-iterations", "17", "--checkpoint", "half.ckpt")
			resumed := run("--max-iterations", "40", "--resume", "half.ckpt", "--model-out", "resumed.model")
			if whole["full_loss"] != resumed["full_loss"] || resumed["total_iterations"] != float64(40) {
				t.Errorf("uninterrupted: loss %v; resumed: loss %v at iteration %v", whole["full_loss"], resumed["full_loss"], resumed["total_iterations"])
			}
			a, _ := os.ReadFile(filepath.Join(dir, "whole.model"))
			b, _ := os.ReadFile(filepath.Join(dir, "resumed.model"))
			if len(a) == 0 || string(a) != string(b) {
				t.Error("the resumed run's model differs from the uninterrupted run's")
			}
			tr, _ := os.ReadFile(filepath.Join(dir, "whole.jsonl"))
			if n := strings.Count(string(tr), "\n"); n != 40 {
				t.Errorf("trace has %d lines, want 40", n)
			}
			noTempFiles(t, dir)
		})
	}
}

// Flags out of range, or given to a solver they do not apply to, are
// usage errors naming the flag.
func TestTrainStochasticFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--solver", "sqn", "--batch-size", "151"}, "--batch-size"},
		{[]string{"train", "--solver", "sqn", "--batch-size", "-1"}, "--batch-size"},
		{[]string{"train", "--solver", "sqn", "--correction-pair-batch-size", "1000"}, "--correction-pair-batch-size"},
		{[]string{"train", "--solver", "sqn", "--L", "0"}, "--L"},
		{[]string{"train", "--solver", "multi-batch", "--overlap", "0.7"}, "--overlap"},
		{[]string{"train", "--solver", "sqn", "--overlap", "0.3"}, "--overlap"},
		{[]string{"train", "--solver", "sqn", "--line-search", "strong-wolfe"}, "--line-search"},
		{[]string{"train", "--batch-size", "10"}, "--batch-size"},
		{[]string{"train", "--solver", "sqn", "--step-length", "1,x"}, "--step-length"},
		{[]string{"train", "--solver", "bfgs"}, "--solver"},
		{[]string{"train", "--solver", "progressive-batch", "--batch-size", "151"}, "--batch-size"},
		{[]string{"train", "--solver", "progressive-batch", "--variance-groups", "1"}, "--variance-groups"},
		{[]string{"train", "--solver", "progressive-batch", "--theta", "0"}, "--theta"},
		{[]string{"train", "--solver", "progressive-batch", "--max-growth", "1"}, "--max-growth"},
		{[]string{"train", "--solver", "progressive-batch", "--batch-size", "16", "--block-size", "9"}, "--block-size"},
		{[]string{"train", "--solver", "sqn", "--block-size", "4"}, "--block-size"},
		{[]string{"train", "--solver", "multi-batch", "--batch-size", "16", "--block-size", "9"}, "--block-size"},
		{[]string{"train", "--solver", "progressive-batch", "--orthogonality-nu", "3"}, "--orthogonality-nu"},
		{[]string{"train", "--solver", "progressive-batch", "--sample-test", "inner-product", "--orthogonality-nu", "0"}, "--orthogonality-nu"},
		{[]string{"train", "--solver", "progressive-batch", "--step-decay", "1"}, "--step-decay"},
		{[]string{"train", "--solver", "multi-batch", "--theta", "0.5"}, "--theta"},
	} {
		r := runInProcess(context.Background(), tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and a message naming %s", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
}

// The warm-start recipe: multi-batch epochs, then full-batch L-BFGS, in
// one command.
func TestTrainWarmStart(t *testing.T) {
	r := runBinary(t, t.TempDir(), "train", "--warm-start-epochs", "3", "--batch-size", "64", "--log-level", "info")
	mustSucceed(t, r, "train --warm-start-epochs 3")
	if !strings.Contains(r.stderr, "warm start done") || !strings.Contains(r.stdout, "FullLoss") || !strings.Contains(r.stdout, "LineSearchStatus") {
		t.Errorf("want the multi-batch table, the warm-start log line and the L-BFGS table\nstdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	if st := summaryValue(t, r.stdout, "Stop status"); !strings.HasPrefix(st, "GradientTolerance") {
		t.Errorf("Stop status %q", st)
	}
}
