package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tempInfix separates a destination's name from the owner and random part
// in the name of its temporary file: ".NAME.tmp-PID-RANDOM".
const tempInfix = ".tmp-"

// tempPrefix is the name of a temporary file of the destination base up to
// the process id of its writer.
func tempPrefix(base string) string {
	return "." + base + tempInfix
}

// tempPattern is the os.CreateTemp pattern of this process's temporary
// files of the destination base: the prefix, the process id, a dash and
// the random part os.CreateTemp puts in place of the star.
func tempPattern(base string) string {
	return tempPrefix(base) + strconv.Itoa(os.Getpid()) + "-*"
}

// parseTemporary reports whether name is a temporary file of the
// destination base, and the process id of its writer (0 when the name
// holds none, as those of earlier versions of this package did). A random
// part holding the infix belongs to another destination (".a.tmp-x.tmp-1"
// is a temporary file of "a.tmp-x", not of "a").
func parseTemporary(name, base string) (pid int, ok bool) {
	rest, ok := strings.CutPrefix(name, tempPrefix(base))
	if !ok || rest == "" || strings.Contains(rest, tempInfix) {
		return 0, false
	}
	owner, random, found := strings.Cut(rest, "-")
	if !found || random == "" {
		return 0, true
	}
	pid, err := strconv.Atoi(owner)
	if err != nil || pid <= 0 || owner[0] == '+' || owner[0] == '0' {
		return 0, true
	}
	return pid, true
}

// RemoveTemporaries removes the temporary files of the destination path
// (".NAME.tmp-PID-*" beside the file path resolves to) that this process
// made and did not commit or abort, and those of processes that no longer
// run, for a process that quits at once, as a command does on a second
// interrupt. Temporary files of other running processes stay. A missing
// directory is not an error; the error names each file that could not be
// removed.
func RemoveTemporaries(path string) error {
	return removeTemporaries(path, true)
}

// removeTemporaries removes path's temporary files left by processes that
// no longer run, and with own those of this process.
func removeTemporaries(path string, own bool) error {
	target := path
	if d, err := resolve(path); err == nil {
		target = d.path
	} else if _, _, err := split(path); err != nil {
		return err
	}
	dir, base, err := split(target)
	if err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("list temporary files: %w", osErr(err))
	}
	self := os.Getpid()
	var errs []error
	for _, e := range entries {
		pid, ok := parseTemporary(e.Name(), base)
		if e.IsDir() || !ok || pid == 0 || (pid == self && !own) || (pid != self && processRuns(pid)) {
			continue
		}
		name := filepath.Join(dir, e.Name())
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove temporary file %s: %w", name, osErr(err)))
		}
	}
	return errors.Join(errs...)
}
