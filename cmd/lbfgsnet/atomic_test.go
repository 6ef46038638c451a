package main

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteFileAtomic: a successful write replaces the file; a failing one
// leaves the previous content and no temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	write := func(content string, fail error) error {
		return writeFileAtomic(path, func(f *os.File) error {
			if _, err := f.WriteString(content); err != nil {
				return err
			}
			return fail
		})
	}
	if err := write("first\n", nil); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	if err := write("half", boom); !errors.Is(err, boom) {
		t.Fatalf("error = %v, want %v", err, boom)
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
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

// TestAtomicAbort: an aborted file never appears, and commit after abort
// is an error.
func TestAtomicAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trace.jsonl")
	a, err := createAtomic(path)
	if err != nil {
		t.Fatal(err)
	}
	a.WriteString("{}\n")
	a.abort()
	a.abort() // a second abort is a no-op
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("aborted file exists: %v", err)
	}
	if err := a.commit(); err == nil {
		t.Error("commit after abort succeeded")
	}
	noTempFiles(t, dir)
}

func TestCheckOutputDir(t *testing.T) {
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
	}
	for _, tc := range tests {
		if err := checkOutputDir("model-out", tc.path); (err == nil) != tc.ok {
			t.Errorf("checkOutputDir(%q) = %v, want ok %v", tc.path, err, tc.ok)
		}
	}
}
