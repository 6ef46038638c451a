//go:build unix

package main

import "syscall"

// cpuSeconds returns the CPU time (user and system) this process has
// used, all threads together: on a loaded machine it measures the work
// done where wall time measures the share of the cores obtained.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
