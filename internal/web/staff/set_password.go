package staff

import (
	"errors"
	"lostinnl/internal/i18n"
	"net/http"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// setPasswordView is the data of admin/set_password.html.
type setPasswordView struct {
	Token   string // echoed into the form's hidden field only
	Email   string
	Problem string // the link cannot be used: why, in words
	Done    bool
	Errors  map[string]string
	Order   []string
}

var setPasswordFieldOrder = []string{"new_password", "confirm_password"}

// Answers for a link that cannot be used. 404 and 410, never a 500.
var (
	errLinkInvalid = &kit.HTTPError{Status: http.StatusNotFound, Msg: i18n.Mark("This link is not valid. Check that you copied the whole link, or ask an administrator for a new one.")}
	errLinkUsed    = &kit.HTTPError{Status: http.StatusGone, Msg: i18n.Mark("This link was already used. Sign in with the password you chose, or ask an administrator for a new link.")}
	errLinkExpired = &kit.HTTPError{Status: http.StatusGone, Msg: i18n.Mark("This link has expired: links work for 24 hours. Ask an administrator for a new one.")}
)

// adminSetPassword is GET /admin/set-password?token=…, the page of the link
// an administrator's reset created. It needs no session: the link is the
// proof. It shows the account and the new-password form.
func (h *Handler) adminSetPassword(w http.ResponseWriter, r *http.Request) error {
	noReferrer(w)
	token := r.URL.Query().Get("token")
	u, err := h.resetUser(r, token)
	if err != nil {
		return h.setPasswordProblem(w, r, err)
	}
	return h.renderSetPassword(w, r, http.StatusOK, &setPasswordView{Token: token, Email: u.Email})
}

// adminSetPasswordSave is POST /admin/set-password (token in the body): the
// new password is checked by the policy, then the link is consumed with a
// compare-and-set in the same transaction that sets the password and ends
// every session, so one link sets one password once.
func (h *Handler) adminSetPasswordSave(w http.ResponseWriter, r *http.Request) error {
	noReferrer(w)
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	token := vals.Get("token")
	u, err := h.resetUser(r, token)
	if err != nil {
		return h.setPasswordProblem(w, r, err)
	}
	v := &setPasswordView{Token: token, Email: u.Email, Errors: map[string]string{}}
	newPw := vals.Get("new_password")
	if newPw == "" {
		v.Errors["new_password"] = i18n.Mark("Enter a new password.")
	} else if msg := form.PasswordMessageFor(kit.L(r), auth.CheckPassword(newPw, u.Email)); msg != "" {
		v.Errors["new_password"] = msg
	} else if vals.Get("confirm_password") != newPw {
		v.Errors["confirm_password"] = i18n.Mark("The two passwords differ. Type the new password twice, the same way.")
	}
	if len(v.Errors) > 0 {
		return h.renderSetPassword(w, r, http.StatusUnprocessableEntity, v)
	}
	hash, err := h.admin.hasher.Hash(ctx, newPw)
	if err != nil {
		return err
	}
	tokenHash, _ := auth.ResetTokenHash(token) // resetUser checked the form
	id := u.ID
	audit := &store.AuditEntry{UserID: &id, UserEmail: u.Email, Action: "user.password_set",
		Summary: "password set with a reset link; sessions ended", IP: h.ClientIP(r).String()}
	if _, err := h.Store.UsePasswordReset(ctx, tokenHash, hash, h.Now(), audit); err != nil {
		return h.setPasswordProblem(w, r, err)
	}
	return h.renderSetPassword(w, r, http.StatusOK, &setPasswordView{Email: u.Email, Done: true})
}

// resetUser finds the account of a usable link; errLink* otherwise.
func (h *Handler) resetUser(r *http.Request, token string) (*store.User, error) {
	ctx := r.Context()
	tokenHash, ok := auth.ResetTokenHash(token)
	if !ok {
		return nil, errLinkInvalid
	}
	pr, err := h.Store.GetPasswordReset(ctx, tokenHash)
	if err != nil {
		return nil, err
	}
	switch {
	case pr.UsedAt != nil:
		return nil, errLinkUsed
	case !h.Now().Before(pr.ExpiresAt):
		return nil, errLinkExpired
	}
	return h.Store.GetUser(ctx, pr.UserID)
}

// setPasswordProblem answers a link that cannot be used with its reason on
// the set-password page itself; real failures go to the error wrapper.
func (h *Handler) setPasswordProblem(w http.ResponseWriter, r *http.Request, err error) error {
	var he *kit.HTTPError
	switch {
	case errors.As(err, &he):
	case errors.Is(err, store.ErrNotFound):
		he = errLinkInvalid
	case errors.Is(err, store.ErrResetUsed):
		he = errLinkUsed
	case errors.Is(err, store.ErrResetExpired):
		he = errLinkExpired
	default:
		return err
	}
	return h.renderSetPassword(w, r, he.Status, &setPasswordView{Problem: kit.L(r).T(he.Msg)})
}

func (h *Handler) renderSetPassword(w http.ResponseWriter, r *http.Request, status int, v *setPasswordView) error {
	v.Order = setPasswordFieldOrder
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.Errors = kit.TErrors(r, v.Errors)
	return h.AdminRender(w, r, status, "set_password.html", kit.L(r).T("Choose a password"), "login", v)
}

// noReferrer keeps the page's URL, which holds the token, out of the
// Referer of anything the page loads or links to.
func noReferrer(w http.ResponseWriter) { w.Header().Set("Referrer-Policy", "no-referrer") }
