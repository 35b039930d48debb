//go:build !(linux || darwin || freebsd)

package telemetry

// freeBytes cannot be measured here; DiskFree then passes (the server is
// only deployed on Linux, this keeps other builds compiling).
func freeBytes(string) (uint64, error) { return 0, errNoStatfs }
