package staff

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminUserReset2FA is POST /admin/users/{id}/reset-2fa: removes the
// second factor and recovery codes (for a lost phone) and ends the user's
// sessions, so the next sign-in goes through enrolment again.
func (h *Handler) adminUserReset2FA(w http.ResponseWriter, r *http.Request) error {
	u, _, err := h.loadOtherUser(r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.Store.SetTOTP(ctx, u.ID, nil, "", h.AuditFor(r, "user.totp_reset", "second factor reset")); err != nil {
		return err
	}
	if err := h.admin.sessions.EndAllForUser(ctx, u.ID); err != nil {
		return err
	}
	if me := kit.UserFrom(ctx); me != nil && me.ID == u.ID {
		h.admin.sessions.ClearCookie(w, r)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	return h.FlashRedirect(w, r, "/admin/users", "success", kit.L(r).T("Second factor reset for {email}. They set it up again at their next sign-in.", "email", u.Email))
}
