package web

import (
	"net/http"

	"lostinnl/internal/store"
)

// adminResourceNew is GET /admin/resources/new.
func (h *handler) adminResourceNew(w http.ResponseWriter, r *http.Request) error {
	v := &resourceView{Form: &resourceForm{}, Order: resourceFieldOrder, Categories: store.ResourceCategories}
	return h.AdminRender(w, r, http.StatusOK, "resource.html", "Add a resource", "resources", v)
}
