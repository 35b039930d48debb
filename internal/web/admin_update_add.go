package web

import (
	"net/http"
)

// maxUpdateRunes bounds one public update.
const maxUpdateRunes = 5000

// readUpdateBody reads the "body" field of the update forms.
func readUpdateBody(vals map[string][]string) (string, string) {
	fr := newFormReader(vals)
	body := fr.text("body", maxUpdateRunes)
	if msg := fr.errs["body"]; msg != "" {
		return body, msg
	}
	if body == "" {
		return body, "Write the update first."
	}
	return body, ""
}

// adminUpdateAdd is POST /admin/cases/{id}/updates: a new dated entry on
// the case's public timeline.
func (h *handler) adminUpdateAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.st.GetCase(r.Context(), id)
	if err != nil {
		return err
	}
	vals, err := h.readSmallForm(w, r)
	if err != nil {
		return err
	}
	body, msg := readUpdateBody(vals)
	if msg != "" {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, &adminCaseView{
			Form: adminCaseFormFrom(c, h.openContact(r, c)), UpdateError: msg, UpdateBody: body})
	}
	if _, err := h.st.AddUpdate(r.Context(), id, body, h.auditFor(r, "case.update_add", "public update added")); err != nil {
		return err
	}
	return h.flashRedirect(w, r, caseAdminURL(id)+"#updates", "success", "Update added.")
}
