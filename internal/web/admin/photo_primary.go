package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/web/kit"
)

// adminPhotoPrimary is POST /admin/cases/{id}/photos/{pid}/primary. The
// store checks the photo belongs to the case (another case's photo: 404).
func (h *handler) adminPhotoPrimary(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := kit.PathID(r, "pid")
	if err != nil {
		return err
	}
	if err := h.Store.SetPrimaryPhoto(r.Context(), id, pid, h.AuditFor(r, "case.photo_primary", "photo "+strconv.FormatInt(pid, 10)+" made primary")); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#photos", "success", kit.L(r).TC("admin cases", "Primary photo changed."))
}
