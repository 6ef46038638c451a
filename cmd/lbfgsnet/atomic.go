package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// atomicFile is a file written under a temporary name in the destination's
// directory and renamed over the destination only when complete, so that a
// reader of the destination never sees it half-written: it holds either the
// previous file or the new one. A crash leaves at most a hidden
// ".NAME.tmp-*" file beside it.
type atomicFile struct {
	*os.File
	path string
	done bool
}

// createAtomic starts writing path.
func createAtomic(path string) (*atomicFile, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the temporary name would only confuse
		}
		return nil, fmt.Errorf("create %s: %w", path, err)
	}
	return &atomicFile{File: f, path: path}, nil
}

// commit syncs the temporary file and renames it to the destination. On
// failure the destination is left as it was and the temporary file is
// removed.
func (a *atomicFile) commit() error {
	if a.done {
		return errors.New("atomic file: commit after commit or abort")
	}
	a.done = true
	err := a.Chmod(0o644)
	if err == nil {
		err = a.Sync()
	}
	if cerr := a.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.Name(), a.path)
	}
	if err != nil {
		os.Remove(a.Name())
		return fmt.Errorf("write %s: %w", a.path, err)
	}
	return nil
}

// abort removes the temporary file; the destination is untouched. It is a
// no-op after commit, so it can be deferred.
func (a *atomicFile) abort() {
	if a.done {
		return
	}
	a.done = true
	a.Close()
	os.Remove(a.Name())
}

// writeFileAtomic writes the output of fill to path atomically.
func writeFileAtomic(path string, fill func(f *os.File) error) error {
	a, err := createAtomic(path)
	if err != nil {
		return err
	}
	defer a.abort()
	if err := fill(a.File); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return a.commit()
}

// checkOutputDir reports, before any work is done, an output file whose
// directory does not exist, so that a long run does not fail at the end.
func checkOutputDir(flag, path string) error {
	if path == "" {
		return nil
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err == nil && !st.IsDir() {
		err = errors.New("not a directory")
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("--%s %s: directory %s: %w", flag, path, dir, err)
	}
	return nil
}
