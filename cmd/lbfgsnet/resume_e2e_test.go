package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

// TestResume: a run stopped at iteration 17 with a checkpoint and resumed
// to 40 writes the same model, bit for bit, as an uninterrupted run to 40.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "40", "--model-out", "whole.model", "--quiet"), "uninterrupted run")
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "17", "--checkpoint", "run.ckpt", "--quiet"), "first part")
	r := runBinary(t, dir, "train", "--max-iterations", "40", "--resume", "run.ckpt", "--model-out", "resumed.model", "--trace", "rest.jsonl")
	mustSucceed(t, r, "resumed part")
	if got := summaryValue(t, r.stdout, "Iterations"); got != "23 in this run, resumed at iteration 17, now at 40" {
		t.Errorf("Iterations: %q", got)
	}
	whole, err := os.ReadFile(filepath.Join(dir, "whole.model"))
	if err != nil {
		t.Fatal(err)
	}
	resumed, err := os.ReadFile(filepath.Join(dir, "resumed.model"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole, resumed) {
		t.Error("the resumed run's model differs from the uninterrupted run's")
	}
	tr := readTrace(t, filepath.Join(dir, "rest.jsonl"))
	if tr.Header.StartIteration != 17 || tr.Iterations[0].Iteration != 18 || len(tr.Iterations) != 23 {
		t.Errorf("resumed trace: start %d, first iteration %d, %d iterations; want 17, 18, 23",
			tr.Header.StartIteration, tr.Iterations[0].Iteration, len(tr.Iterations))
	}
	ins := runBinary(t, dir, "inspect", "rest.jsonl")
	mustSucceed(t, ins, "inspect rest.jsonl")
	if got := summaryValue(t, ins.stdout, "Resumed"); got != "from a checkpoint at iteration 17" {
		t.Errorf("inspect Resumed: %q", got)
	}
}

// readTrace reads a trace file.
func readTrace(t *testing.T, path string) solver.Trace {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr, err := solver.ReadTrace(f)
	if err != nil {
		t.Fatalf("read trace %s: %v", path, err)
	}
	return tr
}

// noiseCSV returns a classification CSV with random labels: a network
// keeps improving on it for thousands of iterations, long enough to
// interrupt.
func noiseCSV(rows int) string {
	rng := rand.New(rand.NewPCG(3, 0))
	var b strings.Builder
	b.WriteString("f1,f2,f3,f4,f5,f6,label\n")
	for range rows {
		for range 6 {
			fmt.Fprintf(&b, "%.4f,", rng.NormFloat64())
		}
		b.WriteString([]string{"a", "b", "c"}[rng.IntN(3)] + "\n")
	}
	return b.String()
}

// longRunArgs train on noise.csv with every stopping rule off but a limit
// far beyond what the tests wait for.
var longRunArgs = []string{"train", "--data", "noise.csv", "--hidden", "64,64", "--l2", "1e-4",
	"--gradient-tolerance", "0", "--step-tolerance", "0", "--max-iterations", "1000000"}

// TestInterruptBinary sends SIGINT to a running train: it stops after the
// current iteration, writes a model, trace and checkpoint that load, says
// so, and exits with 130.
func TestInterruptBinary(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		name := map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "noise.csv", noiseCSV(600))
			args := append(append([]string{}, longRunArgs...), "--model-out", "m.model", "--trace", "t.jsonl", "--checkpoint", "c.ckpt", "--checkpoint-every", "2")
			cmd := exec.Command(binPath, args...)
			cmd.Dir = dir
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(out)
			for sc.Scan() && !strings.HasPrefix(strings.TrimSpace(sc.Text()), "5 ") {
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, out)
			err = cmd.Wait()
			if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
				t.Fatalf("exit code %d (%v), want %d\nstderr:\n%s", code, err, exitInterrupted, stderr.String())
			}
			if msg := stderr.String(); !strings.Contains(msg, "interrupted by "+name+": stopped after iteration") ||
				!strings.Contains(msg, "continue with --resume c.ckpt") {
				t.Errorf("stderr lacks the interruption message:\n%s", msg)
			}
			checkInterruptedFiles(t, dir)
		})
	}
}

// checkInterruptedFiles checks that the files of an interrupted run load
// and agree on where the run stopped.
func checkInterruptedFiles(t *testing.T, dir string) {
	t.Helper()
	tr := readTrace(t, filepath.Join(dir, "t.jsonl"))
	if tr.Summary == nil || tr.Summary.Status != solver.Cancelled {
		t.Fatalf("trace summary %+v, want status Cancelled", tr.Summary)
	}
	last := tr.Iterations[len(tr.Iterations)-1].Iteration
	state, x, err := solver.LoadCheckpoint(filepath.Join(dir, "c.ckpt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if state.Iteration != last {
		t.Errorf("checkpoint at iteration %d, trace ends at %d", state.Iteration, last)
	}
	b, err := os.ReadFile(filepath.Join(dir, "m.model"))
	if err != nil {
		t.Fatal(err)
	}
	net, _, err := nn.UnmarshalModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if got := net.Flat(); !equalBits(got, x) {
		t.Error("the model's learnables differ from the checkpoint's parameters")
	}
	noTempFiles(t, dir)
}

func equalBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestInterruptInProcess cancels run's context as the signal handler
// does, and resumes from the checkpoint written on the way out.
func TestInterruptInProcess(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "noise.csv", noiseCSV(300))
	ctx, cancel := context.WithCancelCause(t.Context())
	pr, pw := io.Pipe()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			if strings.HasPrefix(strings.TrimSpace(sc.Text()), "3 ") {
				cancel(fmt.Errorf("%w by SIGINT", errInterrupted))
			}
		}
	}()
	args := append(append([]string{}, longRunArgs...), "--checkpoint", filepath.Join(dir, "c.ckpt"))
	args[2] = filepath.Join(dir, "noise.csv")
	var stderr bytes.Buffer
	code := run(ctx, args, pw, &stderr)
	pw.Close()
	if code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\n%s", code, exitInterrupted, stderr.String())
	}
	state, _, err := solver.LoadCheckpoint(filepath.Join(dir, "c.ckpt"), nil)
	if err != nil {
		t.Fatal(err)
	}
	k := state.Iteration
	resumeArgs := append(append([]string{}, args...), "--resume", filepath.Join(dir, "c.ckpt"))
	resumeArgs[len(longRunArgs)-1] = fmt.Sprint(k + 2) // --max-iterations k+2
	r := runInProcess(t.Context(), resumeArgs...)
	mustSucceed(t, r, "resume after interruption")
	if got, want := summaryValue(t, r.stdout, "Iterations"), fmt.Sprintf("2 in this run, resumed at iteration %d, now at %d", k, k+2); got != want {
		t.Errorf("Iterations: %q, want %q", got, want)
	}
}

// TestPlot: --plot on train and inspect writes a PNG of the documented size.
func TestPlot(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "30", "--trace", "run.jsonl", "--plot", "train.png", "--quiet"), "train --plot")
	mustSucceed(t, runBinary(t, dir, "inspect", "run.jsonl", "--plot", "inspect.png"), "inspect --plot")
	for _, name := range []string{"train.png", "inspect.png"} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// plotWidth × plotHeight inches at plotDPI.
		if cfg.Width != 7*plotDPI || cfg.Height != 9*plotDPI {
			t.Errorf("%s is %d×%d pixels, want %d×%d", name, cfg.Width, cfg.Height, 7*plotDPI, 9*plotDPI)
		}
	}
	noTempFiles(t, dir)
}

// TestZeroIterations: a run that meets its tolerance at the starting point
// does no iteration; train and inspect say so and write no plot.
func TestZeroIterations(t *testing.T) {
	dir := t.TempDir()
	r := runBinary(t, dir, "train", "--gradient-tolerance", "10", "--trace", "zero.jsonl", "--plot", "zero.png")
	mustSucceed(t, r, "train --gradient-tolerance 10")
	if got := summaryValue(t, r.stdout, "Iterations"); got != "0" {
		t.Errorf("Iterations: %q, want 0", got)
	}
	ins := runBinary(t, dir, "inspect", "zero.jsonl", "--plot", "zero.png")
	mustSucceed(t, ins, "inspect zero.jsonl")
	if got := summaryValue(t, ins.stdout, "Stopped"); !strings.HasPrefix(got, "GradientTolerance (converged) after 0 iterations, 1 loss evaluation,") {
		t.Errorf("Stopped: %q", got)
	}
	for _, out := range []string{r.stderr, ins.stderr} {
		if !strings.Contains(out, "no plot written") {
			t.Errorf("no warning about the plot:\n%s", out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "zero.png")); err == nil {
		t.Error("zero.png written for a run without iterations")
	}
}
