package telemetry

import (
	"context"
	"errors"
	"fmt"
)

// DiskFree returns a readiness check that fails when any of dirs is on a
// file system with less than minFree bytes available to the service
// (statfs's f_bavail: root's reserve does not count, since we should not
// rely on running as root). A full disk fails every write — the database,
// photos, the upload spool — while reads still work, so without this check
// /readyz would keep saying "ok" to a server that cannot take a report.
// minFree 0 disables the check. A path that cannot be inspected fails it:
// the data directory is gone or unreadable, which is no better.
func DiskFree(minFree uint64, dirs ...string) func(context.Context) error {
	return func(context.Context) error {
		if minFree == 0 {
			return nil
		}
		var errs []error
		for _, d := range dirs {
			free, err := freeBytes(d)
			switch {
			case errors.Is(err, errNoStatfs):
				return nil
			case err != nil:
				errs = append(errs, fmt.Errorf("disk: %s: %w", d, err))
			case free < minFree:
				errs = append(errs, fmt.Errorf("disk: %s: %d MB free, below the floor of %d MB", d, free>>20, minFree>>20))
			}
		}
		return errors.Join(errs...)
	}
}

// FailedWrites returns a readiness check that fails while the last limit
// (or more) writes of one kind failed in a row, as counted by failed.
// Once failing, each run tries probe, one small real write that records
// its own outcome: the load balancer sends no traffic to a server whose
// /readyz fails, so without the probe no write would ever succeed again to
// reset the count. limit <= 0 disables the check.
func FailedWrites(limit int64, failed func() int64, probe func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		if limit <= 0 {
			return nil
		}
		n := failed()
		if n < limit {
			return nil
		}
		if err := probe(ctx); err != nil {
			return fmt.Errorf("the last %d writes failed, and a probe write too: %w", n, err)
		}
		return nil
	}
}

// errNoStatfs: free space cannot be measured on this platform.
var errNoStatfs = errors.New("free space not measurable on this platform")
