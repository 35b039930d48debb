package alerts

import (
	"errors"
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// sentPath is the one answer to every accepted subscription request.
const sentPath = "/alerts/sent"

// subscribe asks the store for the subscriptions of a checked form and
// answers with the same redirect whatever it did: confirmation mailed,
// address over its daily confirmations, or already subscribed (no
// enumeration). again shows the form once more with a notice when the
// request could not be saved, so nothing typed is lost.
func (h *handler) subscribe(w http.ResponseWriter, r *http.Request, sf mail.SubscribeForm, again func(notice string, status int) error) error {
	req, err := mail.NewSubscribeRequest(h.keys, h.tpl, h.BaseURL, h.host, sf, h.Now())
	if errors.Is(err, mail.ErrBadAddress) {
		// The form checked the address the same way; only a bug gets here.
		return &kit.HTTPError{Status: http.StatusUnprocessableEntity, Msg: i18n.Mark("That is not an email address we can send to.")}
	}
	if err != nil {
		return err
	}
	_, err = h.Store.Subscribe(r.Context(), req)
	switch {
	case errors.Is(err, store.ErrCaseClosed):
		return errFollowClosed()
	case errors.Is(err, store.ErrNotFound):
		return kit.ErrNotFound()
	case errors.Is(err, store.ErrInvalid):
		return err // 422 through the wrapper, logged as a missed check
	case err != nil:
		return again(kit.SaveFailedNotice, h.LogSaveFailure(r, "subscription", err))
	}
	http.Redirect(w, r, kit.LangPath(r, sentPath), http.StatusSeeOther)
	return nil
}

// errFollowClosed answers a follow request for a case that was located or
// archived: the appeal is over, so there is nothing to follow.
func errFollowClosed() error {
	return &kit.HTTPError{Status: http.StatusGone, Msg: i18n.Mark("This appeal is closed, so it can no longer be followed. Nothing you sent was kept.")}
}
