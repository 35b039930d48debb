package web

import (
	"net/http"

	"lostinnl/internal/store"
)

// adminResourceEdit is GET /admin/resources/{id}.
func (h *handler) adminResourceEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.st.GetResource(r.Context(), id)
	if err != nil {
		return err
	}
	v := &resourceView{ID: id, Form: resourceFormFrom(res), Order: resourceFieldOrder, Categories: store.ResourceCategories}
	return h.adminRender(w, r, http.StatusOK, "resource.html", "Edit resource", "resources", v)
}
