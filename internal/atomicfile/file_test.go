package atomicfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// TestFileCommit: content written over time appears at the destination
// only at Commit; afterwards the File refuses further use and Abort leaves
// the committed file alone.
func TestFileCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "trace.jsonl")
	mustWrite(t, path, "previous run\n", 0o600)
	f, err := atomicfile.Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"{\"iteration\":1}\n", "{\"iteration\":2}\n"} {
		if _, err := io.WriteString(f, line); err != nil {
			t.Fatal(err)
		}
		wantContent(t, path, "previous run\n")
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	wantContent(t, path, "{\"iteration\":1}\n{\"iteration\":2}\n")
	wantPerm(t, path, 0o644)
	if _, err := f.Write([]byte("late")); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("Write after Commit: %v, want fs.ErrClosed", err)
	}
	if err := f.Commit(); !errors.Is(err, fs.ErrClosed) {
		t.Errorf("second Commit: %v, want fs.ErrClosed", err)
	}
	if err := f.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	wantContent(t, path, "{\"iteration\":1}\n{\"iteration\":2}\n")
	wantEntries(t, dir, "trace.jsonl")
}

// TestFileAbort: an aborted file never appears and leaves no temporary
// file; a second Abort does nothing, and Commit or Write after it fail.
func TestFileAbort(t *testing.T) {
	for _, existing := range []bool{false, true} {
		name := map[bool]string{false: "new", true: "over an old file"}[existing]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "trace.jsonl")
			want := []string{}
			if existing {
				mustWrite(t, path, "old", 0o644)
				want = append(want, "trace.jsonl")
			}
			f, err := atomicfile.Create(path, 0o644)
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(f, "{}\n")
			if err := f.Abort(); err != nil {
				t.Fatal(err)
			}
			if err := f.Abort(); err != nil {
				t.Errorf("second Abort: %v", err)
			}
			if err := f.Commit(); !errors.Is(err, fs.ErrClosed) {
				t.Errorf("Commit after Abort: %v, want fs.ErrClosed", err)
			}
			if _, err := f.Write([]byte("x")); !errors.Is(err, fs.ErrClosed) {
				t.Errorf("Write after Abort: %v, want fs.ErrClosed", err)
			}
			wantEntries(t, dir, want...)
			if existing {
				wantContent(t, path, "old")
			}
		})
	}
}

// TestFileCommitRenameFails: a destination that became a non-empty
// directory while the file was written makes Commit fail (os.Rename of a
// file over a non-empty directory fails); the directory is untouched and
// no temporary file remains.
func TestFileCommitRenameFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out")
	f, err := atomicfile.Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(f, "content")
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err == nil {
		t.Fatal("Commit over a non-empty directory succeeded")
	}
	wantEntries(t, dir, "out")
	wantEntries(t, path, "x")
}

// TestCreateMissingDirectory: Create reports a missing directory at once.
func TestCreateMissingDirectory(t *testing.T) {
	dir := t.TempDir()
	f, err := atomicfile.Create(filepath.Join(dir, "no", "out"), 0o644)
	if !errors.Is(err, fs.ErrNotExist) || f != nil {
		t.Errorf("Create in a missing directory: %v, %v; want nil, fs.ErrNotExist", f, err)
	}
	wantEntries(t, dir)
}

// TestNilFile: the methods of a nil *File return errors, or do nothing
// for Abort, rather than panic.
func TestNilFile(t *testing.T) {
	var f *atomicfile.File
	if _, err := f.Write([]byte("x")); err == nil {
		t.Error("Write on a nil *File: no error")
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit on a nil *File: no error")
	}
	if err := f.Abort(); err != nil {
		t.Errorf("Abort on a nil *File: %v", err)
	}
	var zero atomicfile.File
	if err := zero.Commit(); err == nil {
		t.Error("Commit on a zero File: no error")
	}
}
