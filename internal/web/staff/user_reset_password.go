package staff

import (
	"lostinnl/internal/web/kit"
	"net/http"
	"net/url"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
)

// resetLink is the one-time display of a set-password link on the users
// page, right after the reset.
type resetLink struct {
	Email   string
	Link    string
	Expires time.Time
}

// adminUserResetPassword is POST /admin/users/{id}/reset-password (admin
// only): the user's password stops working, every session of theirs ends,
// and a set-password link valid for 24 hours is shown once to the admin,
// who passes it on through a safe channel. Not for one's own account: the
// admin would be signed out before seeing the link (Change password is the
// way for oneself).
func (h *Handler) adminUserResetPassword(w http.ResponseWriter, r *http.Request) error {
	u, refusal, err := h.loadOtherUser(r, false)
	if err != nil {
		return err
	}
	if refusal != "" {
		return h.FlashRedirect(w, r, "/admin/users", "error", kit.L(r).T("To change your own password, use Change password on your account page."))
	}
	link, expires, err := h.startPasswordReset(r, u)
	if err != nil {
		return err
	}
	v := &usersView{Form: &form.UserForm{Role: string(store.RoleModerator)}, Reset: &resetLink{Email: u.Email, Link: link, Expires: expires}}
	return h.renderUsers(w, r, http.StatusOK, v)
}

// startPasswordReset resets u's password (see store.ResetPassword) on behalf
// of the signed-in admin and returns the absolute set-password link and its
// expiry. The link exists nowhere else: the database keeps only its hash. It
// is the one thing a mail to the user needs to carry.
func (h *Handler) startPasswordReset(r *http.Request, u *store.User) (string, time.Time, error) {
	ctx := r.Context()
	token, tokenHash, err := auth.NewResetToken()
	if err != nil {
		return "", time.Time{}, err
	}
	unusable, err := h.admin.hasher.UnusableHash(ctx)
	if err != nil {
		return "", time.Time{}, err
	}
	now := h.Now().UTC()
	pr := &store.PasswordReset{TokenHash: tokenHash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(auth.ResetLinkLifetime)}
	audit := h.AuditFor(r, "user.password_reset", "password reset by an administrator; sessions ended; set-password link valid 24 h created")
	if err := h.Store.ResetPassword(ctx, pr, unusable, audit); err != nil {
		return "", time.Time{}, err
	}
	return h.setPasswordLink(token), pr.ExpiresAt, nil
}

// setPasswordLink is the absolute URL of the set-password page for token.
// The token travels in the query string of this one GET only: the form on
// that page posts it in the body, the page is served with no Referer, and
// neither the access log (route pattern only) nor the shipped nginx log
// (path only) records query strings.
func (h *Handler) setPasswordLink(token string) string {
	return h.AbsURL("/admin/set-password?" + url.Values{"token": {token}}.Encode())
}
