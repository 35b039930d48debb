package staff

import (
	"errors"
	"log/slog"
	"lostinnl/internal/i18n"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// msgAddressBudget is added to the throttled sign-in form when the address
// (not the account) is over its budget: a shared office IP must not lock out
// staff whose own account is fine.
var msgAddressBudget = i18n.Mark("Many sign-ins failed from your network recently, so sign-ins from it are paused. If your account has a second factor, you can sign in now: type your email, your password and the current code from your authenticator app, together.")

// loginCodeFirst is POST /admin/login with email, password and "otp": the
// way in for an account with a second factor while its address is over the
// per-address budget (issue 12 point 4: a correct password and a valid
// second factor for an account that is not itself locked is never refused).
//
// The code is checked before the password, and argon2 runs only when the
// code is valid: a code check is a cheap HMAC, and an attacker spraying one
// password over many accounts cannot produce valid codes, so the address
// budget still bounds the expensive checks (the point of the throttle). The
// account's own limit applies as at every step: the attempt is counted
// before anything is checked and given back only when everything was right.
// The code is redeemed by compare-and-set, so one code signs in once.
// Recovery codes are not accepted here (they are for a lost phone, not for
// a busy network); such a user waits for the budget or signs in elsewhere.
func (h *Handler) loginCodeFirst(w http.ResponseWriter, r *http.Request, vals url.Values, next string) error {
	ctx := r.Context()
	a := h.admin
	email := strings.TrimSpace(vals.Get("email"))
	password := vals.Get("password")
	code := strings.TrimSpace(vals.Get("otp"))
	ip := h.ClientIP(r).String()
	v := &loginView{Email: strings.ToValidUTF8(email, ""), Next: next, WithCode: true}
	if len(v.Email) > 254 {
		v.Email = ""
	}
	var u *store.User
	if n := auth.NormalizeEmail(email); n != "" && len(n) <= 254 {
		found, err := h.Store.GetUserByEmail(ctx, n)
		switch {
		case err == nil:
			u = found
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
	}
	shown := h.typedEmailLabel(email, u != nil)
	refuse := func(summary, detail string) error {
		if err := h.Store.AppendAudit(ctx, &store.AuditEntry{Action: "user.login_failed", UserEmail: shown, IP: ip, Summary: summary}); err != nil {
			return err
		}
		h.logLogin(r, false, shown, ip, detail)
		return nil
	}
	rsv, wait, err := a.throttle.Reserve(ctx, email, ip, false)
	if errors.Is(err, auth.ErrThrottled) {
		if aerr := refuse("refused: too many failed sign-in attempts", "throttled"); aerr != nil {
			return aerr
		}
		v.WithCode = false // the account itself is held back: a code does not help
		return h.loginThrottled(w, r, v, wait)
	}
	if err != nil {
		return err
	}
	codeOK := false
	if u != nil && !u.Disabled && u.TOTPSecret != nil && code != "" && utf8.ValidString(code) && len(code) <= 64 {
		secret, oerr := a.cfg.Cipher.Open(ctx, u.TOTPSecret, "users", "totp_secret", u.ID)
		if oerr != nil {
			h.Log.LogAttrs(ctx, slog.LevelError, "TOTP secret unreadable",
				slog.Int64("user_id", u.ID), slog.String("error", oerr.Error()))
		} else {
			switch verr := a.guard.Verify(ctx, u.ID, string(secret), code); {
			case verr == nil:
				codeOK = true
			case errors.Is(verr, auth.ErrInvalidCode), errors.Is(verr, auth.ErrCodeReused), errors.Is(verr, auth.ErrBadTOTPSecret):
			default:
				return verr
			}
		}
	}
	if !codeOK {
		// No argon2 work without a valid second factor: the address budget
		// stands. The attempt stays counted against the account.
		if err := refuse("refused: address over its budget, no valid second-factor code", "address over budget, no valid code"); err != nil {
			return err
		}
		wait, _ := a.throttle.Check(ctx, email, ip) // for Retry-After only: a failure here changes nothing
		if wait <= 0 {
			wait = time.Minute // the budget freed up meanwhile: try again soon
		}
		return h.loginThrottled(w, r, v, wait)
	}
	ok, err := a.hasher.Verify(ctx, u.PasswordHash, password)
	if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
		return err
	}
	if !ok {
		if err := refuse("wrong email or password", "wrong email or password"); err != nil {
			return err
		}
		v.Message = MsgBadCredentials
		return h.renderLogin(w, r, http.StatusUnprocessableEntity, v)
	}
	if err := a.throttle.Release(ctx, rsv); err != nil {
		return err
	}
	return h.loginComplete(w, r, u, next, "password and authenticator code (network over its sign-in budget)", "")
}
