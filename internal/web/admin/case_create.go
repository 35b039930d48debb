package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminCaseCreate is POST /admin/cases: a new case (pending) with its
// private reporter contact, audited in the same transaction.
func (h *handler) adminCaseCreate(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewAdminCaseFormFor(kit.L(r), vals)
	v := &caseFormView{Form: f, Order: form.AdminCaseFieldOrder}
	if v.Errors = f.Validate(h.Today()); len(v.Errors) > 0 {
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_new.html", "Add a case", "cases", v)
	}
	c := &store.Case{Status: store.StatusPending}
	f.Apply(c)
	contact := f.Contact()
	if contact.Name == kit.Unreadable || contact.Phone == kit.Unreadable || contact.Email == kit.Unreadable || contact.Relationship == kit.Unreadable {
		v.Errors = map[string]string{"reporter_name": "Type the reporter's details, not the placeholder."}
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_new.html", "Add a case", "cases", v)
	}
	id, err := h.Store.CreateCase(r.Context(), c, contact, nil, h.AuditFor(r, "case.create", "case added by staff (pending)"))
	if err != nil {
		v.Notice = kit.SaveFailedNotice
		status := h.LogSaveFailure(r, "admin case", err)
		return h.AdminRender(w, r, status, "case_new.html", "Add a case", "cases", v)
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id), "success", "Case added. It is pending until you publish it.")
}
