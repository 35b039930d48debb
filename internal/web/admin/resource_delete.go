package admin

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminResourceDelete is POST /admin/resources/{id}/delete.
func (h *handler) adminResourceDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.Store.GetResource(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteResource(r.Context(), id, h.AuditFor(r, "resource.delete", "resource deleted: "+res.Title)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, "/admin/resources", "success", kit.L(r).T("Resource deleted."))
}
