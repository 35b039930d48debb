package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/web/kit"
)

// adminUpdateDelete is POST /admin/cases/{id}/updates/{uid}/delete (404 for
// an update of another case).
func (h *handler) adminUpdateDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := kit.PathID(r, "uid")
	if err != nil {
		return err
	}
	if err := h.Store.DeleteUpdate(r.Context(), id, uid, h.AuditFor(r, "case.update_delete", "public update "+strconv.FormatInt(uid, 10)+" deleted")); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#updates", "success", kit.L(r).TC("admin cases", "Update deleted."))
}
