package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminResourceSave is POST /admin/resources/{id}.
func (h *handler) adminResourceSave(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.Store.GetResource(r.Context(), id)
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewResourceFormFor(kit.L(r), vals)
	v := &resourceView{ID: id, Form: f, Order: form.ResourceFieldOrder, Categories: store.ResourceCategories}
	if v.Errors = kit.TErrors(r, f.Validate()); len(v.Errors) > 0 {
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "resource.html", kit.L(r).T("Edit resource"), "resources", v)
	}
	f.Apply(res)
	if err := h.Store.UpdateResource(r.Context(), res, h.AuditFor(r, "resource.update", "resource edited: "+res.Title)); err != nil {
		v.Notice = kit.L(r).T(kit.SaveFailedNotice)
		return h.AdminRender(w, r, h.LogSaveFailure(r, "resource", err), "resource.html", kit.L(r).T("Edit resource"), "resources", v)
	}
	return h.FlashRedirect(w, r, "/admin/resources", "success", kit.L(r).T("Resource saved."))
}
