package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/data"
)

// trainJSON runs train --format json in-process with args and returns its
// iteration objects and summary.
func trainJSON(t *testing.T, args ...string) (iters []map[string]any, summary map[string]any) {
	t.Helper()
	r := runInProcess(t.Context(), append([]string{"train", "--format", "json", "--log-level", "error"}, args...)...)
	mustSucceed(t, r, "train "+strings.Join(args, " "))
	for _, obj := range jsonLines(t, r.stdout) {
		if obj["kind"] == "summary" {
			summary = obj
		} else {
			iters = append(iters, obj)
		}
	}
	return iters, summary
}

// TestSolverOptionFlags checks the effect of each solver option flag on
// the default iris run.
func TestSolverOptionFlags(t *testing.T) {
	t.Run("function-tolerance", func(t *testing.T) {
		// A loose tolerance stops the run as soon as an iteration changes
		// the loss by less than 30%.
		iters, s := trainJSON(t, "--function-tolerance", "0.3")
		if s["status"] != "FunctionTolerance" {
			t.Fatalf("status %v, want FunctionTolerance", s["status"])
		}
		n := len(iters)
		prev, last := iters[n-2]["loss"].(float64), iters[n-1]["loss"].(float64)
		if math.Abs(prev-last) > 0.3*math.Max(1, math.Max(prev, last)) {
			t.Errorf("stopped with a loss change %v -> %v above the tolerance", prev, last)
		}
	})
	t.Run("max-loss-evaluations", func(t *testing.T) {
		_, s := trainJSON(t, "--max-loss-evaluations", "10")
		if s["status"] != "EvaluationLimit" || s["total_loss_evaluations"].(float64) < 10 {
			t.Errorf("status %v after %v evaluations, want EvaluationLimit at >= 10", s["status"], s["total_loss_evaluations"])
		}
	})
	t.Run("gradient-clip-norm", func(t *testing.T) {
		// The first direction is −λ₀·g clipped to norm 0.01 (λ₀ = 1): the
		// step is the learning rate times 0.01. GradientsNorm stays raw.
		iters, _ := trainJSON(t, "--max-iterations", "1", "--gradient-clip-norm", "0.01")
		it := iters[0]
		if d := it["step_norm"].(float64) / it["learning_rate"].(float64); math.Abs(d-0.01) > 1e-12 {
			t.Errorf("first direction of norm %v, want 0.01", d)
		}
		if g := it["gradients_norm"].(float64); !(g > 0.1) {
			t.Errorf("GradientsNorm %v, want the raw norm (about 0.5), not the clipped one", g)
		}
	})
	t.Run("gradient-clip-value", func(t *testing.T) {
		// Each component of the first direction is at most 1e-3 in size:
		// its norm at most 1e-3·√1315.
		iters, _ := trainJSON(t, "--max-iterations", "1", "--gradient-clip-value", "0.001")
		it := iters[0]
		if d := it["step_norm"].(float64) / it["learning_rate"].(float64); d > 0.001*math.Sqrt(1315)*(1+1e-12) {
			t.Errorf("first direction of norm %v, want <= %v", d, 0.001*math.Sqrt(1315))
		}
	})
	t.Run("on-line-search-failure", func(t *testing.T) {
		// One backtracking trial per search fails early; reset retries
		// from steepest descent and goes on.
		args := []string{"--line-search", "backtracking", "--max-line-search-iterations", "1"}
		_, stop := trainJSON(t, append(args, "--on-line-search-failure", "stop")...)
		_, reset := trainJSON(t, append(args, "--on-line-search-failure", "reset")...)
		if stop["status"] != "LineSearchFailure" || !(reset["total_iterations"].(float64) > stop["total_iterations"].(float64)) {
			t.Errorf("stop: %v after %v iterations; reset: %v after %v; want reset to run longer",
				stop["status"], stop["total_iterations"], reset["status"], reset["total_iterations"])
		}
	})
	t.Run("shards", func(t *testing.T) {
		// Shards change only the order of summation.
		_, one := trainJSON(t, "--shards", "1", "--max-iterations", "20")
		_, three := trainJSON(t, "--shards", "3", "--max-iterations", "20")
		a, b := one["loss"].(float64), three["loss"].(float64)
		if math.Abs(a-b) > 1e-9*a {
			t.Errorf("loss with 1 shard %v, with 3 %v", a, b)
		}
	})
}

// TestMissingFlag trains on a file with missing cells under each policy.
func TestMissingFlag(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,colour,label\n")
	for i := range 20 {
		a, c := "1.5", "red"
		switch {
		case i == 3:
			a = "NA"
		case i == 7:
			c = ""
		case i%2 == 1:
			a, c = "-1", "blue"
		}
		b.WriteString(a + "," + c + "," + []string{"x", "y"}[i%2] + "\n")
	}
	writeFile(t, dir, "gaps.csv", b.String())
	r := runBinary(t, dir, "train", "--data", "gaps.csv", "--hidden", "4", "--max-iterations", "5", "--quiet")
	if r.code != exitFailure || !strings.Contains(r.stderr, `gaps.csv: line 5, column 1 (a): not a number: found "NA"`) {
		t.Errorf("default policy: exit %d, stderr %s", r.code, r.stderr)
	}
	r = runBinary(t, dir, "train", "--data", "gaps.csv", "--hidden", "4", "--max-iterations", "5", "--quiet", "--missing", "drop-rows")
	mustSucceed(t, r, "--missing drop-rows")
	if !strings.Contains(r.stderr, "rows=18") || !strings.Contains(r.stderr, `msg="rows with a missing cell left out (--missing drop-rows)" first=4 rows=2`) {
		t.Errorf("drop-rows: log does not count 18 rows and 2 left out:\n%s", r.stderr)
	}
	r = runBinary(t, dir, "train", "--data", "gaps.csv", "--hidden", "4", "--max-iterations", "5", "--quiet", "--missing", "mean", "--model-out", "gaps.model")
	mustSucceed(t, r, "--missing mean")
	if !strings.Contains(r.stderr, "rows=20") || !strings.Contains(r.stderr, "column=colour levels=2") {
		t.Errorf("mean: log does not count 20 rows and a 2-level colour:\n%s", r.stderr)
	}
	p := runBinary(t, dir, "predict", "--model", "gaps.model", "--data", "gaps.csv", "--missing", "drop-rows")
	mustSucceed(t, p, "predict --missing drop-rows")
	lines := strings.Split(strings.TrimSpace(p.stdout), "\n")
	if len(lines) != 19 || !strings.HasPrefix(lines[4], "5,") || !strings.HasPrefix(lines[7], "9,") {
		t.Errorf("predict drop-rows: %d lines, want 18 rows numbered as in the file (4 and 8 left out):\n%s", len(lines), p.stdout)
	}
	e := runBinary(t, dir, "evaluate", "--model", "gaps.model", "--data", "gaps.csv", "--missing", "mean")
	mustSucceed(t, e, "evaluate --missing mean")
	if !strings.Contains(e.stdout, "(20 rows)") {
		t.Errorf("evaluate --missing mean:\n%s", e.stdout)
	}
}

// startLoss returns the loss at the initial network of a train run: a
// gradient tolerance no gradient exceeds stops it before the first
// iteration, and the summary holds the loss there.
func startLoss(t *testing.T, args ...string) float64 {
	t.Helper()
	_, s := trainJSON(t, append([]string{"--gradient-tolerance", "1e9"}, args...)...)
	if s["total_iterations"] != 0.0 {
		t.Fatalf("%v: %v iterations, want 0", args, s["total_iterations"])
	}
	return s["loss"].(float64)
}

// TestLossFlags checks --loss, --huber-delta and --class-weights by the
// loss they give at the same initial network.
func TestLossFlags(t *testing.T) {
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Abs(b) }
	t.Run("class weights", func(t *testing.T) {
		plain := startLoss(t)
		// Weights 2 on every class double the cross-entropy; "balanced"
		// on iris's 50/50/50 rows is 1 for every class.
		if got := startLoss(t, "--class-weights", "2,2,2"); !close(got, 2*plain) {
			t.Errorf("weights 2,2,2: loss %v, want 2 × %v", got, plain)
		}
		if got := startLoss(t, "--class-weights", "balanced"); !close(got, plain) {
			t.Errorf("balanced: loss %v, want %v", got, plain)
		}
		// Without the setosa rows' terms the loss is lower, and the same
		// as weights 0,1,1 given in class order.
		named := startLoss(t, "--class-weights", "setosa=0")
		if ordered := startLoss(t, "--class-weights", "0,1,1"); named != ordered || !(named < plain) {
			t.Errorf("setosa=0: %v, 0,1,1: %v, plain %v", named, ordered, plain)
		}
	})
	t.Run("regression losses", func(t *testing.T) {
		reg := []string{"--data", "../../data/iris.csv", "--task", "regression", "--target", "petal_width"}
		mse := startLoss(t, append(reg, "--loss", "mse")...)
		if def := startLoss(t, reg...); def != mse {
			t.Errorf("default regression loss %v, want mse %v", def, mse)
		}
		// Huber with a δ beyond every error is ½d²: half the mean squared
		// error.
		if h := startLoss(t, append(reg, "--loss", "huber", "--huber-delta", "1e9")...); !close(h, mse/2) {
			t.Errorf("huber with a huge delta %v, want mse/2 = %v", h, mse/2)
		}
		// Huber with δ = 0.1 is below ½d² everywhere.
		if h := startLoss(t, append(reg, "--loss", "huber", "--huber-delta", "0.1")...); !(h < mse/2) {
			t.Errorf("huber with delta 0.1 %v, want < %v", h, mse/2)
		}
		// mean |d| <= √(mean d²) (Jensen).
		if m := startLoss(t, append(reg, "--loss", "mae")...); !(m > 0 && m <= math.Sqrt(mse)) {
			t.Errorf("mae %v, want in (0, √mse = %v]", m, math.Sqrt(mse))
		}
	})
}

// TestBLASThreadsFlag: --blas-threads sets OpenBLAS's threads (the blas
// log line shows them) and is refused when the products run on gonum.
func TestBLASThreadsFlag(t *testing.T) {
	run := func(backend string, args ...string) result {
		cmd := exec.Command(binPath, append([]string{"train", "--max-iterations", "2", "--quiet"}, args...)...)
		cmd.Env = append(os.Environ(), "LBFGSNET_BLAS="+backend)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return result{out.String(), errb.String(), code}
	}
	if r := run("openblas"); r.code != 0 {
		t.Skip("OpenBLAS does not load here (apt-get install libopenblas0)")
	}
	r := run("openblas", "--blas-threads", "2")
	mustSucceed(t, r, "--blas-threads 2")
	if !strings.Contains(r.stderr, "backend=openblas") || !strings.Contains(r.stderr, "threads=2") {
		t.Errorf("blas log line does not show 2 threads:\n%s", r.stderr)
	}
	if r := run("gonum", "--blas-threads", "2"); r.code != exitUsage || !strings.Contains(r.stderr, "--blas-threads sets OpenBLAS's threads, and this run multiplies with gonum") {
		t.Errorf("--blas-threads on gonum: exit %d, %s", r.code, r.stderr)
	}
	if r := run("openblas", "--blas-threads", "100000"); r.code != exitUsage || !strings.Contains(r.stderr, "invalid value 100000 for --blas-threads") {
		t.Errorf("--blas-threads 100000: exit %d, %s", r.code, r.stderr)
	}
	if r := run("openblas", "--blas-threads", "-1"); r.code != exitUsage || !strings.Contains(r.stderr, "invalid value -1 for --blas-threads") {
		t.Errorf("--blas-threads -1: exit %d, %s", r.code, r.stderr)
	}
}

// TestMissingMeanSplit: with --validation-split, the means that fill
// missing cells come from the training rows only. A training column
// filled with its own mean keeps that mean, so the stored fill value must
// equal the mean of the training column, and differ from the mean of all
// rows (the validation rows hold values far from the training rows').
func TestMissingMeanSplit(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("a,b,label\n")
	for i := range 40 {
		a := fmt.Sprint(float64(i % 7))
		if i%5 == 0 {
			a = "NA"
		}
		fmt.Fprintf(&b, "%s,%d,%s\n", a, i*i%13, []string{"x", "y"}[i%2])
	}
	path := writeFile(t, dir, "gaps.csv", b.String())
	cfg, err := parseTrainFlags([]string{"--data", path, "--missing", "mean", "--validation-split", "0.5"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	p, err := prepareData(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fill := p.train.Encoding.Columns[0].Fill
	mean := func(ds *data.Dataset) float64 {
		s := 0.0
		for i := range ds.Rows {
			s += ds.Features[i*ds.Cols]
		}
		return s / float64(ds.Rows)
	}
	if fill == nil || math.Abs(*fill-mean(p.train)) > 1e-12 {
		t.Fatalf("fill %v, want the training mean %v", fill, mean(p.train))
	}
	all, err := data.ReadCSVFile(path, data.CSVOptions{TargetNames: []string{"label"}, Missing: data.MissingMean})
	if err != nil {
		t.Fatal(err)
	}
	if *fill == *all.Encoding.Columns[0].Fill {
		t.Errorf("fill %v is the mean of all rows", *fill)
	}
}
