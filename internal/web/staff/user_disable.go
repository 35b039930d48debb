package staff

import (
	"lostinnl/internal/web/kit"
	"net/http"
)

// adminUserDisable is POST /admin/users/{id}/disable. The store deletes the
// user's sessions in the same transaction: they are signed out everywhere.
func (h *Handler) adminUserDisable(w http.ResponseWriter, r *http.Request) error {
	return h.setDisabled(w, r, true)
}

// adminUserEnable is POST /admin/users/{id}/enable.
func (h *Handler) adminUserEnable(w http.ResponseWriter, r *http.Request) error {
	return h.setDisabled(w, r, false)
}

func (h *Handler) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	u, refusal, err := h.loadOtherUser(r, false)
	if err != nil {
		return err
	}
	if refusal != "" {
		return h.FlashRedirect(w, r, "/admin/users", "error", refusal)
	}
	action, summary, done := "user.disable", "account disabled; sessions ended", kit.L(r).T("Account disabled; the user is signed out.")
	if !disabled {
		action, summary, done = "user.enable", "account enabled", kit.L(r).T("Account enabled.")
	}
	u.Disabled = disabled
	if err := h.Store.UpdateUser(r.Context(), u, h.AuditFor(r, action, summary)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, "/admin/users", "success", done)
}
