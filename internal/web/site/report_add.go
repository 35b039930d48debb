package site

import (
	"errors"
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// reportAdd is POST /report/{token}/add: more information and photos from
// the reporter. They go to the moderators (report_additions), never to the
// public page; photos take the report form's path (same limits, same
// pipeline) and are written before the row, removed again if it fails.
func (h *handler) reportAdd(w http.ResponseWriter, r *http.Request) error {
	token, a, err := h.reportLinkAccess(r)
	if err != nil {
		return err
	}
	vals, files, cleanup, err := form.ReadReportForm(h.Env, w, r)
	defer cleanup()
	if errors.Is(err, kit.ErrSpool) {
		// Our disk is full: keep what the reporter typed (see reportSave).
		status := h.LogSaveFailure(r, "report_link", err)
		return h.renderReportLink(w, r, status, token, a, &reportLinkView{Add: form.NewReportAddFormFor(kit.L(r), vals, 0), Notice: saveFailed(r, photosAgain)})
	}
	if err != nil {
		return err
	}
	done := kit.LangPath(r, reportLinkPath(token)+"?sent=info") + "#sent"
	f := form.NewReportAddFormFor(kit.L(r), vals, len(files))
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "report_link", done)
	}
	if !a.Open(h.Now()) {
		return h.reportLinkClosed(w, r, token, &reportLinkView{Add: f})
	}
	invalid := func(errs map[string]string) error {
		return h.renderReportLink(w, r, http.StatusUnprocessableEntity, token, a, &reportLinkView{Add: f, Errors: errs})
	}
	if errs := f.Validate(); len(errs) > 0 {
		h.formRejected("report_link", "invalid")
		if len(files) > 0 {
			form.SetIfNone(errs, "photos", kit.L(r).T("Please choose your photos again."))
		}
		return invalid(errs)
	}
	ctx := r.Context()
	audit := h.reporterAudit(r, "report.add_info")
	save := func(photos []store.AdditionPhoto) error {
		_, err := h.Store.AddReportInfo(ctx, token, f.Message, photos, h.Now(), audit)
		return err
	}
	switch {
	case len(files) == 0:
		err = save(nil)
	case h.Pipeline == nil:
		h.formRejected("report_link", "photo")
		return invalid(map[string]string{"photos": kit.L(r).T("We cannot accept photos through the site at the moment. Send your message without them; we will ask you for the photos when we contact you.")})
	default:
		processed, msg, perr := h.processPhotos(r, files)
		if perr != nil {
			return perr
		}
		if msg != "" {
			h.formRejected("report_link", "photo")
			return invalid(map[string]string{"photos": msg})
		}
		err = h.Bucket.PutAndCommit(ctx, processed, func(keys []string) error {
			photos := make([]store.AdditionPhoto, len(keys))
			for i, k := range keys {
				photos[i] = store.AdditionPhoto{Key: k}
				photos[i].Width, photos[i].Height = form.ShownSize(processed[i])
			}
			return save(photos)
		})
	}
	switch {
	case errors.Is(err, store.ErrReportClosed):
		// Withdrawn or closed between the check above and the write.
		return h.reportLinkClosed(w, r, token, &reportLinkView{Add: f})
	case err != nil:
		status := h.LogSaveFailure(r, "report_add", err)
		notice := saveFailed(r, "")
		if len(files) > 0 {
			notice = saveFailed(r, photosAgain)
		}
		return h.renderReportLink(w, r, status, token, a, &reportLinkView{Add: f, Notice: notice})
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
	return nil
}
