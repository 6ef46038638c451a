package nn

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAtomicFailure: a write that fails part-way, or a rename that
// fails, leaves the previous file as it was and no temporary file.
func TestWriteAtomicFailure(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model")
	old := []byte("the previous model")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	// A directory in the way of the rename: os.Rename of a file over a
	// non-empty directory fails.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	diskFull := errors.New("no space left on device")
	tests := []struct {
		name  string
		path  string
		write func(io.Writer) error
	}{
		{"write fails half-way", path, func(w io.Writer) error {
			if _, err := w.Write([]byte("half a new mod")); err != nil {
				return err
			}
			return diskFull
		}},
		{"rename fails", blocked, func(w io.Writer) error {
			_, err := w.Write([]byte("a whole new model"))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := writeAtomic(tt.path, tt.write); err == nil {
				t.Fatal("writeAtomic: no error")
			}
			if got, err := os.ReadFile(path); err != nil || !bytes.Equal(got, old) {
				t.Errorf("previous file now %q, %v; want %q", got, err, old)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 2 {
				t.Errorf("directory holds %d entries, want the previous file and the blocking directory", len(entries))
			}
		})
	}
	// A write that succeeds replaces the file.
	if err := writeAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("new")); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("after a successful write the file holds %q, want \"new\"", got)
	}
}
