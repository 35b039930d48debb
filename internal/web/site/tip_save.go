package site

import (
	"errors"
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// tipSave is POST /cases/{id}/tips. The tip is kept private; the visitor
// goes back to the case page with a thank-you notice.
func (h *handler) tipSave(w http.ResponseWriter, r *http.Request) error {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return kit.ErrNotFound()
	}
	ctx := r.Context()
	c, err := h.Store.GetPublicCase(ctx, id)
	if err != nil {
		return err
	}
	if c.Status != store.StatusMissing {
		// The page hides the form once the appeal ends; a direct POST gets
		// the same answer the store would give (it checks again).
		return errAppealClosed()
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	// Back to the case page in the language the form was sent from.
	done := kit.LangPath(r, "/cases/"+strconv.FormatInt(id, 10)+"?tip=sent#tip-sent")
	f := form.NewTipFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		// A bot: let it believe it worked, keep nothing.
		h.formRejected("tip", "honeypot")
		http.Redirect(w, r, done, http.StatusSeeOther)
		return nil
	}
	if errs := f.Validate(h.Today()); len(errs) > 0 {
		h.formRejected("tip", "invalid")
		return h.renderCase(w, r, http.StatusUnprocessableEntity, kit.CacheNone, c, &caseView{Form: f, Errors: errs})
	}
	tip, contact := f.Tip(id)
	if _, err := h.Store.CreateTip(ctx, tip, contact); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return kit.ErrNotFound() // unpublished between the two queries
		}
		if errors.Is(err, store.ErrCaseClosed) {
			return errAppealClosed() // located or archived between the two queries
		}
		// Keep what they typed: show the form again with a plain notice.
		status := h.LogSaveFailure(r, "tip", err)
		return h.renderCase(w, r, status, kit.CacheNone, c, &caseView{Form: f, Notice: kit.SaveFailedNotice})
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
	return nil
}

// errAppealClosed answers a tip about a case that was located or archived:
// 410 Gone (the appeal is over for good unless the case is re-opened), a
// page that says so and where information should go instead. Nothing is
// stored.
func errAppealClosed() error {
	return &kit.HTTPError{Status: http.StatusGone, Msg: appealClosedMessage}
}

// The msgid: ErrorPage shows it in the request's language.
var appealClosedMessage = i18n.Mark("This appeal is closed, so we no longer take tips about this person and nothing you sent was kept. If you have information for the police, call the police service on the case page or your local police. If someone is in danger, call 911.")
