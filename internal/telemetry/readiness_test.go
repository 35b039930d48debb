package telemetry

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
)

// TestDiskFreeFloor sets the floor just above and far below what the test's
// temporary file system has free.
func TestDiskFreeFloor(t *testing.T) {
	dir := t.TempDir()
	free, err := freeBytes(dir)
	if errors.Is(err, errNoStatfs) {
		t.Skip("no statfs on this platform")
	}
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := DiskFree(1, dir)(ctx); err != nil {
		t.Errorf("1-byte floor: %v", err)
	}
	err = DiskFree(free+1<<30, dir)(ctx)
	if err == nil || !strings.Contains(err.Error(), "below the floor") {
		t.Errorf("floor above the free space: %v", err)
	}
	gone := filepath.Join(dir, "missing")
	if err := DiskFree(1, dir, gone)(ctx); err == nil || !strings.Contains(err.Error(), gone) {
		t.Errorf("a data dir that cannot be inspected must fail the check: %v", err)
	}
	if err := DiskFree(0, gone)(ctx); err != nil {
		t.Errorf("floor 0 disables the check: %v", err)
	}
}

// TestReadyzFailsOnDiskFloor: through /readyz, a disk below the floor is a
// 503 naming the "disk" check, with the details in the log only.
func TestReadyzFailsOnDiskFloor(t *testing.T) {
	dir := t.TempDir()
	free, err := freeBytes(dir)
	if err != nil {
		t.Skip(err)
	}
	var logs bytes.Buffer
	h := NewHealth(slog.New(slog.NewTextHandler(&logs, nil)), 0)
	h.AddCheck("disk", DiskFree(free+1<<30, dir))
	r := callReady(t, h)
	failed, _ := r.body["failed"].(map[string]any)
	if r.code != 503 || failed["disk"] != "unavailable" {
		t.Fatalf("got %d %s", r.code, r.raw)
	}
	if strings.Contains(r.raw, dir) || !strings.Contains(logs.String(), "below the floor") {
		t.Errorf("body %s; log %s", r.raw, logs.String())
	}
}

// TestFailedWritesCheck: below the limit nothing is probed; at the limit a
// failing probe fails the check and a working one (which resets the count,
// as the real stores do) passes it.
func TestFailedWritesCheck(t *testing.T) {
	ctx := context.Background()
	var n int64
	probes, probeErr := 0, error(nil)
	probe := func(context.Context) error {
		probes++
		if probeErr == nil {
			n = 0
		} else {
			n++
		}
		return probeErr
	}
	check := FailedWrites(5, func() int64 { return n }, probe)
	n = 4
	if err := check(ctx); err != nil || probes != 0 {
		t.Fatalf("4 failures: %v, %d probes", err, probes)
	}
	n, probeErr = 5, errors.New("disk full")
	if err := check(ctx); err == nil || !strings.Contains(err.Error(), "last 5 writes failed") || probes != 1 {
		t.Fatalf("5 failures and a failing probe: %v, %d probes", err, probes)
	}
	probeErr = nil
	if err := check(ctx); err != nil || n != 0 || probes != 2 {
		t.Fatalf("recovered probe: %v, count %d, %d probes", err, n, probes)
	}
	if err := FailedWrites(0, func() int64 { return 99 }, probe)(ctx); err != nil {
		t.Errorf("limit 0 disables the check: %v", err)
	}
}
