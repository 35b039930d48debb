package staff

import (
	"lostinnl/internal/web/kit"
	"net/http"

	"lostinnl/internal/web/form"
)

// adminUserRole is POST /admin/users/{id}/role (role=moderator|admin).
func (h *Handler) adminUserRole(w http.ResponseWriter, r *http.Request) error {
	u, refusal, err := h.loadOtherUser(r, false)
	if err != nil {
		return err
	}
	if refusal != "" {
		return h.FlashRedirect(w, r, "/admin/users", "error", refusal)
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	role := form.RoleOf(vals.Get("role"))
	if role == "" {
		return h.FlashRedirect(w, r, "/admin/users", "error", kit.L(r).T("Choose moderator or admin."))
	}
	if role == u.Role {
		return h.FlashRedirect(w, r, "/admin/users", "success", kit.L(r).T("Nothing was changed."))
	}
	old := u.Role
	u.Role = role
	if err := h.Store.UpdateUser(r.Context(), u, h.AuditFor(r, "user.role", "role "+string(old)+" → "+string(role))); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, "/admin/users", "success", kit.L(r).T("Role changed for {email}.", "email", u.Email))
}
