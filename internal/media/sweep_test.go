package media

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"
)

// fakeSweepStore stands in for the database: the keys rows reference, and
// one lease.
type fakeSweepStore struct {
	mu         sync.Mutex
	refs       map[string]bool
	leaseOwner string
	asked      int
	releases   int
}

func (f *fakeSweepStore) AcquireLease(_ context.Context, name, holder string, _ time.Duration) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if name != SweepLeaseName {
		panic("unexpected lease " + name)
	}
	if f.leaseOwner == "" || f.leaseOwner == holder {
		f.leaseOwner = holder
		return true, nil
	}
	return false, nil
}

func (f *fakeSweepStore) ReleaseLease(_ context.Context, name, holder string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.leaseOwner == holder {
		f.leaseOwner = ""
	}
	f.releases++
	return nil
}

func (f *fakeSweepStore) ReferencedPhotoKeys(_ context.Context, keys []string) (map[string]bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked += len(keys)
	out := map[string]bool{}
	for _, k := range keys {
		if f.refs[k] {
			out[k] = true
		}
	}
	return out, nil
}

func listNames(t *testing.T, b *Bucket) []string {
	t.Helper()
	var names []string
	it := b.b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err != nil {
			break
		}
		names = append(names, obj.Key)
	}
	sort.Strings(names)
	return names
}

func hasKey(t *testing.T, b *Bucket, key string) int {
	t.Helper()
	n := 0
	for _, v := range VariantNames() {
		if _, _, err := readName(t, b, BlobName(key, v)); err == nil {
			n++
		}
	}
	return n
}

// TestSweepClock runs on every backend: the blobs are written now, and the
// sweeper's clock decides whether they count as old. Referenced keys are
// never deleted, whatever their age; unreferenced ones only once old.
func TestSweepClock(t *testing.T) {
	for _, be := range backends() {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			b := be.open(t)
			p := processedSample(t)
			ref, err := b.Put(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			orphan, err := b.Put(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			st := &fakeSweepStore{refs: map[string]bool{ref: true}}
			removed := 0
			sw := &Sweeper{Store: st, Bucket: b, Holder: "me", Removed: func(n int) { removed += n }}

			// Fresh: an upload whose row is not committed yet looks exactly
			// like this. Nothing may go.
			res, err := sw.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Blobs != 0 || hasKey(t, b, orphan) != 4 || hasKey(t, b, ref) != 4 {
				t.Fatalf("fresh pass deleted something: %+v", res)
			}
			// Just under an hour later: still kept.
			sw.Now = func() time.Time { return time.Now().Add(DefaultOrphanAge - time.Minute) }
			if res, err := sw.RunOnce(ctx); err != nil || res.Blobs != 0 {
				t.Fatalf("pass at 59 min: %+v %v", res, err)
			}
			// Two hours later: the orphan goes, the referenced key stays.
			sw.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
			res, err = sw.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if res.Keys != 1 || res.Blobs != 4 || removed != 4 {
				t.Fatalf("old pass: %+v, removed %d", res, removed)
			}
			if n := hasKey(t, b, orphan); n != 0 {
				t.Fatalf("%d variants of the orphan left", n)
			}
			if n := hasKey(t, b, ref); n != 4 {
				t.Fatalf("referenced key lost variants: %d left", n)
			}
			// Idempotent.
			if res, err := sw.RunOnce(ctx); err != nil || res.Blobs != 0 {
				t.Fatalf("second pass: %+v %v", res, err)
			}
		})
	}
}

// TestSweepFileAges uses real file times on a file:// bucket: old and
// fresh orphans side by side, a key with one fresh variant, fileblob's
// leftover temporary file, and a file that is not ours.
func TestSweepFileAges(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b := mustOpen(t, "file://"+filepath.ToSlash(dir), "")
	p := processedSample(t)
	put := func() string {
		k, err := b.Put(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	old := time.Now().Add(-2 * time.Hour)
	age := func(name string) {
		if err := os.Chtimes(filepath.Join(dir, name), old, old); err != nil {
			t.Fatal(err)
		}
	}
	ageKey := func(key string) {
		for _, v := range VariantNames() {
			age(BlobName(key, v))
		}
	}
	ref, oldOrphan, freshOrphan, mixed := put(), put(), put(), put()
	ageKey(ref)
	ageKey(oldOrphan)
	ageKey(mixed)
	// One variant of mixed written just now: its upload may still be
	// running (the variants are written in parallel), so the key stays.
	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, BlobName(mixed, VariantLarge)), now, now); err != nil {
		t.Fatal(err)
	}
	// A write cut short by kill -9 leaves fileblob's temporary file.
	crashed := put()
	if err := b.Delete(ctx, crashed); err != nil {
		t.Fatal(err)
	}
	tmp := BlobName(crashed, VariantSmall) + ".18a2b3c4d5e6f708.tmp"
	foreign := "README.txt"
	for _, n := range []string{tmp, foreign} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		age(n)
	}

	st := &fakeSweepStore{refs: map[string]bool{ref: true}}
	res, err := (&Sweeper{Store: st, Bucket: b, Holder: "me"}).RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Keys != 2 || res.Blobs != 5 {
		t.Errorf("result %+v, want 2 keys (old orphan, temp file) and 5 blobs", res)
	}
	for key, want := range map[string]int{ref: 4, oldOrphan: 0, freshOrphan: 4, mixed: 4} {
		if n := hasKey(t, b, key); n != want {
			t.Errorf("key %s: %d variants left, want %d", key, n, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, tmp)); !os.IsNotExist(err) {
		t.Errorf("old temporary file kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, foreign)); err != nil {
		t.Errorf("a file that is not ours was touched: %v", err)
	}
}

// TestSweepLease: while another instance holds the lease, a pass does
// nothing, not even listing the database.
func TestSweepLease(t *testing.T) {
	ctx := context.Background()
	b := mustOpen(t, "mem://", "")
	orphan, err := b.Put(ctx, processedSample(t))
	if err != nil {
		t.Fatal(err)
	}
	st := &fakeSweepStore{leaseOwner: "other"}
	later := func() time.Time { return time.Now().Add(2 * time.Hour) }
	res, err := (&Sweeper{Store: st, Bucket: b, Holder: "me", Now: later}).RunOnce(ctx)
	if err != nil || !res.Skipped || hasKey(t, b, orphan) != 4 || st.asked != 0 {
		t.Fatalf("pass without the lease: %+v %v (asked %d)", res, err, st.asked)
	}
	res, err = (&Sweeper{Store: st, Bucket: b, Holder: "other", Now: later}).RunOnce(ctx)
	if err != nil || res.Blobs != 4 {
		t.Fatalf("holder's pass: %+v %v", res, err)
	}
	// The lease is held for a pass only: a process restarted after a
	// crash sweeps at once instead of waiting for the dead holder's lease.
	if st.leaseOwner != "" || st.releases != 1 {
		t.Fatalf("lease after the pass: owner %q, %d releases", st.leaseOwner, st.releases)
	}
}

// TestSweepManyKeys crosses the batch size, so the batching and the
// grouping of a key's names across batch boundaries are exercised.
func TestSweepManyKeys(t *testing.T) {
	ctx := context.Background()
	b := mustOpen(t, "mem://", "")
	p := processedSample(t)
	refs := map[string]bool{}
	total := sweepBatch*2 + 7
	for i := range total {
		k, err := b.Put(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			refs[k] = true
		}
	}
	st := &fakeSweepStore{refs: refs}
	res, err := (&Sweeper{Store: st, Bucket: b, Holder: "me", Now: func() time.Time { return time.Now().Add(2 * time.Hour) }}).RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Keys != total-len(refs) || res.Kept != len(refs) || res.Blobs != 4*(total-len(refs)) {
		t.Fatalf("result %+v for %d keys, %d referenced", res, total, len(refs))
	}
	if names := listNames(t, b); len(names) != 4*len(refs) {
		t.Fatalf("%d names left, want %d", len(names), 4*len(refs))
	}
	for k := range refs {
		if hasKey(t, b, k) != 4 {
			t.Fatalf("referenced key %s lost variants", k)
		}
	}
}

func TestSweepKey(t *testing.T) {
	k := "abcdefghijklmnopqrstuvwxyz234567"
	for name, want := range map[string]bool{
		k + "_1600.jpg":                   true,
		k + "_social.jpg.17f0a1b2.tmp":    true,
		k + "_1600.jpg.tmp":               false,
		k + "_1600.jpg.XYZ.tmp":           false,
		k + "_1600.jpg.attrs":             false,
		k + "_999.jpg.17f0.tmp":           false,
		"../" + k + "_1600.jpg":           false,
		"README.txt":                      false,
		k[:31] + "_1600.jpg.17f0a1b2.tmp": false,
	} {
		got, ok := sweepKey(name)
		if ok != want || ok && got != k {
			t.Errorf("sweepKey(%q) = %q, %v; want ok=%v", name, got, ok, want)
		}
	}
}
