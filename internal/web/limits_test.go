package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// withPhotoLimit wires a media pipeline whose per-photo limit is mb
// megabytes, as the CLI does from LOSTINNL_MAX_UPLOAD_MB.
func withPhotoLimit(t *testing.T, mb int64) func(*Deps) {
	t.Helper()
	b, err := media.OpenBucket(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return func(d *Deps) {
		d.Pipeline = media.NewPipeline(media.Config{MaxFileBytes: mb << 20}, nil)
		d.Bucket = b
		d.Uploads = testSpool(t)
		d.MaxUploadBytes = 64 << 10 // small, so the test body is cut off quickly
	}
}

// TestTooLargePageStatesConfiguredLimits: the 413 page, the form hints and
// the photo error quote the limit in force, not a fixed "10 MB".
func TestTooLargePageStatesConfiguredLimits(t *testing.T) {
	s := newSite(t, withPhotoLimit(t, 3))
	rec := s.postMultipart("/submit", validReport(), map[string][]byte{"big.jpg": bytes.Repeat([]byte{0xff}, 200<<10)})
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
	body := rec.Body.String()
	mustContain(t, body, fmt.Sprintf("each under 3 MB, at most %d", kit.MaxReportPhotos))
	mustNotContain(t, body, "10 MB")

	form := s.get("/submit").Body.String()
	mustContain(t, form, "JPEG or PNG, each under 3 MB.")
	mustNotContain(t, form, "10 MB")

	// A refused photo names the same limit.
	s2 := newSite(t, withPhotoLimit(t, 3), func(d *Deps) { d.MaxUploadBytes = 20 << 20 })
	rec = s2.postMultipart("/submit", validReport(), map[string][]byte{"a.jpg": []byte("not an image")})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "photos under 3 MB")
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{10 << 20: "10 MB", 1 << 20: "1 MB", 3<<20 + 1<<19: "3.5 MB", 512 << 10: "512 KB", 1: "1 KB"} {
		if got := kit.SizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestStoreInvalidIsNotA500: a store ErrInvalid that a handler did not
// catch becomes a 422 page (and JSON on the API), never a 500; the log
// says a check was missed.
func TestStoreInvalidIsNotA500(t *testing.T) {
	s := newSite(t)
	err := fmt.Errorf("store: create tip: %w", fmt.Errorf("%w: body: longer than 65535 bytes", store.ErrInvalid))
	if got, _ := s.web.StatusOf(err); got != http.StatusUnprocessableEntity {
		t.Fatalf("statusOf(ErrInvalid) = %d, want 422", got)
	}
	for _, path := range []string{"/cases/1/tips", "/api/v1/cases"} {
		rec := httptest.NewRecorder()
		s.web.Fail(rec, httptest.NewRequest(http.MethodPost, path, nil), err)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		if strings.Contains(rec.Body.String(), "65535") {
			t.Errorf("%s: the store's message reached the visitor: %s", path, rec.Body.String())
		}
	}
	mustContain(t, s.logs.String(), "store refused a value the handler did not check")
	// Other statuses keep their meaning.
	if got, _ := s.web.StatusOf(fmt.Errorf("x: %w", store.ErrNotFound)); got != http.StatusNotFound {
		t.Errorf("ErrNotFound → %d", got)
	}
}
