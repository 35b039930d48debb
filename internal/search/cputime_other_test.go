//go:build !linux

package search

import "time"

var start = time.Now()

// Elsewhere the benchmarks fall back to wall-clock time.
func threadCPU() time.Duration  { return time.Since(start) }
func processCPU() time.Duration { return time.Since(start) }
