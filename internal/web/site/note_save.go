package site

import (
	"errors"
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// noteSave is POST /cases/{id}/notes: a public note (issue 19 point 5),
// stored for a moderator and shown only once approved. Like the tip form
// it is rate-limited per IP (route table), guarded by the cross-origin
// protection and a honeypot, and shows the form again with what was typed
// on any problem.
func (h *handler) noteSave(w http.ResponseWriter, r *http.Request) error {
	c, vals, done, err := h.caseFormPost(w, r, errNotesClosed, "?note=sent#note-sent")
	if err != nil {
		return err
	}
	ctx := r.Context()
	allowed, err := h.Store.NotesAllowed(ctx, c.ID)
	if err != nil {
		return err
	}
	if !allowed {
		return errNotesOff()
	}
	f := form.NewNoteFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "note", done)
	}
	if errs := f.Validate(); len(errs) > 0 {
		h.formRejected("note", "invalid")
		return h.renderCase(w, r, http.StatusUnprocessableEntity, kit.CacheNone, c, nil, &caseView{Form: &form.TipForm{}, Notes: &notesView{Form: f, Errors: errs}})
	}
	kind, text := f.Text()
	if _, err := h.Store.CreateNote(ctx, c.ID, kind, text); err != nil {
		switch {
		case errors.Is(err, store.ErrNotFound):
			return kit.ErrNotFound() // unpublished between the two queries
		case errors.Is(err, store.ErrCaseClosed):
			return errNotesClosed()
		case errors.Is(err, store.ErrNotesOff):
			return errNotesOff()
		}
		status := h.LogSaveFailure(r, "note", err)
		return h.renderCase(w, r, status, kit.CacheNone, c, nil, &caseView{Form: &form.TipForm{}, Notes: &notesView{Form: f, Notice: kit.SaveFailedNotice}})
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
	return nil
}

// errNotesOff answers a note for an open case whose staff have not turned
// notes on: 404, as there is no note form there to send to (a public route
// answers 403 only for the cross-origin refusal, so that status keeps one
// meaning). Nothing is stored.
func errNotesOff() error {
	return &kit.HTTPError{Status: http.StatusNotFound, Msg: i18n.Mark("This case does not take public notes, so nothing you sent was kept. If you have information about this person, send a tip from the case page or call the police.")}
}

// errNotesClosed answers a note for a located or archived case: 410, as
// for tips. Nothing is stored.
func errNotesClosed() error {
	return &kit.HTTPError{Status: http.StatusGone, Msg: i18n.Mark("This appeal is closed, so it no longer takes notes and nothing you sent was kept. Thank you for caring.")}
}
