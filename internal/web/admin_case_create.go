package web

import (
	"net/http"

	"lostinnl/internal/store"
)

// adminCaseCreate is POST /admin/cases: a new case (pending) with its
// private reporter contact, audited in the same transaction.
func (h *handler) adminCaseCreate(w http.ResponseWriter, r *http.Request) error {
	vals, err := h.readSmallForm(w, r)
	if err != nil {
		return err
	}
	f := newAdminCaseForm(vals)
	v := &caseFormView{Form: f, Order: adminCaseFieldOrder}
	if v.Errors = f.Validate(h.today()); len(v.Errors) > 0 {
		return h.adminRender(w, r, http.StatusUnprocessableEntity, "case_new.html", "Add a case", "cases", v)
	}
	c := &store.Case{Status: store.StatusPending}
	f.apply(c)
	contact := f.contact()
	if contact.Name == unreadable || contact.Phone == unreadable || contact.Email == unreadable || contact.Relationship == unreadable {
		v.Errors = map[string]string{"reporter_name": "Type the reporter's details, not the placeholder."}
		return h.adminRender(w, r, http.StatusUnprocessableEntity, "case_new.html", "Add a case", "cases", v)
	}
	id, err := h.st.CreateCase(r.Context(), c, contact, nil, h.auditFor(r, "case.create", "case added by staff (pending)"))
	if err != nil {
		v.Notice = saveFailedNotice
		status := h.logSaveFailure(r, "admin case", err)
		return h.adminRender(w, r, status, "case_new.html", "Add a case", "cases", v)
	}
	return h.flashRedirect(w, r, caseAdminURL(id), "success", "Case added. It is pending until you publish it.")
}
