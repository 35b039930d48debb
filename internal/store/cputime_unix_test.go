//go:build unix

package store_test

import (
	"syscall"
	"time"
)

// processCPU is the test process's CPU time (all threads, GC included):
// on a shared machine it says more about a benchmark's own cost than the
// wall clock, which mostly measures who else is running.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
