package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// maxLinks bounds the symbolic links followed to a destination, as the
// kernel's ELOOP does.
const maxLinks = 40

// kind is what a destination path holds, after symbolic links.
type kind int

const (
	kindNew     kind = iota // nothing yet: a regular file is created
	kindRegular             // a regular file, replaced atomically
	kindStream              // a FIFO or a character device, written directly at Commit
)

// destination is where a path's content goes.
type destination struct {
	path string // the file replaced or written: path with its links followed
	kind kind
}

// resolve follows the symbolic links of path and classifies what is at
// the end: a regular file or nothing (replaced or created atomically at
// the link's target), a FIFO or a character device (written directly),
// or something that cannot take a file's content (a directory, a socket,
// a block device), which is an error.
func resolve(path string) (destination, error) {
	if _, _, err := split(path); err != nil {
		return destination{}, err
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		target, err := danglingTarget(path)
		if err != nil {
			return destination{}, err
		}
		if _, _, err := split(target); err != nil {
			return destination{}, fmt.Errorf("symbolic link to %s: %w", target, err)
		}
		return destination{path: target, kind: kindNew}, nil
	case err != nil:
		return destination{}, osErr(err)
	}
	m := st.Mode()
	switch {
	case m.IsDir():
		return destination{}, errors.New("destination is a directory")
	case m.IsRegular():
		target, err := filepath.EvalSymlinks(path)
		if err != nil {
			return destination{}, fmt.Errorf("follow symbolic link: %w", osErr(err))
		}
		return destination{path: target, kind: kindRegular}, nil
	case m&fs.ModeNamedPipe != 0, m&fs.ModeCharDevice != 0:
		// Opened by its own name: /dev/stdout leads through
		// /proc/self/fd to a name that is no path.
		return destination{path: path, kind: kindStream}, nil
	}
	return destination{}, fmt.Errorf("destination is a %s: only a regular file, a FIFO or a character device can be written", modeName(m))
}

// danglingTarget returns the path a missing file at path is created at:
// path itself, or the end of the chain of symbolic links that starts at
// path and leads nowhere.
func danglingTarget(path string) (string, error) {
	for range maxLinks {
		st, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return "", osErr(err)
		}
		if st.Mode()&fs.ModeSymlink == 0 {
			// Stat failed but the entry exists: a directory on the way
			// was replaced meanwhile; creating the file will say so.
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("read symbolic link: %w", osErr(err))
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", fmt.Errorf("more than %d symbolic links", maxLinks)
}

// modeName names a file type in messages.
func modeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "block device"
	case m&fs.ModeIrregular != 0:
		return "file of an unknown type"
	}
	return "special file (" + m.Type().String() + ")"
}

// Target returns the file that writing path replaces or writes: path with
// its symbolic links followed (also a link to a file not yet created), or
// path itself for a FIFO or a character device. It fails for a path that
// cannot be written by this package (a directory, a socket, a block
// device, a path naming no file). Callers use it to tell whether two paths
// name the same file before either exists.
func Target(path string) (string, error) {
	d, err := resolve(path)
	return d.path, err
}

// Check reports, before any content is produced, a path that Create would
// refuse or could not write: a directory, a socket or block device, a
// missing directory, a directory without write permission (tested by
// creating and removing a temporary file in it). A FIFO or character
// device is accepted without opening it, which could block.
func Check(path string) error {
	d, err := resolve(path)
	if err != nil || d.kind == kindStream {
		return err
	}
	dir, base, err := split(d.path)
	if err != nil {
		return err
	}
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	if err == nil && !st.IsDir() {
		err = syscall.ENOTDIR
	}
	if err != nil {
		return fmt.Errorf("directory %s: %w", dir, osErr(err))
	}
	f, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return fmt.Errorf("directory %s is not writable: %w", dir, osErr(err))
	}
	f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return fmt.Errorf("remove temporary file %s: %w", f.Name(), osErr(err))
	}
	return nil
}
