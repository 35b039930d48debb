package web

import (
	"errors"
	"net/http"
	"strconv"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// reportSave is POST /submit. The report becomes a pending case that no
// public page shows until a moderator has checked it with the police.
func (h *handler) reportSave(w http.ResponseWriter, r *http.Request) error {
	vals, files, cleanup, err := h.readReportForm(w, r)
	defer cleanup()
	if errors.Is(err, errSpool) {
		// Our disk is full: the photos could not be kept, but every typed
		// value is here. Show the form again with them, never an error
		// page that loses the report.
		status := h.logSaveFailure(r, "report", err)
		return h.renderReport(w, r, status, &reportView{Form: newReportForm(vals, 0), Notice: saveFailedNotice + " Photos have to be chosen again."})
	}
	if err != nil {
		return err
	}
	f := newReportForm(vals, len(files))
	if f.Honeypot != "" {
		h.formRejected("report", "honeypot")
		http.Redirect(w, r, "/submit/thanks", http.StatusSeeOther)
		return nil
	}
	errs := f.Validate(h.today())
	if len(errs) > 0 {
		h.formRejected("report", "invalid")
		return h.renderReport(w, r, http.StatusUnprocessableEntity, &reportView{Form: f, Errors: errs})
	}
	ctx := r.Context()
	c, contact := f.caseAndContact()
	audit := &store.AuditEntry{
		Action:  "case.report",
		Summary: "report submitted on the public form",
		IP:      h.clientIP(r).String(),
	}
	// The case and the reporter's reference and private link are written
	// together (CreateReport): a report is never stored without them.
	var receipt store.ReportReceipt
	create := func(photos []store.Photo) (err error) {
		receipt, err = h.st.CreateReport(ctx, c, contact, photos, audit, h.now())
		return err
	}

	photosLater := false
	switch {
	case len(files) == 0:
		err = create(nil)
	case h.pipeline == nil:
		// No photo pipeline wired: keep the report, tell the family we
		// will ask for photos separately.
		photosLater = true
		err = create(nil)
	default:
		processed, msg, perr := h.processPhotos(r, files)
		if perr != nil {
			return perr
		}
		if msg != "" {
			errs = map[string]string{"photos": msg}
			h.formRejected("report", "photo")
			return h.renderReport(w, r, http.StatusUnprocessableEntity, &reportView{Form: f, Errors: errs})
		}
		// Blobs first, then the row; the blobs are removed again if the
		// row cannot be written, so nothing is left orphaned.
		err = h.bucket.PutAndCommit(ctx, processed, func(keys []string) error {
			photos := make([]store.Photo, len(keys))
			for i, k := range keys {
				photos[i] = store.Photo{Key: k, Position: i, Primary: i == 0, Width: processed[i].Width, Height: processed[i].Height}
				if v, ok := processed[i].Variant(media.VariantLarge); ok {
					photos[i].Width, photos[i].Height = v.Width, v.Height
				}
			}
			return create(photos)
		})
	}
	if err != nil {
		status := h.logSaveFailure(r, "report", err)
		notice := saveFailedNotice
		if len(files) > 0 {
			notice += " Photos have to be chosen again."
		}
		return h.renderReport(w, r, status, &reportView{Form: f, Notice: notice})
	}
	h.setReceiptCookie(w, r, receipt.Token)
	to := "/submit/thanks"
	if photosLater {
		to += "?photos=later"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// processPhotos runs every upload through the media pipeline. A refused
// file gives a plain-words message for the photos field (msg); err is only
// for failures on our side.
func (h *handler) processPhotos(r *http.Request, files []*uploadFile) ([]*media.Processed, string, error) {
	out := make([]*media.Processed, 0, len(files))
	for i, fh := range files {
		f, err := fh.Open()
		if err != nil {
			return nil, "", err
		}
		p, err := h.pipeline.Process(r.Context(), f)
		_ = f.Close() // a temp file or memory; nothing to flush
		var me *media.Error
		if errors.As(err, &me) {
			return nil, photoMessage(i, len(files), me.Message(), h.photoLimit()), nil
		}
		if err != nil {
			return nil, "", err
		}
		out = append(out, p)
	}
	return out, "", nil
}

// photoMessage names the photo by position, not by its file name (which
// is the visitor's, unchecked, and may be anything).
func photoMessage(i, n int, why, limit string) string {
	which := "The photo"
	if n > 1 {
		which = "Photo " + strconv.Itoa(i+1)
	}
	return which + " could not be used: " + why + ". Use JPEG or PNG photos under " + limit + ", or send the report without photos."
}
