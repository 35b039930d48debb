package retention

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

type fixture struct {
	st     *store.Store
	bucket *media.Bucket
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "ret.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := media.OpenBucket(ctx, "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return &fixture{st: st, bucket: b}
}

// addCase creates a published case (no reporter contact, so no cipher is
// needed), with n photos stored in the bucket, and moves it to status.
func (f *fixture) addCase(t *testing.T, file string, status store.Status, photos int) (int64, []string) {
	t.Helper()
	ctx := context.Background()
	c := &store.Case{Status: store.StatusMissing, FullName: "Fiona Fictional", Sex: "female",
		LastSeenDate: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), LastSeenPlace: "Harbour", Community: "Twillingate",
		Region: "Central", PoliceAgency: "RCMP", PoliceFileNumber: file, PoliceVerified: true}
	id, err := f.st.CreateCase(ctx, c, store.ReporterContact{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	if photos > 0 {
		pl := media.NewPipeline(media.Config{}, nil)
		var ps []*media.Processed
		for i := 0; i < photos; i++ {
			var buf bytes.Buffer
			if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 20+i, 30))); err != nil {
				t.Fatal(err)
			}
			p, err := pl.Process(ctx, &buf)
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		err := f.bucket.PutAndCommit(ctx, ps, func(k []string) error {
			keys = k
			rows := make([]store.Photo, len(k))
			for i := range k {
				rows[i] = store.Photo{Key: k[i]}
			}
			return f.st.AddPhotos(ctx, id, rows, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if status != store.StatusMissing {
		if err := f.st.TransitionCase(ctx, id, status, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	return id, keys
}

func (f *fixture) blobExists(t *testing.T, key string) bool {
	t.Helper()
	rc, _, err := f.bucket.Open(context.Background(), media.BlobName(key, media.VariantSmall))
	if errors.Is(err, media.ErrNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	return true
}

// later is a clock days after now: the store stamps located_at with the
// real clock, so the job's clock moves forward instead.
func later(days int) func() time.Time {
	return func() time.Time { return time.Now().AddDate(0, 0, days) }
}

func TestRunOnceWithdrawsDueCases(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	due, dueKeys := f.addCase(t, "DUE", store.StatusLocated, 2)
	missing, missingKeys := f.addCase(t, "MISSING", store.StatusMissing, 1)
	archived, _ := f.addCase(t, "ARCH", store.StatusArchived, 0)

	// Not yet: 29 days after.
	j := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Holder: "test-a", Now: later(29)}
	res, err := j.RunOnce(ctx)
	if err != nil || res.Withdrawn != 0 || res.Skipped {
		t.Fatalf("early pass: %+v %v", res, err)
	}

	j.Now = later(31)
	res, err = j.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Withdrawn != 1 || res.Photos != 2 || res.BlobFails != 0 {
		t.Fatalf("pass: %+v", res)
	}
	c, err := f.st.GetCase(ctx, due)
	if err != nil || !c.PersonalWithdrawn || c.Status != store.StatusLocated {
		t.Fatalf("due case: %+v %v", c, err)
	}
	if ps, _ := f.st.ListPhotos(ctx, due); len(ps) != 0 {
		t.Errorf("photo rows left: %d", len(ps))
	}
	for _, k := range dueKeys {
		if f.blobExists(t, k) {
			t.Errorf("blob %s left", k)
		}
	}
	// Other cases untouched.
	for _, id := range []int64{missing, archived} {
		c, _ := f.st.GetCase(ctx, id)
		if c.PersonalWithdrawn {
			t.Errorf("case %d withdrawn", id)
		}
	}
	if !f.blobExists(t, missingKeys[0]) {
		t.Error("blob of a missing case deleted")
	}
	// Audited as the system, in the same transaction as the change.
	es, _, err := f.st.ListAudit(ctx, store.AuditFilter{Action: AuditAction})
	if err != nil || len(es) != 1 {
		t.Fatalf("audit: %+v %v", es, err)
	}
	if es[0].UserID != nil || es[0].UserEmail != "" || es[0].Record != "case:"+itoa(due) {
		t.Errorf("audit entry: %+v", es[0])
	}
	// A second pass finds nothing more.
	if res, err := j.RunOnce(ctx); err != nil || res.Withdrawn != 0 {
		t.Fatalf("second pass: %+v %v", res, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestLeaseKeepsSecondInstanceOut(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.addCase(t, "A", store.StatusLocated, 1)
	f.addCase(t, "B", store.StatusLocated, 1)
	a := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Holder: "instance-a", LeaseTTL: time.Hour, Now: later(40)}
	b := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Holder: "instance-b", LeaseTTL: time.Hour, Now: later(40)}
	ra, err := a.RunOnce(ctx)
	if err != nil || ra.Skipped || ra.Withdrawn != 2 {
		t.Fatalf("a: %+v %v", ra, err)
	}
	rb, err := b.RunOnce(ctx)
	if err != nil || !rb.Skipped {
		t.Fatalf("b should be kept out by a's lease: %+v %v", rb, err)
	}
	// a renews its own lease.
	if ra, err := a.RunOnce(ctx); err != nil || ra.Skipped {
		t.Fatalf("a renewing: %+v %v", ra, err)
	}
}

// TestConcurrentInstancesWithdrawOnce: two instances racing never
// withdraw a case twice (one audit entry per case).
func TestConcurrentInstancesWithdrawOnce(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	for _, file := range []string{"C1", "C2", "C3"} {
		f.addCase(t, file, store.StatusLocated, 1)
	}
	var wg sync.WaitGroup
	results := make([]Result, 4)
	errs := make([]error, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Holder: "inst-" + itoa(int64(i)), LeaseTTL: time.Hour, Now: later(40)}
			results[i], errs[i] = j.RunOnce(ctx)
		}()
	}
	wg.Wait()
	total := 0
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("instance %d: %v", i, errs[i])
		}
		total += results[i].Withdrawn
	}
	es, _, err := f.st.ListAudit(ctx, store.AuditFilter{Action: AuditAction})
	if err != nil {
		t.Fatal(err)
	}
	if total != 3 || len(es) != 3 {
		t.Fatalf("withdrawn %d, audit entries %d; want 3 and 3", total, len(es))
	}
}

type failingBlobs struct{}

func (failingBlobs) Delete(context.Context, string) error { return errors.New("storage down") }

func TestBlobFailureIsCountedNotFatal(t *testing.T) {
	f := newFixture(t)
	f.addCase(t, "X", store.StatusLocated, 2)
	j := &Job{Store: f.st, Blobs: failingBlobs{}, Days: 30, Holder: "h", Now: later(31)}
	res, err := j.RunOnce(context.Background())
	if err != nil || res.Withdrawn != 1 || res.BlobFails != 2 {
		t.Fatalf("%+v %v", res, err)
	}
}

func TestRunArguments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := Run(ctx, f.st, f.bucket, -1, Policy{}, time.Minute, nil); err == nil {
		t.Error("negative days accepted")
	}
	if err := Run(ctx, f.st, f.bucket, 30, Policy{}, 0, nil); err == nil {
		t.Error("interval 0 accepted")
	}
	if err := Run(ctx, nil, f.bucket, 30, Policy{}, time.Minute, nil); err == nil {
		t.Error("nil store accepted")
	}
}

// TestRunStopsWithContext: Run makes its first pass at once (with 0 days
// a located case is withdrawn by it) and returns when its context ends.
func TestRunStopsWithContext(t *testing.T) {
	f := newFixture(t)
	id, _ := f.addCase(t, "RUN", store.StatusLocated, 1)
	// located_at has microsecond precision and the cutoff is "before now":
	// let the clock move past it so the first pass surely sees the case.
	time.Sleep(2 * time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, f.st, f.bucket, 0, Policy{}, time.Hour, nil) }()
	// A guard against hanging the suite for an hour if the pass misses the
	// case; it is not a performance assertion.
	giveUp := time.After(time.Minute)
	for {
		c, err := f.st.GetCase(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.PersonalWithdrawn {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("Run returned early: %v", err)
		case <-giveUp:
			cancel()
			t.Fatal("the first pass did not withdraw the case")
		case <-time.After(5 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v", err)
	}
}

// TestZeroDaysWithdrawsAtNextPass: LOSTINNL_LOCATED_RETENTION_DAYS=0 means
// a located case loses its photos at the next pass.
func TestZeroDaysWithdrawsAtNextPass(t *testing.T) {
	f := newFixture(t)
	f.addCase(t, "Z", store.StatusLocated, 1)
	f.addCase(t, "M", store.StatusMissing, 1)
	j := &Job{Store: f.st, Blobs: f.bucket, Days: 0, Holder: "h", Now: func() time.Time { return time.Now().Add(time.Second) }}
	res, err := j.RunOnce(context.Background())
	if err != nil || res.Withdrawn != 1 {
		t.Fatalf("%+v %v", res, err)
	}
}
