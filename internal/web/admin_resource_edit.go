package web

import (
	"lostinnl/internal/web/kit"
	"net/http"

	"lostinnl/internal/store"
)

// adminResourceEdit is GET /admin/resources/{id}.
func (h *handler) adminResourceEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.Store.GetResource(r.Context(), id)
	if err != nil {
		return err
	}
	v := &resourceView{ID: id, Form: resourceFormFrom(res), Order: resourceFieldOrder, Categories: store.ResourceCategories}
	return h.AdminRender(w, r, http.StatusOK, "resource.html", "Edit resource", "resources", v)
}
