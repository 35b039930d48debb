package staff

import (
	"net/http"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// userRow is one staff user on the users page.
type userRow struct {
	User      store.User
	Has2FA    bool
	Remaining int
	Self      bool
}

// usersView is the data of admin/users.html.
type usersView struct {
	Users      []userRow
	Require2FA bool
	Form       *form.UserForm
	Errors     map[string]string
	Order      []string
	Created    *createdUser // shown once after adding a user
	Reset      *resetLink   // shown once after a password reset
	Notice     string
}

// createdUser is the one-time display of a new account's password.
type createdUser struct {
	Email     string
	Password  string // empty when the admin chose the password
	Generated bool
}

// adminUsers is GET /admin/users (admin only).
func (h *Handler) adminUsers(w http.ResponseWriter, r *http.Request) error {
	return h.renderUsers(w, r, http.StatusOK, &usersView{Form: &form.UserForm{Role: string(store.RoleModerator)}})
}

func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, status int, v *usersView) error {
	ctx := r.Context()
	users, err := h.Store.ListUsers(ctx)
	if err != nil {
		return err
	}
	me := kit.UserFrom(ctx)
	for _, u := range users {
		v.Users = append(v.Users, userRow{User: u, Has2FA: u.TOTPSecret != nil, Remaining: auth.RemainingRecoveryCodes(u.RecoveryCodes), Self: me != nil && u.ID == me.ID})
	}
	if v.Require2FA, err = h.require2FA(ctx); err != nil {
		return err
	}
	v.Order = form.UserFieldOrder
	v.Errors = kit.TErrors(r, v.Errors)
	return h.AdminRender(w, r, status, "users.html", kit.L(r).TC("admin nav", "Users"), "users", v)
}
