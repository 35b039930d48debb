package site

import (
	"errors"
	"net/http"
	"time"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

type reportDoneView struct {
	PhotosLater bool
	// Reference, Link and ExpiresOn are set only when the receipt cookie
	// of the report just sent is present (see report_receipt.go).
	Reference string
	Link      string
	ExpiresOn time.Time
}

// reportDone is the confirmation after a report was received. Without the
// receipt cookie (another browser, a honeypot hit, a reload after 15
// minutes) it shows the general text only.
func (h *handler) reportDone(w http.ResponseWriter, r *http.Request) error {
	p := h.Page(r, kit.L(r).T("Thank you: your report was received"))
	p.Nav = "report"
	p.NoIndex = true
	v := reportDoneView{PhotosLater: r.URL.Query().Get("photos") == "later"}
	if token := receiptToken(r); token != "" {
		a, err := h.Store.ReportAccessByToken(r.Context(), token)
		switch {
		case errors.Is(err, store.ErrNotFound):
			// Not (or no longer) a report: the general text.
		case err != nil:
			return err
		default:
			v.Reference, v.Link, v.ExpiresOn = a.Reference, h.AbsURL(kit.LangPath(r, reportLinkPath(token))), a.ExpiresAt.In(h.Loc)
		}
	}
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheNone, "submitted.html", p)
}
