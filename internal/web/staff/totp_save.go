package staff

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"lostinnl/internal/auth"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminTOTPSave is POST /admin/account/2fa: confirms the enrolment with a
// code from the app, stores the sealed secret with 10 new recovery codes
// and shows those codes once (they are not kept in plaintext anywhere).
func (h *Handler) adminTOTPSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := kit.UserFrom(ctx)
	s := kit.SessionFrom(ctx)
	if u.TOTPSecret != nil {
		return h.FlashRedirect(w, r, "/admin/account/2fa", "error", kit.L(r).T("Your second factor is already set up. An administrator can reset it if you need to set it up again."))
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	secret, err := s.EnrolmentSecret()
	if errors.Is(err, auth.ErrNoEnrolment) {
		return h.FlashRedirect(w, r, "/admin/account/2fa", "error", kit.L(r).T("The set-up expired. Scan the new code and try again."))
	}
	if err != nil {
		return err
	}
	code := strings.TrimSpace(vals.Get("code"))
	v := &totpView{ManualKey: auth.FormatTOTPSecret(secret)}
	verr := auth.ErrInvalidCode
	if utf8.ValidString(code) && len(code) <= 20 && code != "" {
		// Through the replay guard, so the code just used for enrolment
		// cannot be replayed to sign in.
		verr = h.admin.guard.Verify(ctx, u.ID, secret, code)
	}
	if verr != nil {
		if !errors.Is(verr, auth.ErrInvalidCode) && !errors.Is(verr, auth.ErrCodeReused) {
			return verr
		}
		v.Error = kit.L(r).T("That code is not right. Type the 6-digit code your app shows now.")
		if v.Required, err = h.require2FA(ctx); err != nil {
			return err
		}
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "account_2fa.html", kit.L(r).TC("admin", "Second factor"), "account", v)
	}
	codes, stored, err := auth.GenerateRecoveryCodes()
	if err != nil {
		return err
	}
	if err := h.Store.SetTOTP(ctx, u.ID, []byte(secret), stored, h.AuditFor(r, "user.totp_enrol", "second factor set up")); err != nil {
		return err
	}
	if err := h.admin.sessions.ClearEnrolment(ctx, s); err != nil {
		return err
	}
	v = &totpView{Enrolled: true, Codes: codes, Remaining: len(codes)}
	return h.AdminRender(w, r, http.StatusOK, "account_2fa.html", kit.L(r).TC("admin", "Second factor"), "account", v)
}
