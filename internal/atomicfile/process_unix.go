//go:build unix

package atomicfile

import (
	"errors"
	"syscall"
)

// processRuns reports whether a process with id pid exists: signal 0
// checks without sending anything. A process of another user (EPERM)
// runs. A reused id keeps a dead writer's file, which is the safe side.
func processRuns(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
