package staff

import (
	"errors"
	"net/http"

	"lostinnl/internal/auth"
	"lostinnl/internal/web/kit"
)

// loginView is the data of admin/login.html: the password step, or the
// second-factor step when Code is true.
type loginView struct {
	Code    bool   // show the code form
	Email   string // kept on the password form after a failure (never the password)
	Next    string // validated "next" path
	Message string // one message for the whole form
	Notice  string // neutral information (signed out, timed out)
	// WithCode adds the second-factor code to the password form: offered
	// when the address is over its sign-in budget (login_code_first.go).
	WithCode bool
	// translated: Message is in the request's language already (built
	// with its numbers); otherwise it is a msgid renderLogin translates.
	translated bool
}

// adminLogin is GET /admin/login: the sign-in form, or the code form when
// the password step is done and the second factor is due.
func (h *Handler) adminLogin(w http.ResponseWriter, r *http.Request) error {
	next := SafeNext(r.URL.Query().Get("next"))
	if kit.UserFrom(r.Context()) != nil {
		if next == "" {
			next = "/admin"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	v := &loginView{Next: next}
	if r.URL.Query().Get("out") == "1" {
		v.Notice = kit.L(r).T("You are signed out.")
	}
	_, _, err := h.admin.sessions.LoadPending(r)
	switch {
	case err == nil:
		v.Code = true
	case !errors.Is(err, auth.ErrNoSession):
		return err
	}
	return h.renderLogin(w, r, http.StatusOK, v)
}

func (h *Handler) renderLogin(w http.ResponseWriter, r *http.Request, status int, v *loginView) error {
	if !v.translated && v.Message != "" {
		v.Message = kit.L(r).T(v.Message)
	}
	return h.AdminRender(w, r, status, "login.html", kit.L(r).TC("admin", "Sign in"), "login", v)
}
