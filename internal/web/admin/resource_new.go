package admin

import (
	"lostinnl/internal/web/kit"
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
)

// adminResourceNew is GET /admin/resources/new.
func (h *handler) adminResourceNew(w http.ResponseWriter, r *http.Request) error {
	v := &resourceView{Form: &form.ResourceForm{}, Order: form.ResourceFieldOrder, Categories: store.ResourceCategories}
	return h.AdminRender(w, r, http.StatusOK, "resource.html", kit.L(r).T("Add a resource"), "resources", v)
}
