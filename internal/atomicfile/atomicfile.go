package atomicfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// creating is held for reading while Create makes a temporary file, and
// for writing, never to be released, by Freeze.
var creating sync.RWMutex

// File is a file being written under a temporary name in its destination's
// directory. Its content appears at the destination only when Commit
// succeeds; Abort, or a failed Commit, removes it. A File is not safe for
// concurrent use.
type File struct {
	tmp  *os.File     // the temporary file of a regular destination
	buf  bytes.Buffer // the content for a FIFO or character device
	path string       // the destination, its symbolic links followed
	kind kind
	perm fs.FileMode // set by Commit
	done bool        // Commit or Abort has run
	ok   bool        // made by Create
}

// errNilFile is returned by the methods of a nil *File.
var errNilFile = errors.New("nil *atomicfile.File")

// Write writes the file at path atomically with the content write
// produces, and permissions perm (the bits of fs.ModePerm only, set exactly
// whatever the umask). The writer passed to write is the File being
// written; write must not keep it after it returns. If write returns an
// error, Write returns that error as it is. After any error, of write or of
// a later step, a previous file at path is as it was and no temporary file
// remains.
func Write(path string, perm fs.FileMode, write func(w io.Writer) error) error {
	if write == nil {
		return errors.New("nil write function")
	}
	f, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer f.Abort() // a no-op after Commit; removes the file if write panics
	if err := write(f); err != nil {
		if aerr := f.Abort(); aerr != nil {
			return errors.Join(err, aerr)
		}
		return err
	}
	return f.Commit()
}

// Create starts writing the file at path atomically with permissions perm
// (the bits of fs.ModePerm only, set exactly at Commit whatever the umask).
// A symbolic link at path is followed: its target is replaced atomically
// (or created), the link stays. A FIFO or a character device at path
// (/dev/null, a named pipe) cannot be replaced: its content is kept in
// memory and written to it whole at Commit, so a reader sees nothing of an
// aborted file. A directory, a socket or a block device at path is an
// error. Create makes the temporary file in the target's directory, so a
// missing or unwritable directory is reported here, before any content is
// produced; it first removes the temporary files of the same destination
// left by processes that no longer run. The caller must end with Commit or
// Abort; deferring Abort is safe, as it does nothing after a Commit.
func Create(path string, perm fs.FileMode) (*File, error) {
	if perm&^fs.ModePerm != 0 {
		return nil, fmt.Errorf("permissions %v: only the permission bits %v may be set", perm, fs.ModePerm)
	}
	d, err := resolve(path)
	if err != nil {
		return nil, err
	}
	f := &File{path: d.path, kind: d.kind, perm: perm, ok: true}
	if d.kind == kindStream {
		return f, nil
	}
	dir, base, err := split(d.path)
	if err != nil {
		return nil, err
	}
	removeTemporaries(d.path, false) // leftovers of killed writers; best effort
	creating.RLock()
	defer creating.RUnlock()
	if f.tmp, err = os.CreateTemp(dir, tempPattern(base)); err != nil {
		return nil, fmt.Errorf("create temporary file: %w", osErr(err))
	}
	return f, nil
}

// Freeze is for a process about to exit without finishing its writes: it
// waits until no Create is making a temporary file, and from then on every
// Create blocks until the process exits. RemoveTemporaries called after
// Freeze therefore sees every temporary file the process will ever make;
// without it, a goroutine could make one after the listing and leave it
// behind.
func Freeze() {
	creating.Lock()
}

// Write writes p to the temporary file. After Commit or Abort it returns an
// error wrapping fs.ErrClosed.
func (f *File) Write(p []byte) (int, error) {
	if f == nil || !f.ok {
		return 0, errNilFile
	}
	if f.done {
		return 0, fmt.Errorf("write: %w", fs.ErrClosed)
	}
	if f.kind == kindStream {
		return f.buf.Write(p)
	}
	n, err := f.tmp.Write(p)
	if err != nil {
		err = fmt.Errorf("write temporary file: %w", osErr(err))
	}
	return n, err
}

// Commit sets the permissions, syncs the temporary file to disk, closes it
// and renames it over the destination, then syncs the directory. On
// failure the destination is left as it was and the temporary file is
// removed. For a FIFO or character device it opens the destination
// (waiting for a FIFO's reader) and writes the content in one go. Commit
// after Commit or Abort returns an error wrapping fs.ErrClosed.
func (f *File) Commit() error {
	if f == nil || !f.ok {
		return errNilFile
	}
	if f.done {
		return fmt.Errorf("commit: %w", fs.ErrClosed)
	}
	f.done = true
	if f.kind == kindStream {
		return f.writeStream()
	}
	if err := f.install(); err != nil {
		f.tmp.Close() // already closed when the rename failed
		os.Remove(f.tmp.Name())
		return err
	}
	syncDir(filepath.Dir(f.path))
	return nil
}

// install is Commit's sequence up to the rename: chmod, fsync, close,
// rename. It returns the first error.
func (f *File) install() error {
	if err := f.tmp.Chmod(f.perm); err != nil {
		return fmt.Errorf("set permissions of temporary file: %w", osErr(err))
	}
	if err := f.tmp.Sync(); err != nil {
		return fmt.Errorf("sync temporary file: %w", osErr(err))
	}
	if err := f.tmp.Close(); err != nil {
		return fmt.Errorf("close temporary file: %w", osErr(err))
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		return fmt.Errorf("rename temporary file into place: %w", osErr(err))
	}
	return nil
}

// writeStream writes the buffered content to a FIFO or character device.
// The destination is opened without O_CREATE, so a FIFO removed meanwhile
// is an error rather than a new regular file.
func (f *File) writeStream() error {
	defer f.buf.Reset()
	w, err := os.OpenFile(f.path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("open: %w", osErr(err))
	}
	if _, err := w.Write(f.buf.Bytes()); err != nil {
		w.Close()
		return fmt.Errorf("write: %w", osErr(err))
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("close: %w", osErr(err))
	}
	return nil
}

// Abort closes and removes the temporary file; the destination is left as
// it was. It does nothing after Commit or a previous Abort, so it can be
// deferred. Its error is that of the removal, and names the file left
// behind.
func (f *File) Abort() error {
	if f == nil || !f.ok || f.done {
		return nil
	}
	f.done = true
	if f.kind == kindStream {
		f.buf.Reset()
		return nil
	}
	f.tmp.Close()
	if err := os.Remove(f.tmp.Name()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove temporary file %s: %w", f.tmp.Name(), osErr(err))
	}
	return nil
}

// split returns the directory in which path's temporary file is made ("."
// for a bare name) and path's last element, refusing a path that names no
// file.
func split(path string) (dir, base string, err error) {
	if path == "" {
		return "", "", errors.New("empty path")
	}
	dir, base = filepath.Split(path)
	switch base {
	case "":
		return "", "", errors.New("path ends in a separator: it names no file")
	case ".", "..":
		return "", "", errors.New("path names a directory, not a file")
	}
	if dir == "" {
		dir = "."
	}
	return dir, base, nil
}

// syncDir makes a rename in dir durable where the platform supports it; a
// failure only weakens durability after a power loss, not atomicity, so it
// is not reported.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// osErr strips the *fs.PathError or *os.LinkError of an os call on the
// temporary file, whose name would only confuse, and returns the cause.
func osErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
