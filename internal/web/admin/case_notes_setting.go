package admin

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminCaseNotesSetting is POST /admin/cases/{id}/notes: turn public notes
// (issue 19 point 5) on or off for a case. Field notes_allowed is "yes"
// (checked) or absent. It is a form of its own beside the case form, so a
// change is audited on its own and never rides along with a details save.
func (h *handler) adminCaseNotesSetting(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	v := vals.Get("notes_allowed")
	if v != "" && v != "yes" {
		return &kit.HTTPError{Status: http.StatusBadRequest, Msg: kit.L(r).T("The public notes setting could not be read. Go back to the case and try again.")}
	}
	allowed := v == "yes"
	// The audit summaries stay English: they are stored data.
	summary, msg := "public notes turned off", i18n.MarkC("admin cases", "Public notes are off for this case: the form and the approved notes are hidden.")
	if allowed {
		summary, msg = "public notes turned on", i18n.MarkC("admin cases", "Public notes are on: the case page shows the note form while the case is open.")
	}
	changed, err := h.Store.SetNotesAllowed(r.Context(), id, allowed, h.AuditFor(r, "case.notes", summary))
	if err != nil {
		return err
	}
	if !changed {
		msg = i18n.MarkC("admin cases", "Nothing changed.")
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#notes-setting", "success", kit.L(r).TC("admin cases", msg))
}
