package staff

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminNotifySave is POST /admin/account/notifications (field notify:
// "on" or "off"): the user's own opt-out of staff notification mail.
// Anything else is refused rather than read as "off".
func (h *Handler) adminNotifySave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	var on bool
	switch vals.Get("notify") {
	case "on":
		on = true
	case "off":
	default:
		return kit.ErrBadRequest(i18n.Mark("Choose whether to receive notification emails."))
	}
	u := kit.UserFrom(r.Context())
	if err := h.Store.SetStaffNotify(r.Context(), u.ID, on); err != nil {
		return err
	}
	msg := kit.L(r).T("You will no longer be emailed about new reports and tips.")
	if on {
		msg = kit.L(r).T("You will be emailed when a report awaits review and when a tip arrives.")
	}
	return h.FlashRedirect(w, r, "/admin/account/notifications", "success", msg)
}
