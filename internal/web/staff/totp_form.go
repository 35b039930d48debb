package staff

import (
	"errors"
	"net/http"

	"lostinnl/internal/auth"
	"lostinnl/internal/web/kit"
)

// totpView is the data of admin/account_2fa.html.
type totpView struct {
	Enrolled  bool
	Required  bool // the admin setting forces enrolment
	ManualKey string
	Error     string
	Codes     []string // recovery codes, shown once right after enrolment
	Remaining int      // unused recovery codes
}

// adminTOTPForm is GET /admin/account/2fa: the second-factor status of the
// signed-in user, or the enrolment page (QR code, manual key, code field).
// The secret being enrolled lives sealed in the session until confirmed.
func (h *Handler) adminTOTPForm(w http.ResponseWriter, r *http.Request) error {
	u := kit.UserFrom(r.Context())
	v := &totpView{Enrolled: u.TOTPSecret != nil, Remaining: auth.RemainingRecoveryCodes(u.RecoveryCodes)}
	if !v.Enrolled {
		secret, err := h.enrolmentSecret(r)
		if err != nil {
			return err
		}
		v.ManualKey = auth.FormatTOTPSecret(secret)
		if v.Required, err = h.require2FA(r.Context()); err != nil {
			return err
		}
	}
	return h.AdminRender(w, r, http.StatusOK, "account_2fa.html", kit.L(r).TC("admin", "Second factor"), "account", v)
}

// enrolmentSecret returns the secret of the enrolment in progress, starting
// one when there is none (so reloading the page keeps the same QR code).
func (h *Handler) enrolmentSecret(r *http.Request) (string, error) {
	s := kit.SessionFrom(r.Context())
	if s == nil {
		return "", kit.ErrNotFound()
	}
	secret, err := s.EnrolmentSecret()
	if err == nil {
		return secret, nil
	}
	if !errors.Is(err, auth.ErrNoEnrolment) {
		return "", err
	}
	if secret, err = auth.GenerateTOTPSecret(); err != nil {
		return "", err
	}
	if err := h.admin.sessions.SetEnrolmentSecret(r.Context(), s, secret); err != nil {
		return "", err
	}
	return secret, nil
}
