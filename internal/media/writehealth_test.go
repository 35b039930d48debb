package media

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestFailedWritesCountsPuts: failed Puts are counted in a row, a Put the
// client abandoned is not, and a success (a Put or ProbeWrite) resets.
func TestFailedWritesCountsPuts(t *testing.T) {
	ctx := context.Background()
	p := processedSample(t)
	dir := t.TempDir()
	b := mustOpen(t, "", dir)
	fail := true
	b.testHookWrite = func(string) error {
		if fail {
			return errors.New("injected: no space left on device")
		}
		return nil
	}
	for i := 1; i <= 3; i++ {
		if _, err := b.Put(ctx, p); err == nil {
			t.Fatal("Put succeeded")
		}
		if got := b.FailedWrites(); got != int64(i) {
			t.Fatalf("after %d failed Puts: %d", i, got)
		}
	}
	cancelled, stop := context.WithCancel(ctx)
	stop()
	fail = false
	_, _ = b.Put(cancelled, p)
	if got := b.FailedWrites(); got != 3 {
		t.Fatalf("an abandoned Put changed the count: %d", got)
	}
	if err := b.ProbeWrite(ctx); err != nil {
		t.Fatalf("ProbeWrite: %v", err)
	}
	if got := b.FailedWrites(); got != 0 {
		t.Fatalf("after a working probe: %d", got)
	}
	// The probe leaves nothing behind.
	var left []string
	_ = filepath.WalkDir(filepath.Join(dir, "media"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, path)
		}
		return nil
	})
	if len(left) != 0 {
		t.Fatalf("probe left %v", left)
	}
	if _, _, ok := ParseName(probePrefix + "0011223344556677"); ok {
		t.Fatal("a probe blob name is a servable variant name")
	}
	if _, err := b.Put(ctx, p); err != nil || b.FailedWrites() != 0 {
		t.Fatalf("Put: %v, count %d", err, b.FailedWrites())
	}
}
