package retention

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// holdPhoto stores one photo's blobs and holds it for a report form.
func (f *fixture) holdPhoto(t *testing.T, token string, at time.Time) string {
	t.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 20, 30))); err != nil {
		t.Fatal(err)
	}
	p, err := media.NewPipeline(media.Config{}, nil).Process(ctx, &buf)
	if err != nil {
		t.Fatal(err)
	}
	var key string
	err = f.bucket.PutAndCommit(ctx, []*media.Processed{p}, func(k []string) error {
		key = k[0]
		_, err := f.st.HoldReportPhotos(ctx, token, []store.HeldPhoto{{Key: k[0]}}, 5, at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// Photos held for a report form that was never sent go, rows and blobs,
// at the first pass after their 24 h hold; a hold still running stays.
func TestRunOnceDeletesExpiredHeldFormPhotos(t *testing.T) {
	f := newFixture(t)
	start := time.Now()
	oldTok, _ := store.NewFormToken()
	newTok, _ := store.NewFormToken()
	old := f.holdPhoto(t, oldTok, start.Add(-25*time.Hour))
	fresh := f.holdPhoto(t, newTok, start.Add(-23*time.Hour))
	j := &Job{Store: f.st, Blobs: f.bucket, Days: 30, Holder: "h", Now: func() time.Time { return start }}
	res, err := j.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.HeldPhotos != 1 || res.BlobFails != 0 {
		t.Fatalf("result %+v", res)
	}
	if f.blobExists(t, old) || !f.blobExists(t, fresh) {
		t.Fatalf("blobs: old %v, fresh %v", f.blobExists(t, old), f.blobExists(t, fresh))
	}
	ref, err := f.st.ReferencedPhotoKeys(context.Background(), []string{old, fresh})
	if err != nil || ref[old] || !ref[fresh] {
		t.Fatalf("rows: %v %v", ref, err)
	}
	// Two hours later the second hold has ended too.
	j.Now = func() time.Time { return start.Add(2 * time.Hour) }
	if res, err := j.RunOnce(context.Background()); err != nil || res.HeldPhotos != 1 || f.blobExists(t, fresh) {
		t.Fatalf("second pass %+v %v", res, err)
	}
}
