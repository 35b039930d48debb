package staff

import (
	"errors"
	"log/slog"
	"lostinnl/internal/i18n"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminPasswordSave is POST /admin/account/password. The user proves who
// they are as at sign-in (current password, and a current code when a
// second factor is enrolled), under the same throttle: a wrong current
// password or code is a failed sign-in for the account and the address, so
// a stolen session cannot use this page to guess the password. The new
// password passes the same policy as everywhere and must not be the current
// one. On success every session of the user ends and this browser gets a
// new session id (the old id, which may have leaked, is dead).
func (h *Handler) adminPasswordSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a := h.admin
	u := kit.UserFrom(ctx)
	ip := h.ClientIP(r).String()
	current := vals.Get("current_password")
	newPw := vals.Get("new_password")
	code := strings.TrimSpace(vals.Get("code"))
	v := &passwordView{NeedCode: u.TOTPSecret != nil, Errors: map[string]string{}}

	// The form first: nothing is verified (no argon2 work, no throttle
	// count) for a form that could not succeed anyway.
	if current == "" {
		v.Errors["current_password"] = i18n.Mark("Enter your current password.")
	}
	if newPw == "" {
		v.Errors["new_password"] = i18n.Mark("Enter a new password.")
	} else if msg := form.PasswordMessageFor(kit.L(r), auth.CheckPassword(newPw, u.Email)); msg != "" {
		v.Errors["new_password"] = msg
	} else if vals.Get("confirm_password") != newPw {
		v.Errors["confirm_password"] = i18n.Mark("The two new passwords differ. Type the new password twice, the same way.")
	}
	if v.NeedCode && code == "" {
		v.Errors["code"] = i18n.Mark("Enter the 6-digit code your authenticator app shows now.")
	}
	if len(v.Errors) > 0 {
		return h.renderPassword(w, r, http.StatusUnprocessableEntity, v)
	}

	// Counted as a failure before anything is verified (one atomic step in
	// the database, like sign-in), so parallel guesses from a stolen
	// session cannot outrun the account's limit; given back when right.
	// The address budget is skipped: the session already proves a sign-in.
	rsv, wait, err := a.throttle.Reserve(ctx, u.Email, ip, false)
	if err != nil {
		if !errors.Is(err, auth.ErrThrottled) {
			return err
		}
		if err := h.Store.AppendAudit(ctx, h.loginAudit(u, ip, "user.password_change_failed", "refused: too many failed sign-in attempts")); err != nil {
			return err
		}
		h.logPasswordChange(r, u, ip, false, "throttled")
		secs := max(int((wait+time.Second-1)/time.Second), 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		v.Message = kit.L(r).N("Too many failed attempts. Please wait about {n} minute and try again.", "Too many failed attempts. Please wait about {n} minutes and try again.", (secs+59)/60)
		return h.renderPassword(w, r, http.StatusTooManyRequests, v)
	}
	ok, err := a.hasher.Verify(ctx, u.PasswordHash, current)
	if err != nil && !errors.Is(err, auth.ErrMalformedHash) {
		return err
	}
	if !ok {
		v.Errors["current_password"] = i18n.Mark("That is not your current password.")
		return h.passwordChangeFailed(w, r, u, ip, "wrong current password", v)
	}
	if v.NeedCode {
		verr := auth.ErrInvalidCode
		if utf8.ValidString(code) && len(code) <= 20 {
			secret, oerr := a.cfg.Cipher.Open(ctx, u.TOTPSecret, "users", "totp_secret", u.ID)
			if oerr != nil {
				h.Log.LogAttrs(ctx, slog.LevelError, "TOTP secret unreadable",
					slog.Int64("user_id", u.ID), slog.String("error", oerr.Error()))
			} else {
				// Through the replay guard: a code seen here cannot be
				// used again to sign in, nor the other way round.
				verr = a.guard.Verify(ctx, u.ID, string(secret), code)
			}
		}
		switch {
		case verr == nil:
		case errors.Is(verr, auth.ErrInvalidCode), errors.Is(verr, auth.ErrCodeReused), errors.Is(verr, auth.ErrBadTOTPSecret):
			v.Errors["code"] = i18n.Mark("That code is not right. Type the newest 6-digit code your app shows.")
			return h.passwordChangeFailed(w, r, u, ip, "wrong second-factor code", v)
		default:
			return verr
		}
	}
	// Only now, with the current password proven: comparing earlier would
	// tell a guesser when they typed the current password as the new one.
	if err := a.throttle.Release(ctx, rsv); err != nil {
		return err
	}
	if auth.SamePassword(newPw, current) {
		v.Errors["new_password"] = i18n.Mark("The new password must be different from your current one.")
		return h.renderPassword(w, r, http.StatusUnprocessableEntity, v)
	}
	hash, err := a.hasher.Hash(ctx, newPw)
	if err != nil {
		return err
	}
	if err := h.Store.SetPassword(ctx, u.ID, hash, h.AuditFor(r, "user.password_change", "password changed; every other session ended")); err != nil {
		return err
	}
	// The store ended every session of the user, this one included; a new
	// one with a new id keeps this browser signed in.
	sess, err := a.sessions.Start(ctx, w, r, u)
	if err != nil {
		return err
	}
	if err := a.throttle.Succeed(ctx, u.Email, ip); err != nil {
		return err
	}
	h.logPasswordChange(r, u, ip, true, "")
	if err := a.sessions.SetFlash(ctx, sess, "success", kit.L(r).T("Your password is changed. You are signed out on every other device.")); err != nil {
		h.Log.LogAttrs(ctx, slog.LevelWarn, "flash message lost",
			slog.String("request_id", h.RequestID(ctx)), slog.String("error", err.Error()))
	}
	http.Redirect(w, r, "/admin/account/password", http.StatusSeeOther)
	return nil
}

// passwordChangeFailed records a failed proof of identity like a failed
// sign-in (audit, log; the throttle counted it already) and shows the form
// again.
func (h *Handler) passwordChangeFailed(w http.ResponseWriter, r *http.Request, u *store.User, ip, detail string, v *passwordView) error {
	ctx := r.Context()
	if err := h.Store.AppendAudit(ctx, h.loginAudit(u, ip, "user.password_change_failed", detail)); err != nil {
		return err
	}
	h.logPasswordChange(r, u, ip, false, detail)
	return h.renderPassword(w, r, http.StatusUnprocessableEntity, v)
}

// logPasswordChange writes one line per attempt that got past the form
// (never a password or code).
func (h *Handler) logPasswordChange(r *http.Request, u *store.User, ip string, ok bool, detail string) {
	level, msg := slog.LevelWarn, "password change failed"
	if ok {
		level, msg = slog.LevelInfo, "password changed"
	}
	h.Log.LogAttrs(r.Context(), level, msg,
		slog.String("request_id", h.RequestID(r.Context())),
		slog.Int64("user_id", u.ID), slog.String("ip", ip), slog.String("detail", detail))
}
