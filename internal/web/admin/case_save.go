package admin

import (
	"errors"
	"net/http"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminCaseSave is POST /admin/cases/{id}: saves the edit form. Only the
// form's own fields are read; the status changes through its own confirmed
// step, never through this form.
func (h *handler) adminCaseSave(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := h.Store.GetCase(ctx, id)
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewAdminCaseFormFor(kit.L(r), vals)
	v := &adminCaseView{Form: f}
	if v.Errors = f.Validate(h.Today()); len(v.Errors) > 0 {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, v)
	}
	before := *c
	f.Apply(c)
	changed := form.ChangedFields(&before, c)
	// What the moderator changed in the contact is read from the form
	// itself: the sealed contact is not opened just to compare it.
	contact := f.ContactEdit()
	if len(changed) == 0 && !contact.Changed() {
		return h.FlashRedirect(w, r, kit.CaseAdminURL(id), "success", kit.L(r).TC("admin cases", "Nothing was changed."))
	}
	// One store call, one transaction: the fields and the contact are
	// saved together or not at all.
	save := store.CaseSave{Contact: contact}
	if len(changed) > 0 {
		save.Fields, save.FieldsAudit = c, h.AuditFor(r, "case.update", "changed: "+strings.Join(changed, ", "))
	}
	if contact.Changed() {
		save.ContactAudit = h.AuditFor(r, "case.contact_update", "reporter contact changed")
	}
	err = h.Store.SaveCase(ctx, id, save)
	if errors.Is(err, store.ErrPublishRequirements) {
		v.Errors = map[string]string{"police_verified": i18n.Mark("A published case must keep its police service, file number and the “verified with the police” tick.")}
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, &before, v)
	}
	if err != nil {
		v.Notice = kit.SaveFailedNotice
		return h.renderAdminCase(w, r, h.LogSaveFailure(r, "admin case edit", err), &before, v)
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id), "success", kit.L(r).TC("admin cases", "Case saved."))
}
