package staff

import (
	"errors"
	"net/http"

	"lostinnl/internal/auth"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminUserCreate is POST /admin/users: adds a staff account. The password
// (generated unless one was typed) is shown once on the response page and
// stored only as an argon2id hash.
func (h *Handler) adminUserCreate(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	f := form.NewUserFormFor(kit.L(r), vals)
	v := &usersView{Form: f}
	if v.Errors = f.Validate(); len(v.Errors) > 0 {
		return h.renderUsers(w, r, http.StatusUnprocessableEntity, v)
	}
	ctx := r.Context()
	pw, generated := f.Password, false
	if pw == "" {
		if pw, err = auth.GeneratePassword(); err != nil {
			return err
		}
		generated = true
	}
	hash, err := h.admin.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	u := &store.User{Email: f.Email, DisplayName: f.DisplayName, Role: f.ParsedRole, PasswordHash: hash}
	_, err = h.Store.CreateUser(ctx, u, h.AuditFor(r, "user.create", "user added with role "+string(f.ParsedRole)))
	if errors.Is(err, store.ErrConflict) {
		v.Errors = map[string]string{"email": i18n.Mark("There is already an account with this email.")}
		return h.renderUsers(w, r, http.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	created := &createdUser{Email: u.Email, Generated: generated}
	if generated {
		created.Password = pw
	}
	return h.renderUsers(w, r, http.StatusOK, &usersView{Form: &form.UserForm{Role: string(store.RoleModerator)}, Created: created})
}
