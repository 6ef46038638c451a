package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWriteOutput: a successful write replaces the file; a failing one
// leaves the previous content and no temporary file, and its error names
// the output.
func TestWriteOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	write := func(content string, fail error) error {
		return writeOutput(path, func(w io.Writer) error {
			if _, err := io.WriteString(w, content); err != nil {
				return err
			}
			return fail
		})
	}
	if err := write("first\n", nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := write("half", boom)
	if want := "write " + path + ": disk full"; !errors.Is(err, boom) || err.Error() != want {
		t.Fatalf("error = %v, want %q wrapping %v", err, want, boom)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "first\n" {
		t.Errorf("after a failed write the file holds %q (%v), want %q", got, err, "first\n")
	}
	if err := write("second\n", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "second\n" {
		t.Errorf("file holds %q, want %q", got, "second\n")
	}
	noTempFiles(t, dir)
	if st, _ := os.Stat(path); st.Mode().Perm() != outputPerm {
		t.Errorf("mode %v, want %v", st.Mode().Perm(), os.FileMode(outputPerm))
	}
}

// TestCreateOutput: a streamed output appears only at commitOutput; an
// aborted one (a failed run) never appears; errors name the output.
func TestCreateOutput(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "no", "trace.jsonl")
	if _, err := createOutput(missing); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "write "+missing+": ") {
		t.Errorf("createOutput in a missing directory: %v, want an error naming the file and wrapping fs.ErrNotExist", err)
	}
	path := filepath.Join(dir, "trace.jsonl")
	f, err := createOutput(path)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "{}\n")
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the output exists before commit: %v", err)
	}
	if err := commitOutput(path, f); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "{}\n" {
		t.Errorf("committed output holds %q, want %q", got, "{}\n")
	}
	if err := commitOutput(path, f); err == nil || !strings.HasPrefix(err.Error(), "write "+path+": ") {
		t.Errorf("second commit: %v, want an error naming the file", err)
	}
	aborted := filepath.Join(dir, "aborted.jsonl")
	g, err := createOutput(aborted)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(g, "{}\n")
	g.Abort()
	if _, err := os.Stat(aborted); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("aborted output exists: %v", err)
	}
	noTempFiles(t, dir)
}

func TestCheckFilesOutput(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, dir, "f", "")
	tests := []struct {
		path string
		ok   bool
	}{
		{"", true},
		{"model.bin", true},
		{filepath.Join(dir, "model.bin"), true},
		{filepath.Join(dir, "no", "model.bin"), false},
		{filepath.Join(file, "model.bin"), false},
		{dir, false},
	}
	for _, tc := range tests {
		if err := checkFiles(output("--model-out", tc.path)); (err == nil) != tc.ok {
			t.Errorf("checkFiles(--model-out %q) = %v, want ok %v", tc.path, err, tc.ok)
		}
	}
}
