//go:build !unix

package atomicfile

// processRuns reports every process as running where this package cannot
// ask: temporary files of killed processes are then left in place.
func processRuns(pid int) bool { return true }
