package admin

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// maxUpdateRunes bounds one public update.
const maxUpdateRunes = 5000

// readUpdateBody reads the "body" field of the update forms.
func readUpdateBody(vals map[string][]string) (string, string) {
	fr := form.NewFormReader(vals)
	body := fr.Text("body", maxUpdateRunes)
	if msg := fr.Errs["body"]; msg != "" {
		return body, msg
	}
	if body == "" {
		return body, i18n.Mark("Write the update first.")
	}
	return body, ""
}

// adminUpdateAdd is POST /admin/cases/{id}/updates: a new dated entry on
// the case's public timeline.
func (h *handler) adminUpdateAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.Store.GetCase(r.Context(), id)
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	body, msg := readUpdateBody(vals)
	if msg != "" {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, &adminCaseView{
			Form: form.AdminCaseFormFrom(c, h.openContact(r, c)), UpdateError: kit.L(r).T(msg), UpdateBody: body})
	}
	if _, err := h.Store.AddUpdate(r.Context(), id, body, h.AuditFor(r, "case.update_add", "public update added")); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#updates", "success", kit.L(r).TC("admin cases", "Update added."))
}
