package site

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// reportSave is POST /submit. The report becomes a pending case that no
// public page shows until a moderator has checked it with the police.
//
// Photos are processed and held as they arrive (report_photos.go), so a
// form that comes back with an error still has them; a "Remove" button
// posts the form to drop one, and shows it again without checking or
// sending anything.
func (h *handler) reportSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals, files, cleanup, err := form.ReadReportForm(h.Env, w, r)
	defer cleanup()
	if errors.Is(err, kit.ErrSpool) {
		// Our disk is full: the new photos could not be kept, but every
		// typed value is here, and the photos held already. Show the form
		// again with them, never an error page that loses the report.
		status := h.LogSaveFailure(r, "report", err)
		hold, herr := h.loadHold(ctx, vals.Get(formTokenField))
		if herr != nil {
			hold = formHold{} // the notice below covers it
		}
		return h.renderReport(w, r, status, &reportView{Form: form.NewReportFormFor(kit.L(r), vals, 0), Hold: hold, Notice: saveFailed(r, photosAgain)})
	}
	if err != nil {
		return err
	}
	if h.Pipeline == nil {
		return h.reportSaveNoPipeline(w, r, vals, files)
	}
	f := form.NewReportFormFor(kit.L(r), vals, 0)
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "report", kit.LangPath(r, "/submit/thanks"))
	}
	hold, err := h.loadHold(ctx, vals.Get(formTokenField))
	if err != nil {
		return err
	}
	if rm := vals.Get(removePhotoField); rm != "" {
		if err := h.removeHeld(ctx, &hold, rm); err != nil {
			return err
		}
	}
	photoMsgs, err := h.holdNew(r, &hold, files)
	if err != nil {
		status := h.LogSaveFailure(r, "report", err)
		return h.renderReport(w, r, status, &reportView{Form: f, Hold: hold, Notice: saveFailed(r, newPhotosAgain)})
	}
	var errs map[string]string
	if vals.Get(removePhotoField) != "" {
		// Only a photo removed: no checks, nothing sent.
		errs = map[string]string{}
	} else {
		errs = f.Validate(h.Today())
	}
	if len(photoMsgs) > 0 {
		errs["photos"] = strings.Join(photoMsgs, " ")
	}
	switch {
	case len(errs) > 0:
		h.formRejected("report", "invalid")
		return h.renderReport(w, r, http.StatusUnprocessableEntity, &reportView{Form: f, Errors: errs, Hold: hold})
	case vals.Get(removePhotoField) != "":
		return h.renderReport(w, r, http.StatusOK, &reportView{Form: f, Hold: hold})
	}
	c, contact := f.CaseAndContact()
	c.ContentLang = kit.PageContentLang(r) // typed on the form of that language (issue 18)
	// The case, the reporter's reference and private link, and the held
	// photos (moved into the case) are written together.
	receipt, err := h.Store.CreateReportWithHeld(ctx, c, contact, hold.token, hold.ids(), h.reportAudit(r), h.Now())
	if errors.Is(err, store.ErrHeldPhotosChanged) {
		// Removed in another tab, or this form was sent already: show
		// what is held now and let the family check before sending.
		if hold, err = h.loadHold(ctx, hold.token); err != nil {
			return err
		}
		return h.renderReport(w, r, http.StatusConflict, &reportView{Form: f, Hold: hold,
			Notice: kit.L(r).T("The photos of this report changed while it was being sent (perhaps in another window). Nothing was sent yet: check the photos below and send the report again.")})
	}
	if err != nil {
		status := h.LogSaveFailure(r, "report", err)
		// The photos stay held: they are shown again, not lost.
		return h.renderReport(w, r, status, &reportView{Form: f, Hold: hold, Notice: saveFailed(r, "")})
	}
	h.setReceiptCookie(w, r, receipt.Token)
	http.Redirect(w, r, kit.LangPath(r, "/submit/thanks"), http.StatusSeeOther)
	return nil
}

func (h *handler) reportAudit(r *http.Request) *store.AuditEntry {
	return &store.AuditEntry{
		Action:  "case.report",
		Summary: "report submitted on the public form",
		IP:      h.ClientIP(r).String(),
	}
}

// reportSaveNoPipeline is POST /submit on a site without a photo pipeline:
// the report is kept, and the family is told we will ask for the photos.
func (h *handler) reportSaveNoPipeline(w http.ResponseWriter, r *http.Request, vals url.Values, files []*kit.UploadFile) error {
	f := form.NewReportFormFor(kit.L(r), vals, len(files))
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "report", kit.LangPath(r, "/submit/thanks"))
	}
	errs := f.Validate(h.Today())
	if len(errs) > 0 {
		h.formRejected("report", "invalid")
		return h.renderReport(w, r, http.StatusUnprocessableEntity, &reportView{Form: f, Errors: errs})
	}
	c, contact := f.CaseAndContact()
	c.ContentLang = kit.PageContentLang(r) // typed on the form of that language (issue 18)
	receipt, err := h.Store.CreateReport(r.Context(), c, contact, nil, h.reportAudit(r), h.Now())
	if err != nil {
		status := h.LogSaveFailure(r, "report", err)
		return h.renderReport(w, r, status, &reportView{Form: f, Notice: saveFailed(r, "")})
	}
	h.setReceiptCookie(w, r, receipt.Token)
	to := "/submit/thanks"
	if len(files) > 0 {
		to += "?photos=later"
	}
	http.Redirect(w, r, kit.LangPath(r, to), http.StatusSeeOther)
	return nil
}

// processPhotos runs every upload through the media pipeline. A refused
// file gives a plain-words message for the photos field (msg); err is only
// for failures on our side.
func (h *handler) processPhotos(r *http.Request, files []*kit.UploadFile) ([]*media.Processed, string, error) {
	out := make([]*media.Processed, 0, len(files))
	for i, fh := range files {
		p, me, err := form.ProcessPhoto(r.Context(), h.Pipeline, fh)
		if err != nil {
			return nil, "", err
		}
		if me != nil {
			return nil, photoMessage(kit.L(r), i, len(files), me, h.PhotoLimitIn(kit.L(r))), nil
		}
		out = append(out, p)
	}
	return out, "", nil
}
