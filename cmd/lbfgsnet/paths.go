package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/lbfgsnet/lbfgsnet/internal/atomicfile"
)

// fileArg is a file named on the command line: by a flag ("--trace") or
// as an argument ("TRACE").
type fileArg struct {
	name   string
	path   string
	output bool
	// sameAs names the one other argument this one may name the same
	// file as (--resume and --checkpoint: a run continues its checkpoint).
	sameAs string
}

// input and output make fileArgs.
func input(name, path string) fileArg  { return fileArg{name: name, path: path} }
func output(name, path string) fileArg { return fileArg{name: name, path: path, output: true} }

// checkFiles checks the files of an invocation before any work: every
// output must be writable where it is (not a directory, a socket or a
// block device; its directory existing and writable), and no output may be
// the same file as another output or an input, compared after following
// symbolic links and with os.SameFile, so that no output destroys another
// or the data it is computed from. A FIFO or character device may take
// several outputs (each is written whole). Empty paths are skipped.
func checkFiles(files ...fileArg) error {
	for _, f := range files {
		if f.output && f.path != "" {
			if err := atomicfile.Check(f.path); err != nil {
				return fmt.Errorf("%s %s: %w", f.name, f.path, err)
			}
		}
	}
	for i, a := range files {
		for _, b := range files[i+1:] {
			if a.path == "" || b.path == "" || !(a.output || b.output) || a.sameAs == b.name || b.sameAs == a.name {
				continue
			}
			if sameFile(a.path, b.path) {
				what := "both outputs would be written to it, and one would be lost"
				if !a.output || !b.output {
					what = "the output would replace the input it is computed from"
				}
				return usagef("%s %s and %s %s name the same file: %s; give different files", a.name, a.path, b.name, b.path, what)
			}
		}
	}
	return nil
}

// sameFile reports whether the paths a and b name one file: the same
// inode when both exist, otherwise the same path once symbolic links are
// followed. A character device is never the same file as anything:
// /dev/null takes any number of outputs.
func sameFile(a, b string) bool {
	sa, erra := os.Stat(a)
	sb, errb := os.Stat(b)
	if erra == nil && errb == nil {
		return os.SameFile(sa, sb) && sa.Mode()&fs.ModeCharDevice == 0
	}
	if erra == nil || errb == nil {
		return false // one exists, the other does not
	}
	ca, oka := canonical(a)
	cb, okb := canonical(b)
	return oka && okb && ca == cb
}

// canonical returns the absolute path a missing file at path would be
// created at, its directory's symbolic links followed.
func canonical(path string) (string, bool) {
	t, err := atomicfile.Target(path)
	if err != nil {
		return "", false
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(t))
	if err != nil {
		return "", false
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	return filepath.Join(dir, filepath.Base(t)), true
}

// readBounded reads the file at path whole, refusing one larger than
// limit bytes (what names the kind of file in the message), also when it
// is no regular file and its size only shows while it is read (a FIFO,
// /dev/zero).
func readBounded(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer f.Close()
	tooLarge := func() error {
		return fmt.Errorf("%s: larger than %d MiB, the limit for a %s", path, limit>>20, what)
	}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, tooLarge()
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, tooLarge()
	}
	return b, nil
}
