package atomicfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// writeString returns a write callback that writes s.
func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	}
}

// TestWritePermissions: a new file gets exactly the permissions asked for.
// 0o666 and 0o777 are what os.WriteFile under the usual umask 022 would
// turn into 0o644 and 0o755, so they show that the umask is not applied.
func TestWritePermissions(t *testing.T) {
	for _, perm := range []os.FileMode{0o644, 0o600, 0o666, 0o777, 0o400} {
		t.Run(perm.String(), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out")
			if err := atomicfile.Write(path, perm, writeString("content\n")); err != nil {
				t.Fatal(err)
			}
			wantContent(t, path, "content\n")
			wantPerm(t, path, perm)
			wantEntries(t, dir, "out")
		})
	}
}

// TestWriteReplaces: a write over an existing file puts a new file in its
// place rather than rewriting the old one: the old file's mode does not
// carry over, and a hard link to the old file still holds the old content
// (a write in place would have changed it).
func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model")
	mustWrite(t, path, "old", 0o600)
	link := filepath.Join(dir, "model.link")
	if err := os.Link(path, link); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	if err := atomicfile.Write(path, 0o644, writeString("new")); err != nil {
		t.Fatal(err)
	}
	wantContent(t, path, "new")
	wantPerm(t, path, 0o644)
	wantContent(t, link, "old")
	wantEntries(t, dir, "model", "model.link")
}

// TestWriteFailure: a write that fails part-way or at once, a directory at
// the destination, a rename that fails and a missing directory all leave
// the previous file as it was and no temporary file.
func TestWriteFailure(t *testing.T) {
	diskFull := errors.New("no space left on device")
	tests := []struct {
		name   string
		target string // the destination, relative to the test's directory
		write  func(dir string, w io.Writer) error
		want   error // matched with errors.Is; nil: any error
	}{
		{"write fails half-way", "model", func(_ string, w io.Writer) error {
			if _, err := io.WriteString(w, "half a new mod"); err != nil {
				return err
			}
			return diskFull
		}, diskFull},
		{"write fails at once", "model", func(string, io.Writer) error { return diskFull }, diskFull},
		{"destination is a directory", "blocked", func(_ string, w io.Writer) error {
			_, err := io.WriteString(w, "a whole new model")
			return err
		}, nil},
		// A directory that appears at the destination during the write
		// makes the rename fail: os.Rename of a file over a non-empty
		// directory fails.
		{"rename fails", "late", func(dir string, w io.Writer) error {
			if err := os.MkdirAll(filepath.Join(dir, "late", "x"), 0o755); err != nil {
				return err
			}
			_, err := io.WriteString(w, "a whole new model")
			return err
		}, nil},
		{"missing directory", filepath.Join("missing", "model"), func(_ string, w io.Writer) error {
			_, err := io.WriteString(w, "a whole new model")
			return err
		}, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			old := filepath.Join(dir, "model")
			mustWrite(t, old, "the previous model", 0o600)
			blocked := filepath.Join(dir, "blocked")
			if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
				t.Fatal(err)
			}
			write := func(w io.Writer) error { return tt.write(dir, w) }
			err := atomicfile.Write(filepath.Join(dir, tt.target), 0o644, write)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("error %v, want %v", err, tt.want)
			}
			if strings.Contains(err.Error(), ".tmp-") {
				t.Errorf("error %q names the temporary file", err)
			}
			wantContent(t, old, "the previous model")
			wantPerm(t, old, 0o600)
			wantEntries(t, blocked, "x")
			if tt.target == "late" {
				wantEntries(t, dir, "blocked", "late", "model")
				wantEntries(t, filepath.Join(dir, "late"), "x")
			} else {
				wantEntries(t, dir, "blocked", "model")
			}
		})
	}
}

// TestWriteErrorAsIs: the callback's error comes back unwrapped, so that
// the caller's message reads as its own.
func TestWriteErrorAsIs(t *testing.T) {
	boom := errors.New("simulated crash")
	err := atomicfile.Write(filepath.Join(t.TempDir(), "f"), 0o644, func(io.Writer) error { return boom })
	if err != boom {
		t.Errorf("error %#v, want the callback's error itself", err)
	}
}

// TestWritePanics: a callback that panics leaves no temporary file.
func TestWritePanics(t *testing.T) {
	dir := t.TempDir()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the callback's panic did not propagate")
			}
		}()
		atomicfile.Write(filepath.Join(dir, "f"), 0o644, func(w io.Writer) error {
			io.WriteString(w, "partial")
			panic("callback bug")
		})
	}()
	wantEntries(t, dir)
}

// TestWriteInvalid: arguments that name no file, permissions beyond the
// permission bits and a nil callback are refused before anything is
// created.
func TestWriteInvalid(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	tests := []struct {
		name  string
		path  string
		perm  os.FileMode
		write func(io.Writer) error
		want  string
	}{
		{"empty path", "", 0o644, writeString("x"), "empty path"},
		{"trailing separator", file + string(os.PathSeparator), 0o644, writeString("x"), "names no file"},
		{"dot dot", dir + string(os.PathSeparator) + "..", 0o644, writeString("x"), "names a directory"},
		{"existing directory", dir, 0o644, writeString("x"), "destination is a directory"},
		{"setuid bit", file, 0o644 | os.ModeSetuid, writeString("x"), "only the permission bits"},
		{"directory mode", file, 0o755 | os.ModeDir, writeString("x"), "only the permission bits"},
		{"nil write", file, 0o644, nil, "nil write function"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := atomicfile.Write(tt.path, tt.perm, tt.write)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			wantEntries(t, dir)
		})
	}
}
