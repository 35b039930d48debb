package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminResourceCreate is POST /admin/resources (added at the end).
func (h *handler) adminResourceCreate(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewResourceFormFor(kit.L(r), vals)
	v := &resourceView{Form: f, Order: form.ResourceFieldOrder, Categories: store.ResourceCategories}
	if v.Errors = kit.TErrors(r, f.Validate()); len(v.Errors) > 0 {
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "resource.html", kit.L(r).T("Add a resource"), "resources", v)
	}
	res := &store.Resource{}
	f.Apply(res)
	if _, err := h.Store.CreateResource(r.Context(), res, h.AuditFor(r, "resource.create", "resource added: "+res.Title)); err != nil {
		v.Notice = kit.L(r).T(kit.SaveFailedNotice)
		return h.AdminRender(w, r, h.LogSaveFailure(r, "resource", err), "resource.html", kit.L(r).T("Add a resource"), "resources", v)
	}
	return h.FlashRedirect(w, r, "/admin/resources", "success", kit.L(r).T("Resource added."))
}
