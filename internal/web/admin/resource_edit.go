package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
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
	v := &resourceView{ID: id, Form: form.ResourceFormFrom(res), Order: form.ResourceFieldOrder, Categories: store.ResourceCategories}
	return h.AdminRender(w, r, http.StatusOK, "resource.html", kit.L(r).T("Edit resource"), "resources", v)
}

// resourceView is the data of admin/resource.html (new and edit).
type resourceView struct {
	ID         int64 // 0 = new
	Form       *form.ResourceForm
	Errors     map[string]string
	Order      []string
	Categories []string
	Notice     string
}
