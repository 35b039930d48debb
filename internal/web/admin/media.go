package admin

import (
	"errors"
	"net/http"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// adminMedia is GET /admin/media/{name}: a photo variant of any case,
// including pending and archived ones and photos reporters sent through
// their private link, for signed-in staff only. The name
// must parse strictly and the photo row must exist, so deleted or withdrawn
// photos are gone here too. Never cached: these may be photos of people who
// must not appear publicly.
func (h *handler) adminMedia(w http.ResponseWriter, r *http.Request) error {
	b := h.Bucket
	name := r.PathValue("name")
	key, _, ok := media.ParseName(name)
	if b == nil || !ok {
		return kit.ErrNotFound()
	}
	if _, _, err := h.Store.PhotoByKey(r.Context(), key); errors.Is(err, store.ErrNotFound) {
		// Or a photo the reporter sent later (report_addition_photos),
		// which only staff ever see until it is adopted.
		if _, err := h.Store.AdditionPhotoByKey(r.Context(), key); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	rc, attrs, err := b.Open(r.Context(), name)
	if errors.Is(err, media.ErrNotFound) {
		return kit.ErrNotFound()
	}
	if err != nil {
		return err
	}
	defer rc.Close()
	hd := w.Header()
	hd.Set("Content-Type", attrs.ContentType)
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", attrs.ModTime, rc)
	return nil
}
