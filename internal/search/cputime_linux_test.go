package search

import (
	"syscall"
	"time"
	"unsafe"
)

// threadCPU is the calling thread's CPU time. The benchmarks lock their
// goroutine to a thread and time queries with it too, because on a shared
// machine wall-clock percentiles mostly measure who else is running.
func threadCPU() time.Duration {
	const clockThreadCPUTimeID = 3
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

// processCPU is the CPU time of the whole process (all threads, GC
// included), user plus system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
