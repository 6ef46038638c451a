package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
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
