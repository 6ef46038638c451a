package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTooManyClasses: a numeric target with a distinct value per row
// under the default classification task is refused with a hint at
// --task regression, before a rows × classes one-hot matrix is built.
func TestTooManyClasses(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("x,price\n")
	for i := range 30000 {
		fmt.Fprintf(&b, "%d,%d.5\n", i%7, i)
	}
	writeFile(t, dir, "prices.csv", b.String())
	r := runBinary(t, dir, "train", "--data", "prices.csv")
	if r.code != exitFailure || !strings.Contains(r.stderr, "30000 distinct values in 30000 rows") || !strings.Contains(r.stderr, "--task regression") {
		t.Errorf("exit code %d, want %d and a hint at --task regression\nstderr:\n%s", r.code, exitFailure, r.stderr)
	}
}

// TestPredictNonFinite: finite but huge feature values that overflow the
// network are an error naming the row, and no prediction is printed.
func TestPredictNonFinite(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	mustSucceed(t, runBinary(t, dir, "train", "--data", "good.csv", "--max-iterations", "5", "--quiet", "--model-out", "good.model"), "train")
	writeFile(t, dir, "huge.csv", "a,b,label\n1,2,x\n5e307,-5e307,y\n")
	r := runBinary(t, dir, "predict", "--model", "good.model", "--data", "huge.csv")
	if r.code != exitFailure || !strings.Contains(r.stderr, "huge.csv: row 2:") || r.stdout != "" {
		t.Errorf("exit code %d, want %d, an error naming row 2 and no output\nstdout:\n%s\nstderr:\n%s", r.code, exitFailure, r.stdout, r.stderr)
	}
}

// TestAllocationBounds: flags that drive an allocation are bounded before
// allocating, with a message naming the flag and the limit; files too
// large to be a model or a trace are refused without reading them.
func TestAllocationBounds(t *testing.T) {
	dir := t.TempDir()
	badInputFiles(t, dir)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"predict", "--model", "train.model", "--data", "good.csv", "--precision", "2147483648"}, exitUsage, "--precision (valid: 0 to 17"},
		{[]string{"train", "--hidden", "30000,30000"}, exitUsage, "the limit is 16777216"},
		{[]string{"train", "--hidden", "100000"}, exitUsage, "invalid value 100000 for --hidden (valid: sizes from 1 to 65536)"},
		{[]string{"train", "--hidden", "1024,1024", "--history-size", "65536"}, exitUsage, "--history-size 65536 keeps up to"},
	} {
		r := runBinary(t, dir, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
			t.Errorf("%s: exit code %d, want %d and %q\nstderr:\n%s", strings.Join(tc.args, " "), r.code, tc.code, tc.msg, r.stderr)
		}
	}
	// Sparse files: 2 GiB that take no room on disk.
	for _, name := range []string{"big.model", "big.jsonl"} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(2 << 30); err != nil {
			t.Skip(err)
		}
		f.Close()
	}
	for _, args := range [][]string{{"predict", "--model", "big.model", "--data", "good.csv"}, {"inspect", "big.jsonl"}} {
		r := runBinary(t, dir, args...)
		if r.code != exitFailure || !strings.Contains(r.stderr, "larger than 1024 MiB") {
			t.Errorf("%s: exit code %d, want %d and the limit\nstderr:\n%s", strings.Join(args, " "), r.code, exitFailure, r.stderr)
		}
	}
}

// TestReadBounded: a stream with no size (a FIFO, /dev/zero) is cut at the
// limit rather than read to the end of memory.
func TestReadBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	_, err := readBounded("/dev/zero", 1<<20, "trace")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero: larger than 1 MiB, the limit for a trace") {
		t.Errorf("readBounded(/dev/zero) = %v", err)
	}
}
