package staff

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// passwordView is the data of admin/account_password.html. Passwords are
// never echoed back into the form.
type passwordView struct {
	NeedCode bool // the user has a second factor: a current code is due too
	Errors   map[string]string
	Order    []string
	Message  string // one message for the whole form (throttled)
}

var passwordFieldOrder = []string{"current_password", "new_password", "confirm_password", "code"}

// adminPasswordForm is GET /admin/account/password: the signed-in user's
// own password change.
func (h *Handler) adminPasswordForm(w http.ResponseWriter, r *http.Request) error {
	u := kit.UserFrom(r.Context())
	return h.renderPassword(w, r, http.StatusOK, &passwordView{NeedCode: u.TOTPSecret != nil})
}

func (h *Handler) renderPassword(w http.ResponseWriter, r *http.Request, status int, v *passwordView) error {
	v.Order = passwordFieldOrder
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors = kit.TErrors(r, v.Errors)
	return h.AdminRender(w, r, status, "account_password.html", kit.L(r).TC("admin", "Change password"), "account", v)
}
