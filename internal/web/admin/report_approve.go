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

// adminReportApprove is POST /admin/reports/{id}/approve: saves the
// reviewed fields (the moderator may correct them) and publishes. The
// police service, file number and the "verified with the police" tick are
// required, here and again in the store.
func (h *handler) adminReportApprove(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := h.pendingReport(r)
	if err != nil {
		return err
	}
	if c.Status != store.StatusPending {
		return h.FlashRedirect(w, r, kit.CaseAdminURL(c.ID), "error", kit.L(r).T("This report was already handled: it is {status}.", "status", statusLabel(kit.L(r), c.Status)))
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewAdminCaseFormFor(kit.L(r), vals)
	v := &adminCaseView{Form: f, Review: true}
	v.Errors = f.Validate(h.Today())
	if f.PoliceAgency == "" {
		form.SetIfNone(v.Errors, "police_agency", i18n.Mark("Enter the police service before publishing."))
	}
	if f.PoliceFileNumber == "" {
		form.SetIfNone(v.Errors, "police_file_number", i18n.Mark("Enter the police file number before publishing."))
	}
	if f.PoliceVerified == "" {
		form.SetIfNone(v.Errors, "police_verified", i18n.Mark("Tick this once you have verified the report with the police."))
	}
	if len(v.Errors) > 0 {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, v)
	}
	before := *c
	f.Apply(c)
	// The corrections, the contact changes and the publishing are one
	// store call and one transaction: a refused publish leaves nothing
	// half saved.
	t := transitionFor(kit.L(r), store.StatusPending, store.StatusMissing)
	save := store.CaseSave{Contact: f.ContactEdit(), Publish: true, PublishAudit: h.AuditFor(r, t.Action, "report approved and published")}
	if changed := form.ChangedFields(&before, c); len(changed) > 0 {
		save.Fields, save.FieldsAudit = c, h.AuditFor(r, "case.update", "reviewed before publishing; changed: "+strings.Join(changed, ", "))
	}
	if save.Contact.Changed() {
		save.ContactAudit = h.AuditFor(r, "case.contact_update", "reporter contact changed")
	}
	err = h.Store.SaveCase(ctx, c.ID, save)
	switch {
	case errors.Is(err, store.ErrPublishRequirements):
		v.Errors = map[string]string{"police_verified": i18n.Mark("Publishing needs the police service, file number and the verified tick.")}
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, &before, v)
	case errors.Is(err, store.ErrIllegalTransition), errors.Is(err, store.ErrConflict):
		return h.FlashRedirect(w, r, kit.CaseAdminURL(c.ID), "error", kit.L(r).T("Someone else handled this report meanwhile. Check the case's status."))
	case err != nil:
		v.Notice = kit.SaveFailedNotice
		return h.renderAdminCase(w, r, h.LogSaveFailure(r, "report approve", err), &before, v)
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(c.ID), "success", kit.L(r).T("Report approved: the case is now published."))
}
