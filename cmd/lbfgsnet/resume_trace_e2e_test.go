package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/trace"
)

// sameRecords fails unless got holds the iterations of want, bit for bit
// but for the times.
func sameRecords(t *testing.T, got, want []trace.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d iterations, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Iteration != w.Iteration || g.Loss != w.Loss || g.GradientsNorm != w.GradientsNorm || g.StepNorm != w.StepNorm ||
			g.TotalLossEvaluations != w.TotalLossEvaluations || len(g.Trials) != len(w.Trials) {
			t.Fatalf("record %d: %+v, want %+v", i, g, w)
		}
		if i > 0 && g.Elapsed < got[i-1].Elapsed {
			t.Errorf("iteration %d: time %v before the previous %v", g.Iteration, g.Elapsed, got[i-1].Elapsed)
		}
	}
}

// TestResumeTraceWholeRun: a run resumed with the same flags continues its
// trace and plot rather than replacing them with the resumed iterations:
// the trace then equals the uninterrupted run's, iteration for iteration,
// and counts the whole run in its summary.
func TestResumeTraceWholeRun(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "40", "--trace", "whole.jsonl", "--quiet"), "uninterrupted run")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "17", "--checkpoint", "run.ckpt", "--trace", "run.jsonl", "--plot", "run.png", "--quiet"), "first part")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "40", "--resume", "run.ckpt", "--checkpoint", "run.ckpt", "--trace", "run.jsonl", "--plot", "run.png", "--quiet"), "resumed part")
	whole, run := readTrace(t, filepath.Join(dir, "whole.jsonl")), readTrace(t, filepath.Join(dir, "run.jsonl"))
	if run.Header.StartIteration != 0 {
		t.Errorf("the continued trace starts at iteration %d, want 0", run.Header.StartIteration)
	}
	sameRecords(t, run.Iterations, whole.Iterations)
	if run.Summary == nil || run.Summary.Iterations != 40 || run.Summary.LossEvaluations != whole.Summary.LossEvaluations {
		t.Errorf("summary %+v, want 40 iterations and %d loss evaluations", run.Summary, whole.Summary.LossEvaluations)
	}
	ins := runBinary(t, dir, "inspect", "run.jsonl")
	mustSucceed(t, ins, "inspect the continued trace")
	if strings.Contains(ins.stdout, "Resumed:") {
		t.Errorf("the continued trace reads as a resumed one:\n%s", ins.stdout)
	}
}

// TestResumeTraceAfterCheckpoint: the trace in place may reach past the
// checkpoint (written later, as at an interruption between two
// checkpoints): the iterations after the checkpoint's are run again and
// the trace is the uninterrupted run's.
func TestResumeTraceAfterCheckpoint(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "20", "--trace", "whole.jsonl", "--quiet"), "uninterrupted run")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "10", "--checkpoint", "c10.ckpt", "--quiet"), "checkpoint at 10")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "15", "--trace", "t.jsonl", "--quiet"), "trace to 15")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "20", "--resume", "c10.ckpt", "--trace", "t.jsonl", "--quiet"), "resume")
	sameRecords(t, readTrace(t, filepath.Join(dir, "t.jsonl")).Iterations, readTrace(t, filepath.Join(dir, "whole.jsonl")).Iterations)
}

// TestResumeTraceRefused: a trace that is not the resumed run's, or ends
// before its checkpoint, is refused before any work and left as it was; a
// plot in place that the resumed iterations alone would replace is
// refused; a new trace file records the resumed iterations, and says so.
func TestResumeTraceRefused(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "10", "--checkpoint", "c10.ckpt", "--plot", "p.png", "--quiet"), "checkpoint at 10")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "5", "--trace", "short.jsonl", "--quiet"), "trace to 5")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "15", "--seed", "2", "--trace", "other.jsonl", "--quiet"), "another run's trace")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--trace", "short.jsonl"}, exitFailure, "it holds iterations 1 to 5, but the checkpoint c10.ckpt is at iteration 10"},
		{[]string{"--trace", "other.jsonl"}, exitFailure, "is not the checkpoint's"},
		{[]string{"--plot", "p.png"}, exitUsage, "--plot p.png exists and would be replaced by a plot of the resumed iterations only"},
	} {
		before := map[string][]byte{}
		for _, f := range []string{"short.jsonl", "other.jsonl", "p.png"} {
			before[f], _ = os.ReadFile(filepath.Join(dir, f))
		}
		r := runBinary(t, dir, append([]string{"train", "--max-iterations", "20", "--resume", "c10.ckpt"}, tc.args...)...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) || r.stdout != "" {
			t.Errorf("%s: exit code %d, want %d and %q before any iteration\nstdout:\n%s\nstderr:\n%s", strings.Join(tc.args, " "), r.code, tc.code, tc.msg, r.stdout, r.stderr)
		}
		for f, b := range before {
			if after, _ := os.ReadFile(filepath.Join(dir, f)); string(after) != string(b) {
				t.Errorf("%s changed", f)
			}
		}
	}
	r := runBinary(t, dir, "train", "--max-iterations", "20", "--resume", "c10.ckpt", "--trace", "new.jsonl", "--plot", "new.png", "--quiet")
	mustSucceed(t, r, "resume into a new trace")
	if !strings.Contains(r.stderr, "records the resumed iterations only, from iteration 11") {
		t.Errorf("no warning about the new trace:\n%s", r.stderr)
	}
	if tr := readTrace(t, filepath.Join(dir, "new.jsonl")); tr.Header.StartIteration != 10 || len(tr.Iterations) != 10 {
		t.Errorf("new trace: start %d, %d iterations; want 10, 10", tr.Header.StartIteration, len(tr.Iterations))
	}
}

// TestResumeStochasticTrace: a stochastic run resumed with the same
// --trace continues it: the trace then equals the uninterrupted run's,
// line for line; a trace that ends before the checkpoint is refused.
func TestResumeStochasticTrace(t *testing.T) {
	dir := t.TempDir()
	args := append(append([]string{}, sqnArgs...), "--max-epochs", "0", "--quiet")
	run := func(extra ...string) result {
		return runBinary(t, dir, append(append([]string{}, args...), extra...)...)
	}
	mustSucceed(t, run("--max-iterations", "30", "--trace", "whole.jsonl"), "uninterrupted run")
	mustSucceed(t, run("--max-iterations", "12", "--trace", "run.jsonl", "--checkpoint", "run.ckpt", "--checkpoint-every", "5"), "first part")
	mustSucceed(t, run("--max-iterations", "30", "--trace", "run.jsonl", "--resume", "run.ckpt"), "resumed part")
	whole, err := os.ReadFile(filepath.Join(dir, "whole.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "run.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	// Line for line the uninterrupted run's, but that the first part
	// evaluated the full set at its last iteration, 12, as every run does
	// when it stops.
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(whole), "\n")
	if len(gl) != 31 || len(wl) != 31 {
		t.Fatalf("%d and %d lines, want 30 each", len(gl)-1, len(wl)-1)
	}
	for i := range gl {
		g, w := map[string]any{}, map[string]any{}
		json.Unmarshal([]byte(gl[i]), &g)
		json.Unmarshal([]byte(wl[i]), &w)
		if i == 11 {
			delete(g, "fullLoss")
			delete(g, "fullGradientsNorm")
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("line %d: %s\nwant %s", i+1, gl[i], wl[i])
		}
	}
	mustSucceed(t, run("--max-iterations", "5", "--trace", "short.jsonl"), "short trace")
	before, _ := os.ReadFile(filepath.Join(dir, "short.jsonl"))
	r := run("--max-iterations", "30", "--trace", "short.jsonl", "--resume", "run.ckpt")
	if r.code != exitFailure || !strings.Contains(r.stderr, "it holds iterations 1 to 5, but the checkpoint run.ckpt is at iteration 12") {
		t.Errorf("exit code %d, want %d and a message\nstderr:\n%s", r.code, exitFailure, r.stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "short.jsonl")); string(after) != string(before) {
		t.Error("the refused trace was changed")
	}
	noTempFiles(t, dir)
}
