package admin

import (
	"net/http"

	"lostinnl/internal/i18n"
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
		return h.renderCaseNew(w, r, http.StatusUnprocessableEntity, v)
	}
	c := &store.Case{Status: store.StatusPending}
	f.Apply(c)
	contact := f.Contact()
	if contact.Name == kit.Unreadable || contact.Phone == kit.Unreadable || contact.Email == kit.Unreadable || contact.Relationship == kit.Unreadable {
		v.Errors = map[string]string{"reporter_name": i18n.Mark("Type the reporter's details, not the placeholder.")}
		return h.renderCaseNew(w, r, http.StatusUnprocessableEntity, v)
	}
	id, err := h.Store.CreateCase(r.Context(), c, contact, nil, h.AuditFor(r, "case.create", "case added by staff (pending)"))
	if err != nil {
		v.Notice = kit.SaveFailedNotice
		status := h.LogSaveFailure(r, "admin case", err)
		return h.renderCaseNew(w, r, status, v)
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id), "success", kit.L(r).T("Case added. It is pending until you publish it."))
}
