package site

import (
	"errors"
	"net/http"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// mediaCache: photo variants never change under a key (keys are random and
// never reused), so they are cached for a year (issue 5). When a case stops
// being public its photo URLs answer 404 here at once; copies already in
// visitors' browsers are out of our reach whatever max-age we pick.
const mediaCache = "public, max-age=31536000, immutable"

// mediaCSP: a photo opened on its own must never run anything, even if a
// browser were tricked into sniffing it as something else.
const mediaCSP = "default-src 'none'; sandbox"

// mediaShow is GET /media/{name}. It serves a photo variant only when the
// photo belongs to an open (missing) case: photos of located and archived
// cases are 410 Gone, those of pending and rejected cases (and withdrawn
// ones, whose rows are gone) 404, even for someone who knows the key.
func (h *handler) mediaShow(w http.ResponseWriter, r *http.Request) error {
	if h.Bucket == nil {
		return kit.ErrNotFound()
	}
	name := r.PathValue("name")
	key, _, ok := media.ParseName(name)
	if !ok {
		return kit.ErrNotFound()
	}
	ctx := r.Context()
	_, status, err := h.Store.PhotoByKey(ctx, key)
	if err != nil {
		return err
	}
	switch status {
	case store.StatusMissing:
	case store.StatusLocated, store.StatusArchived:
		// Withdrawn from the moment the person is located; the blobs
		// themselves go at the retention date (internal/retention).
		return kit.AppealEnded()
	default:
		return kit.ErrNotFound()
	}
	if h.Presign && h.Bucket.CanSignURLs() {
		// Object storage serves the bytes; the short-lived URL is only
		// handed out after the check above.
		u, err := h.Bucket.SignedURL(ctx, name, time.Hour)
		if err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "public, max-age=3000")
		http.Redirect(w, r, u, http.StatusFound)
		return nil
	}
	rc, attrs, err := h.Bucket.Open(ctx, name)
	if errors.Is(err, media.ErrNotFound) {
		return kit.ErrNotFound()
	}
	if err != nil {
		return err
	}
	defer func() { _ = rc.Close() }() // read-only; nothing to flush
	hd := w.Header()
	// We decide the type: every variant is a JPEG we encoded ourselves.
	hd.Set("Content-Type", "image/jpeg")
	hd.Set("Cache-Control", mediaCache)
	hd.Set("Content-Security-Policy", mediaCSP)
	hd.Set("X-Content-Type-Options", "nosniff")
	if attrs.ETag != "" {
		hd.Set("ETag", attrs.ETag)
	}
	http.ServeContent(w, r, "", attrs.ModTime, rc)
	return nil
}
