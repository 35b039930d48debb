package site

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// tipSave is POST /cases/{id}/tips. The tip is kept private; the visitor
// goes back to the case page with a thank-you notice.
func (h *handler) tipSave(w http.ResponseWriter, r *http.Request) error {
	c, vals, done, err := h.caseFormPost(w, r, errAppealClosed, "?tip=sent#tip-sent")
	if err != nil {
		return err
	}
	ctx := r.Context()
	f := form.NewTipFormFor(kit.L(r), vals)
	if f.Honeypot != "" {
		return h.honeypotHit(w, r, "tip", done)
	}
	if errs := f.Validate(h.Today()); len(errs) > 0 {
		h.formRejected("tip", "invalid")
		return h.renderCase(w, r, http.StatusUnprocessableEntity, kit.CacheNone, c, nil, &caseView{Form: f, Errors: errs})
	}
	tip, contact := f.Tip(c.ID)
	if _, err := h.Store.CreateTip(ctx, tip, contact); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return kit.ErrNotFound() // unpublished between the two queries
		}
		if errors.Is(err, store.ErrCaseClosed) {
			return errAppealClosed() // located or archived between the two queries
		}
		// Keep what they typed: show the form again with a plain notice.
		status := h.LogSaveFailure(r, "tip", err)
		return h.renderCase(w, r, status, kit.CacheNone, c, nil, &caseView{Form: f, Notice: kit.SaveFailedNotice})
	}
	http.Redirect(w, r, done, http.StatusSeeOther)
	return nil
}

// caseFormPost is how every form posted to an open case starts (tips,
// notes): the case (404 when unknown or unpublished; closed() when its
// appeal has ended — the page hides the forms then, and a direct POST gets
// the answer the store would give, which checks again), the form's
// values, and the case page to go back to in the language the form was
// sent from, with back ("?tip=sent#tip-sent") appended.
func (h *handler) caseFormPost(w http.ResponseWriter, r *http.Request, closed func() error, back string) (c *store.Case, vals url.Values, done string, err error) {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return nil, nil, "", kit.ErrNotFound()
	}
	if c, err = h.Store.GetPublicCase(r.Context(), id); err != nil {
		return nil, nil, "", err
	}
	if c.Status != store.StatusMissing {
		return nil, nil, "", closed()
	}
	if vals, err = form.ReadSmallForm(w, r); err != nil {
		return nil, nil, "", err
	}
	return c, vals, kit.LangPath(r, "/cases/"+strconv.FormatInt(id, 10)+back), nil
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
