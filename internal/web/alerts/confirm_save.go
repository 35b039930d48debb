package alerts

import (
	"errors"
	"net/http"

	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// confirmSave is POST /alerts/confirm: the mailed token confirms every
// subscription it was sent for, once. The visitor then lands on their
// manage page (signed for the confirmed address), where they can see and
// stop what they follow.
func (h *handler) confirmSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	token := vals.Get("token")
	if token == "" || len(token) > maxToken {
		return errBadConfirm()
	}
	now := h.Now()
	index, _, err := h.Store.ConfirmSubscription(r.Context(), token, now)
	if errors.Is(err, store.ErrNotFound) {
		return errBadConfirm()
	}
	if err != nil {
		return err
	}
	manage := h.keys.ManageToken(index, 0, now.Add(mail.ManageTTL))
	http.Redirect(w, r, kit.LangPath(r, manageURL(manage, "confirmed")), http.StatusSeeOther)
	return nil
}
