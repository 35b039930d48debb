package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminReportShow is GET /admin/reports/{id}: everything about a pending
// report, including the reporter's decrypted contact, with the approve form
// (all fields editable) and the reject form. A report that was already
// handled sends the moderator to its case page.
func (h *handler) adminReportShow(w http.ResponseWriter, r *http.Request) error {
	c, err := h.pendingReport(r)
	if err != nil {
		return err
	}
	if c.Status != store.StatusPending {
		return h.FlashRedirect(w, r, kit.CaseAdminURL(c.ID), "success", kit.L(r).T("This report was already handled: it is {status}.", "status", statusLabel(kit.L(r), c.Status)))
	}
	f := form.AdminCaseFormFrom(c, h.openContact(r, c))
	return h.renderAdminCase(w, r, http.StatusOK, c, &adminCaseView{Form: f, Review: true})
}

// pendingReport loads the case of the path (any status; callers decide).
func (h *handler) pendingReport(r *http.Request) (*store.Case, error) {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return h.Store.GetCase(r.Context(), id)
}
