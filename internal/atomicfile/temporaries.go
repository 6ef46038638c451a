package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// tempInfix separates a destination's name from the random part in the
// name of its temporary file: ".NAME.tmp-RANDOM".
const tempInfix = ".tmp-"

// tempPrefix is the name of a temporary file of the destination base up to
// the random part that os.CreateTemp appends.
func tempPrefix(base string) string {
	return "." + base + tempInfix
}

// isTemporary reports whether name is a temporary file of the destination
// base: the prefix followed by a random part. A random part holding the
// infix belongs to another destination (".a.tmp-x.tmp-1" is a temporary
// file of "a.tmp-x", not of "a").
func isTemporary(name, base string) bool {
	rest, ok := strings.CutPrefix(name, tempPrefix(base))
	return ok && rest != "" && !strings.Contains(rest, tempInfix)
}

// RemoveTemporaries removes the temporary files of the destination path
// (".NAME.tmp-*" in its directory) that Create and Write leave when the
// process ends before Commit or Abort. It removes them whoever made them,
// so it is for a process that owns path's outputs, as a command quitting at
// once on a second interrupt does. A missing directory is not an error; the
// error names each file that could not be removed.
func RemoveTemporaries(path string) error {
	dir, base, err := split(path)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list temporary files: %w", osErr(err))
	}
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !isTemporary(e.Name(), base) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove temporary file %s: %w", name, osErr(err)))
		}
	}
	return errors.Join(errs...)
}
