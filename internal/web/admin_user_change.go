package web

import (
	"net/http"

	"lostinnl/internal/store"
)

// loadOtherUser loads the user of the path for an admin action. Acting on
// one's own account is refused for the actions that could lock the last
// admin out (role change, disabling).
func (h *handler) loadOtherUser(r *http.Request, allowSelf bool) (*store.User, string, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, "", err
	}
	u, err := h.st.GetUser(r.Context(), id)
	if err != nil {
		return nil, "", err
	}
	if me := userFrom(r.Context()); !allowSelf && me != nil && me.ID == u.ID {
		return u, "You cannot do this to your own account. Ask another administrator.", nil
	}
	return u, "", nil
}

// adminUserRole is POST /admin/users/{id}/role (role=moderator|admin).
func (h *handler) adminUserRole(w http.ResponseWriter, r *http.Request) error {
	if err := h.needAdmin(); err != nil {
		return err
	}
	u, refusal, err := h.loadOtherUser(r, false)
	if err != nil {
		return err
	}
	if refusal != "" {
		return h.flashRedirect(w, r, "/admin/users", "error", refusal)
	}
	vals, err := h.readSmallForm(w, r)
	if err != nil {
		return err
	}
	role := roleOf(vals.Get("role"))
	if role == "" {
		return h.flashRedirect(w, r, "/admin/users", "error", "Choose moderator or admin.")
	}
	if role == u.Role {
		return h.flashRedirect(w, r, "/admin/users", "success", "Nothing was changed.")
	}
	old := u.Role
	u.Role = role
	if err := h.st.UpdateUser(r.Context(), u, h.auditFor(r, "user.role", "role "+string(old)+" → "+string(role))); err != nil {
		return err
	}
	return h.flashRedirect(w, r, "/admin/users", "success", "Role changed for "+u.Email+".")
}

// adminUserDisable is POST /admin/users/{id}/disable. The store deletes the
// user's sessions in the same transaction: they are signed out everywhere.
func (h *handler) adminUserDisable(w http.ResponseWriter, r *http.Request) error {
	return h.setDisabled(w, r, true)
}

// adminUserEnable is POST /admin/users/{id}/enable.
func (h *handler) adminUserEnable(w http.ResponseWriter, r *http.Request) error {
	return h.setDisabled(w, r, false)
}

func (h *handler) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) error {
	if err := h.needAdmin(); err != nil {
		return err
	}
	u, refusal, err := h.loadOtherUser(r, false)
	if err != nil {
		return err
	}
	if refusal != "" {
		return h.flashRedirect(w, r, "/admin/users", "error", refusal)
	}
	action, summary, done := "user.disable", "account disabled; sessions ended", "Account disabled; the user is signed out."
	if !disabled {
		action, summary, done = "user.enable", "account enabled", "Account enabled."
	}
	u.Disabled = disabled
	if err := h.st.UpdateUser(r.Context(), u, h.auditFor(r, action, summary)); err != nil {
		return err
	}
	return h.flashRedirect(w, r, "/admin/users", "success", done)
}

// adminUserReset2FA is POST /admin/users/{id}/reset-2fa: removes the
// second factor and recovery codes (for a lost phone) and ends the user's
// sessions, so the next sign-in goes through enrolment again.
func (h *handler) adminUserReset2FA(w http.ResponseWriter, r *http.Request) error {
	if err := h.needAdmin(); err != nil {
		return err
	}
	u, _, err := h.loadOtherUser(r, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	if err := h.st.SetTOTP(ctx, u.ID, nil, "", h.auditFor(r, "user.totp_reset", "second factor reset")); err != nil {
		return err
	}
	if err := h.admin.sessions.EndAllForUser(ctx, u.ID); err != nil {
		return err
	}
	if me := userFrom(ctx); me != nil && me.ID == u.ID {
		h.admin.sessions.ClearCookie(w, r)
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
		return nil
	}
	return h.flashRedirect(w, r, "/admin/users", "success", "Second factor reset for "+u.Email+". They set it up again at their next sign-in.")
}

// adminRequire2FASave is POST /admin/settings/require-2fa (require=yes or
// absent): whether every staff member must use a second factor.
func (h *handler) adminRequire2FASave(w http.ResponseWriter, r *http.Request) error {
	if err := h.needAdmin(); err != nil {
		return err
	}
	vals, err := h.readSmallForm(w, r)
	if err != nil {
		return err
	}
	on := vals.Get("require") == "yes"
	value, summary, done := "false", "second factor optional", "A second factor is now optional."
	if on {
		value, summary, done = "true", "second factor required for all staff", "A second factor is now required for all staff."
	}
	if err := h.st.SetSetting(r.Context(), settingRequire2FA, value, h.auditFor(r, "setting.require_2fa", summary)); err != nil {
		return err
	}
	return h.flashRedirect(w, r, "/admin/users", "success", done)
}
