package web

import (
	"errors"
	"net/http"

	"lostinnl/internal/store"
)

// reportSave is POST /submit. The report becomes a pending case that no
// public page shows until a moderator has checked it with the police.
func (h *handler) reportSave(w http.ResponseWriter, r *http.Request) error {
	vals, files, cleanup, err := h.readReportForm(w, r)
	defer cleanup()
	if err != nil {
		return err
	}
	f := newReportForm(vals, len(files))
	if f.Honeypot != "" {
		http.Redirect(w, r, "/submit/thanks", http.StatusSeeOther)
		return nil
	}
	errs := f.Validate(h.today())
	if len(errs) > 0 {
		return h.renderReport(w, r, http.StatusUnprocessableEntity, &reportView{Form: f, Errors: errs})
	}
	ctx := r.Context()
	var photos []store.Photo
	photosLater := false
	if len(files) > 0 {
		if h.ingest == nil {
			// The photo pipeline is not wired: keep the report, tell the
			// family we will ask for photos separately.
			photosLater = true
		} else {
			photos, err = h.ingest(ctx, files)
			if err != nil {
				h.logSaveFailure(r, "report photos", err)
				errs = map[string]string{"photos": photoErrorMessage(err)}
				return h.renderReport(w, r, http.StatusUnprocessableEntity, &reportView{Form: f, Errors: errs})
			}
		}
	}
	c, contact := f.caseAndContact()
	audit := &store.AuditEntry{
		Action:  "case.report",
		Summary: "report submitted on the public form",
		IP:      h.clientIP(r).String(),
	}
	// TODO(media): blobs stored by ingest are orphaned if CreateCase fails;
	// the media package's cleanup of unreferenced keys covers that.
	if _, err := h.st.CreateCase(ctx, c, contact, photos, audit); err != nil {
		status := h.logSaveFailure(r, "report", err)
		notice := saveFailedNotice
		if len(files) > 0 {
			notice += " Photos have to be chosen again."
		}
		return h.renderReport(w, r, status, &reportView{Form: f, Notice: notice})
	}
	to := "/submit/thanks"
	if photosLater {
		to += "?photos=later"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// photoErrorMessage is the text beside the photos field when the pipeline
// refused them: its own plain-words message when it has one.
func photoErrorMessage(err error) string {
	var um interface{ UserMessage() string }
	if errors.As(err, &um) {
		return um.UserMessage()
	}
	return "We could not use these photos. Use JPEG or PNG images under 10 MB each, or send the report without photos."
}
