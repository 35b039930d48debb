package admin

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// maxUpdateRunes bounds one public update.
const maxUpdateRunes = 5000

// readUpdateBody reads the update forms: the text ("body", required) and
// its optional version in the other language ("body_alt"). msg is the
// text's problem, altMsg the other version's, both in lz's language.
func readUpdateBody(lz *i18n.Localizer, vals map[string][]string) (body store.UpdateText, msg, altMsg string) {
	fr := form.NewFormReaderFor(lz, vals)
	body.Body = fr.Text("body", maxUpdateRunes)
	body.BodyAlt = fr.Text("body_alt", maxUpdateRunes)
	altMsg = fr.Errs["body_alt"]
	if msg = fr.Errs["body"]; msg == "" && body.Body == "" {
		msg = lz.T("Write the update first.")
	}
	return body, msg, altMsg
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
	body, msg, altMsg := readUpdateBody(kit.L(r), vals)
	if msg != "" || altMsg != "" {
		v := &adminCaseView{Form: form.AdminCaseFormFrom(c, h.openContact(r, c)), UpdateError: msg,
			UpdateBody: body.Body, UpdateBodyAlt: body.BodyAlt}
		if altMsg != "" {
			v.UpdateAltErrors = map[string]string{"body_alt": altMsg}
		}
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, v)
	}
	summary := "public update added"
	if body.BodyAlt != "" {
		summary += ", with its other-language version"
	}
	if _, err := h.Store.AddUpdateText(r.Context(), id, body, h.AuditFor(r, "case.update_add", summary)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#updates", "success", kit.L(r).TC("admin cases", "Update added."))
}
