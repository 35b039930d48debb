package staff

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminNotifyForm is GET /admin/account/notifications, the signed-in
// user's preferences: the language of the staff area (saved by
// adminLangSave) and whether they are emailed when a report awaits review
// or a tip arrives.
func (h *Handler) adminNotifyForm(w http.ResponseWriter, r *http.Request) error {
	u := kit.UserFrom(r.Context())
	on, err := h.Store.StaffNotify(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return h.AdminRender(w, r, http.StatusOK, "account_notifications.html", kit.L(r).TC("admin", "Preferences"), "notifications", struct{ On bool }{on})
}
