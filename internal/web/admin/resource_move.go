package admin

import (
	"net/http"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminResourceMove is POST /admin/resources/{id}/move with dir=up|down.
func (h *handler) adminResourceMove(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	rs, err := h.Store.ListResources(r.Context())
	if err != nil {
		return err
	}
	ids := make([]int64, len(rs))
	for i, res := range rs {
		ids[i] = res.ID
	}
	at, moved := moveByOne(ids, id, vals.Get("dir"))
	if at < 0 {
		return kit.ErrNotFound()
	}
	if !moved {
		return h.FlashRedirect(w, r, "/admin/resources", "success", kit.L(r).T("The resource is already at that end."))
	}
	if err := h.Store.ReorderResources(r.Context(), ids, h.AuditFor(r, "resource.reorder", "resource order changed: "+rs[at].Title)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, "/admin/resources", "success", kit.L(r).T("Order saved."))
}
