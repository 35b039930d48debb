package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminPhotoMove is POST /admin/cases/{id}/photos/{pid}/move with dir=up or
// dir=down: swaps the photo with its neighbour (works without JavaScript).
// The photo is looked up among the case's own photos, so another case's
// photo id is a 404.
func (h *handler) adminPhotoMove(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := kit.PathID(r, "pid")
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	ps, err := h.Store.ListPhotos(r.Context(), id)
	if err != nil {
		return err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	at, moved := moveByOne(ids, pid, vals.Get("dir"))
	if at < 0 {
		return kit.ErrNotFound()
	}
	if !moved {
		return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#photos", "success", kit.L(r).T("The photo is already at that end."))
	}
	if err := h.Store.ReorderPhotos(r.Context(), id, ids, h.AuditFor(r, "case.photo_reorder", "photo "+strconv.FormatInt(pid, 10)+" moved")); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#photos", "success", kit.L(r).TC("admin cases", "Photo order saved."))
}
