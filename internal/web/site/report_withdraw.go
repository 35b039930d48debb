package site

import (
	"errors"
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// reportWithdraw is POST /report/{token}/withdraw. A report still waiting
// for review is withdrawn at once; a published one becomes a request the
// moderators act on. Either way the link is spent (store.WithdrawReport's
// compare-and-set), so a replay or a second click changes nothing.
func (h *handler) reportWithdraw(w http.ResponseWriter, r *http.Request) error {
	token, a, err := h.reportLinkAccess(r)
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewReportWithdrawFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "report_link", kit.LangPath(r, reportLinkPath(token)+"?sent=requested")+"#sent")
	}
	if !a.Open(h.Now()) {
		return h.reportLinkClosed(w, r, token, &reportLinkView{Withdraw: f})
	}
	if errs := f.Validate(); len(errs) > 0 {
		h.formRejected("report_link", "invalid")
		return h.renderReportLink(w, r, http.StatusUnprocessableEntity, token, a, &reportLinkView{Withdraw: f, Errors: errs})
	}
	res, err := h.Store.WithdrawReport(r.Context(), token, f.Reason, h.Now(), h.reporterAudit(r, "report.withdraw"))
	switch {
	case errors.Is(err, store.ErrReportClosed):
		return h.reportLinkClosed(w, r, token, &reportLinkView{Withdraw: f})
	case err != nil:
		status := h.LogSaveFailure(r, "report_withdraw", err)
		return h.renderReportLink(w, r, status, token, a, &reportLinkView{Withdraw: f, Notice: saveFailed(r, "")})
	}
	sent := "requested"
	if res.Immediate {
		sent = "withdrawn"
	}
	http.Redirect(w, r, kit.LangPath(r, reportLinkPath(token)+"?sent="+sent)+"#sent", http.StatusSeeOther)
	return nil
}
