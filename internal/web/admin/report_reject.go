package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminReportReject is POST /admin/reports/{id}/reject with a reason (kept
// for the team; the audit summary does not repeat it, as it may name people).
func (h *handler) adminReportReject(w http.ResponseWriter, r *http.Request) error {
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
	fr := form.NewFormReader(vals)
	reason := fr.Text("reason", 2000)
	v := &adminCaseView{Form: form.AdminCaseFormFrom(c, h.openContact(r, c)), Review: true, RejectReason: reason}
	switch {
	case fr.Errs["reason"] != "":
		v.RejectError = kit.L(r).T(fr.Errs["reason"])
	case reason == "":
		v.RejectError = kit.L(r).T("Give the reason for rejecting this report (for the team only).")
	}
	if v.RejectError != "" {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, v)
	}
	t := transitionFor(kit.L(r), store.StatusPending, store.StatusRejected)
	return h.applyTransition(w, r, c, t, reason, func(msg string) error {
		v.Notice = msg
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, v)
	})
}
