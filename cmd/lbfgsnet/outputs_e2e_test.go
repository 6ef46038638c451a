//go:build unix

package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lbfgsnet/lbfgsnet/solver/checkpoint"

	"github.com/lbfgsnet/lbfgsnet/nn"
)

// closeStdoutAfter runs the binary with args in dir, reads lines lines
// of its stdout and closes the pipe, as "| head -3" does, and returns its
// stderr and exit code.
func closeStdoutAfter(t *testing.T, dir string, lines int, args ...string) (string, int) {
	t.Helper()
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
	for i := 0; i < lines && sc.Scan(); i++ {
	}
	out.Close()
	cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("killed by %v\nstderr:\n%s", ws.Signal(), stderr.String())
	}
	return stderr.String(), cmd.ProcessState.ExitCode()
}

// TestClosedStdout: "lbfgsnet train ... | head -3" is not killed by
// SIGPIPE: it trains on and writes every file asked for, complete, with no
// temporary file left, and exits 0; with no file asked for it stops and
// says why.
func TestClosedStdout(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "noise.csv", noiseCSV(300))
	// The table of 1500 iterations (about 170 kB) overfills the pipe's
	// buffer, so the command is still writing when the pipe closes however
	// slowly this test reads.
	const iterations = 1500
	args := []string{"train", "--data", "noise.csv", "--hidden", "16", "--gradient-tolerance", "0", "--step-tolerance", "0",
		"--max-iterations", strconv.Itoa(iterations)}
	files := append(append([]string{}, args...), "--model-out", "m.model", "--trace", "t.jsonl", "--checkpoint", "c.ckpt", "--checkpoint-every", "500", "--plot", "p.png")
	stderr, code := closeStdoutAfter(t, dir, 3, files...)
	if code != 0 || !strings.Contains(stderr, "stdout was closed") {
		t.Fatalf("exit code %d, want 0 with a warning\nstderr:\n%s", code, stderr)
	}
	if _, _, err := nn.Load(filepath.Join(dir, "m.model")); err != nil {
		t.Error(err)
	}
	state, _, err := checkpoint.Load(filepath.Join(dir, "c.ckpt"), nil)
	if err != nil || state.Iteration != iterations {
		t.Errorf("checkpoint: %v, iteration %v; want iteration %d", err, state, iterations)
	}
	tr, err := readTraceFile(filepath.Join(dir, "t.jsonl"), func(string) {})
	if err != nil || len(tr.Iterations) != iterations || tr.Summary == nil {
		t.Errorf("trace: %v, %d iterations; want %d and a summary", err, len(tr.Iterations), iterations)
	}
	if _, err := os.Stat(filepath.Join(dir, "p.png")); err != nil {
		t.Error(err)
	}
	noTempFiles(t, dir)

	stderr, code = closeStdoutAfter(t, dir, 3, args...)
	if code != exitFailure || !strings.Contains(stderr, "stdout was closed after iteration") {
		t.Errorf("with no file: exit code %d, want %d and a message\nstderr:\n%s", code, exitFailure, stderr)
	}
	// inspect still writes its plot.
	stderr, code = closeStdoutAfter(t, dir, 1, "inspect", "t.jsonl", "--plot", "q.png")
	if _, err := os.Stat(filepath.Join(dir, "q.png")); code != 0 || err != nil {
		t.Errorf("inspect with stdout closed: exit code %d, plot %v\nstderr:\n%s", code, err, stderr)
	}
}

// TestSameFile: two outputs, or an output and an input, naming one file
// (also through a symbolic link) are a usage error before any work, and
// the file is left as it was.
func TestSameFile(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	if err := os.Symlink("good.csv", filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		file string // existing file that must stay as it was
	}{
		{"trace and model-out", []string{"train", "--trace", "x", "--model-out", "x"}, ""},
		{"checkpoint and trace", []string{"train", "--checkpoint", "run.jsonl", "--trace", "run.jsonl"}, "run.jsonl"},
		{"model-out and data", []string{"train", "--data", "good.csv", "--model-out", "good.csv"}, "good.csv"},
		{"model-out through a link to data", []string{"train", "--data", "good.csv", "--model-out", "link.csv"}, "good.csv"},
		{"plot and data through dot", []string{"train", "--data", "good.csv", "--plot", "./good.csv"}, "good.csv"},
		{"resume and trace", []string{"train", "--resume", "run.ckpt", "--trace", "run.ckpt"}, "run.ckpt"},
		{"predict out and data", []string{"predict", "--model", "train.model", "--data", "good.csv", "--out", "good.csv"}, "good.csv"},
		{"predict out and model", []string{"predict", "--model", "train.model", "--data", "good.csv", "--out", "train.model"}, "train.model"},
		{"inspect plot and trace", []string{"inspect", "run.jsonl", "--plot", "run.jsonl"}, "run.jsonl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var before []byte
			if tc.file != "" {
				before, _ = os.ReadFile(filepath.Join(dir, tc.file))
			}
			r := runBinary(t, dir, tc.args...)
			if r.code != exitUsage || !strings.Contains(r.stderr, "name the same file") {
				t.Errorf("exit code %d, want %d and a message naming both flags\nstderr:\n%s", r.code, exitUsage, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("work was done before the check: stdout\n%s", r.stdout)
			}
			if tc.file != "" {
				if after, _ := os.ReadFile(filepath.Join(dir, tc.file)); !bytes.Equal(before, after) {
					t.Errorf("%s was changed", tc.file)
				}
			}
		})
	}
	// A run continues its own checkpoint: --resume and --checkpoint may be
	// one file; /dev/null takes several outputs.
	mustSucceed(t, runBinary(t, dir, "train", "--resume", "run.ckpt", "--checkpoint", "run.ckpt", "--max-iterations", "5", "--quiet"), "resume into the same checkpoint")
	mustSucceed(t, runBinary(t, dir, "train", "--trace", os.DevNull, "--plot", os.DevNull, "--max-iterations", "2", "--quiet"), "two outputs to /dev/null")
}

// TestUnwritableOutput: an output that cannot be written is reported
// before training, not after it.
func TestUnwritableOutput(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "adir"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := [][]string{{"--model-out", "adir"}, {"--trace", "adir"}, {"--checkpoint", "adir/"}}
	if os.Geteuid() != 0 { // root writes anywhere
		if err := os.Mkdir(filepath.Join(dir, "ro"), 0o555); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, []string{"--model-out", "ro/m.model"})
	}
	if st, err := os.Stat("/sys"); err == nil && st.IsDir() {
		// sysfs refuses new files, also to root.
		cases = append(cases, []string{"--model-out", "/sys/m.model"})
	}
	for _, c := range cases {
		r := runBinary(t, dir, append([]string{"train"}, c...)...)
		if r.code == 0 || r.stdout != "" || !strings.Contains(r.stderr, c[0]+" "+c[1]) {
			t.Errorf("train %s: exit code %d, want a failure naming the flag before any iteration\nstdout:\n%s\nstderr:\n%s", strings.Join(c, " "), r.code, r.stdout, r.stderr)
		}
	}
}

// TestSpecialOutputs: a symbolic link given as an output is followed (its
// target replaced, the link kept); a FIFO receives the whole output; a
// character device is written to, not replaced; a socket is refused.
func TestSpecialOutputs(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	os.Mkdir(filepath.Join(dir, "models"), 0o755)
	writeFile(t, dir, "models/real.model", "old")
	if err := os.Symlink("models/real.model", filepath.Join(dir, "link.model")); err != nil {
		t.Fatal(err)
	}
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "2", "--quiet", "--model-out", "link.model"), "train into a link")
	if st, err := os.Lstat(filepath.Join(dir, "link.model")); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if _, _, err := nn.Load(filepath.Join(dir, "models/real.model")); err != nil {
		t.Errorf("the link's target: %v", err)
	}
	noTempFiles(t, dir)
	noTempFiles(t, filepath.Join(dir, "models"))

	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- b
	}()
	mustSucceed(t, runBinary(t, dir, "train", "--data", "good.csv", "--max-iterations", "2", "--quiet", "--model-out", "good.model"), "train on good.csv")
	mustSucceed(t, runBinary(t, dir, "predict", "--model", "good.model", "--data", "good.csv", "--out", "pipe"), "predict into a FIFO")
	select {
	case b := <-got:
		if !strings.HasPrefix(string(b), "row,label,") || strings.Count(string(b), "\n") != 5 {
			t.Errorf("the FIFO's reader got %q", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the FIFO's reader got nothing")
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}

	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "2", "--quiet", "--trace", os.DevNull), "trace to /dev/null")
	if st, err := os.Stat(os.DevNull); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		t.Fatalf("%s is no longer a character device", os.DevNull)
	}
}

// TestFailedRunKeepsFiles: a run that fails (here a loss that overflows at
// the starting point) writes no file, prints no summary, and leaves the
// files in place as they were.
func TestFailedRunKeepsFiles(t *testing.T) {
	dir := t.TempDir()
	// Regression targets of 1e200, not standardised: ½·(1e200)² overflows.
	writeFile(t, dir, "huge.csv", "a,b,y\n1,2,1e200\n2,1,-1e200\n3,3,1e200\n1,1,2\n")
	for _, f := range []string{"m.model", "c.ckpt", "t.jsonl"} {
		writeFile(t, dir, f, "earlier run")
	}
	r := runBinary(t, dir, "train", "--data", "huge.csv", "--task", "regression", "--standardize=false",
		"--model-out", "m.model", "--checkpoint", "c.ckpt", "--trace", "t.jsonl", "--plot", "p.png")
	if r.code != exitFailure || !strings.Contains(r.stderr, "no file written") {
		t.Errorf("exit code %d, want %d and a message saying no file was written\nstderr:\n%s", r.code, exitFailure, r.stderr)
	}
	if strings.Contains(r.stdout, "Final loss") {
		t.Errorf("a failed run printed a summary:\n%s", r.stdout)
	}
	for _, f := range []string{"m.model", "c.ckpt", "t.jsonl"} {
		if b, _ := os.ReadFile(filepath.Join(dir, f)); string(b) != "earlier run" {
			t.Errorf("%s was overwritten by the failed run", f)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "p.png")); err == nil {
		t.Error("the failed run wrote a plot")
	}
	noTempFiles(t, dir)
}

// TestStaleTemporaries: the temporary files a killed run left (kill -9
// mid-write) are removed by the next run writing the same outputs.
func TestStaleTemporaries(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Skip(err)
	}
	pid := strconv.Itoa(dead.Process.Pid)
	for _, f := range []string{".m.model.tmp-" + pid + "-1", ".c.ckpt.tmp-" + pid + "-2", ".t.jsonl.tmp-" + pid + "-3"} {
		writeFile(t, dir, f, "half")
	}
	mustSucceed(t, runBinary(t, dir, "train", "--max-iterations", "2", "--quiet", "--model-out", "m.model", "--checkpoint", "c.ckpt", "--trace", "t.jsonl"), "train")
	noTempFiles(t, dir)
}

// TestKilledRunLeavesNoTemporaries kills a run with SIGKILL while it
// writes checkpoints, then runs it again: no temporary file is left.
func TestKilledRunLeavesNoTemporaries(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "noise.csv", noiseCSV(600))
	args := append(append([]string{}, longRunArgs...), "--checkpoint", "c.ckpt", "--checkpoint-every", "1", "--model-out", "m.model", "--quiet")
	for range 3 {
		cmd := exec.Command(binPath, args...)
		cmd.Dir = dir
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()
	}
	short := []string{"train", "--data", "noise.csv", "--hidden", "64,64", "--l2", "1e-4", "--max-iterations", "1", "--quiet",
		"--checkpoint", "c.ckpt", "--model-out", "m.model"}
	mustSucceed(t, runBinary(t, dir, short...), "train after the kills")
	noTempFiles(t, dir)
}

// TestClosedStdoutThenInterrupt: "lbfgsnet train ... | tee log" and
// Ctrl-C: tee quits first, closing stdout, then the signal arrives; the
// run stops after the current iteration, writes its files and exits with
// 130.
func TestClosedStdoutThenInterrupt(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "noise.csv", noiseCSV(600))
	args := append(append([]string{}, longRunArgs...), "--model-out", "m.model", "--trace", "t.jsonl", "--checkpoint", "c.ckpt")
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
	for i := 0; i < 5 && sc.Scan(); i++ {
	}
	out.Close()
	time.Sleep(200 * time.Millisecond) // a few iterations into a closed stdout
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitInterrupted {
		t.Fatalf("exit code %d, want %d\nstderr:\n%s", code, exitInterrupted, stderr.String())
	}
	if _, _, err := nn.Load(filepath.Join(dir, "m.model")); err != nil {
		t.Error(err)
	}
	if _, err := readTraceFile(filepath.Join(dir, "t.jsonl"), func(string) {}); err != nil {
		t.Error(err)
	}
	noTempFiles(t, dir)
}
