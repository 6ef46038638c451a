package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/solver/checkpoint"

	"github.com/lbfgsnet/lbfgsnet/nn"
	"github.com/lbfgsnet/lbfgsnet/solver"
)

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
				!strings.Contains(msg, "continue with the same flags and --resume c.ckpt") {
				t.Errorf("stderr lacks the interruption message:\n%s", msg)
			}
			checkInterruptedFiles(t, dir)
		})
	}
}

// TestInterruptTwice sends SIGINT twice during one slow iteration: the
// command quits at once with 130 and says so, and leaves no temporary
// file; the checkpoint written at an earlier iteration is intact.
func TestInterruptTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a wide network")
	}
	dir := t.TempDir()
	// 3000 rows through a 6-256-256-3 network take tens of milliseconds
	// per loss evaluation, far longer than two signals sent in a row.
	writeFile(t, dir, "noise.csv", noiseCSV(3000))
	args := []string{"train", "--data", "noise.csv", "--hidden", "256,256", "--gradient-tolerance", "0", "--step-tolerance", "0",
		"--max-iterations", "1000000", "--model-out", "m.model", "--trace", "t.jsonl", "--checkpoint", "c.ckpt", "--checkpoint-every", "2"}
	cmd := exec.Command(binPath, args...)
	cmd.Dir = dir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errPipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The second signal goes once the first has been handled: the kernel
	// merges a signal sent while the same one is still pending.
	stderr, warned, stderrDone := watchLines(errPipe, "stopping after the current iteration")
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.HasPrefix(strings.TrimSpace(sc.Text()), "3 ") {
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-warned:
	case <-stderrDone:
		cmd.Wait()
		t.Fatalf("the command ended before it logged the first signal:\n%s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, out)
	<-stderrDone
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nstderr:\n%s", code, exitInterrupted, stderr.String())
	}
	if !strings.Contains(stderr.String(), "SIGINT again: quit at once") {
		t.Errorf("stderr lacks the message of the second signal:\n%s", stderr.String())
	}
	noTempFiles(t, dir)
	// The checkpoint of iteration 2 was in place before the signals.
	state, _, err := checkpoint.Load(filepath.Join(dir, "c.ckpt"), nil)
	if err != nil {
		t.Fatalf("checkpoint after a second signal: %v", err)
	}
	if state.Iteration < 2 {
		t.Errorf("checkpoint at iteration %d, want >= 2", state.Iteration)
	}
}

// watchLines collects the lines of r into out until r ends, and closes
// seen at the first line containing marker and done at the end. Read out
// only after done is closed.
func watchLines(r io.Reader, marker string) (out *bytes.Buffer, seen, done chan struct{}) {
	out, seen, done = new(bytes.Buffer), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(r)
		found := false
		for sc.Scan() {
			out.WriteString(sc.Text() + "\n")
			if !found && strings.Contains(sc.Text(), marker) {
				found = true
				close(seen)
			}
		}
	}()
	return out, seen, done
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
	state, x, err := checkpoint.Load(filepath.Join(dir, "c.ckpt"), nil)
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
	state, _, err := checkpoint.Load(filepath.Join(dir, "c.ckpt"), nil)
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

// TestInterruptPredictInspect: a signal that arrives while predict or
// inspect works makes them write no file and exit with 130 (the context
// here is cancelled before they start, as the signal handler would).
func TestInterruptPredictInspect(t *testing.T) {
	dir := t.TempDir()
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "3", "--model-out", "m.model", "--trace", "t.jsonl", "--quiet"), "train")
	writeFile(t, dir, "rows.csv", "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n")
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(fmt.Errorf("%w by SIGINT", errInterrupted))
	for _, tc := range []struct {
		args []string
		out  string
	}{
		{[]string{"predict", "--model", filepath.Join(dir, "m.model"), "--data", filepath.Join(dir, "rows.csv"), "--out", filepath.Join(dir, "p.csv")}, "p.csv"},
		{[]string{"inspect", filepath.Join(dir, "t.jsonl"), "--plot", filepath.Join(dir, "t.png")}, "t.png"},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			r := runInProcess(ctx, tc.args...)
			if r.code != exitInterrupted || !strings.Contains(r.stderr, "interrupted by SIGINT") || !strings.Contains(r.stderr, tc.out+" not written") {
				t.Errorf("exit code %d, stderr %q; want %d and that %s was not written", r.code, r.stderr, exitInterrupted, tc.out)
			}
			if _, err := os.Stat(filepath.Join(dir, tc.out)); err == nil {
				t.Errorf("%s written after the interruption", tc.out)
			}
		})
	}
	noTempFiles(t, dir)
}

// TestInterruptBeforeFirstIteration: a signal during the setup (reading a
// large file, say) stops train before its first iteration; it writes no
// file, since none would hold anything new, and says so.
func TestInterruptBeforeFirstIteration(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(fmt.Errorf("%w by SIGINT", errInterrupted))
	r := runInProcess(ctx, "train", "--checkpoint", filepath.Join(dir, "c.ckpt"), "--trace", filepath.Join(dir, "t.jsonl"),
		"--model-out", filepath.Join(dir, "m.model"))
	if r.code != exitInterrupted || !strings.Contains(r.stderr, "interrupted by SIGINT before the first iteration: no file written") {
		t.Errorf("exit code %d, stderr:\n%s\nwant %d and that no file was written", r.code, r.stderr, exitInterrupted)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files written, want none", len(ents))
	}
}
