package staff

import (
	"errors"
	"fmt"
	"log/slog"
	"lostinnl/internal/i18n"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// The sign-in form's messages, in English (msgids): renderLogin shows
// them in the request's language.
var (
	MsgBadCredentials = i18n.Mark("The email or password is not right.")
	msgBadCode        = i18n.Mark("That code is not right. Check the time on your phone and try the newest code, or use a recovery code.")
	msgRestart        = i18n.Mark("Your sign-in was interrupted or took too long. Please sign in again.")
	msgTooManyCodes   = i18n.Mark("Too many wrong codes. Please sign in again.")
)

// adminLoginSave is POST /admin/login: the password step (email, password)
// or, when the form carries "code", the second-factor step.
func (h *Handler) adminLoginSave(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	next := SafeNext(vals.Get("next"))
	if _, ok := vals["code"]; ok {
		return h.loginCode(w, r, vals, next)
	}
	if _, ok := vals["otp"]; ok {
		return h.loginCodeFirst(w, r, vals, next)
	}
	return h.loginPassword(w, r, vals, next)
}

func (h *Handler) loginPassword(w http.ResponseWriter, r *http.Request, vals url.Values, next string) error {
	ctx := r.Context()
	a := h.admin
	email := strings.TrimSpace(vals.Get("email"))
	password := vals.Get("password")
	ip := h.ClientIP(r).String()
	v := &loginView{Email: strings.ToValidUTF8(email, ""), Next: next}
	if len(v.Email) > 254 {
		v.Email = ""
	}
	res, err := a.authn.Password(ctx, auth.Attempt{Email: email, Password: password, IP: ip, DeviceUserID: h.knownBrowser(r)})
	shown := h.typedEmailLabel(email, res.Known)
	switch {
	case errors.Is(err, auth.ErrThrottled):
		if aerr := h.Store.AppendAudit(ctx, &store.AuditEntry{Action: "user.login_failed", UserEmail: shown, IP: ip,
			Summary: "refused: too many failed sign-in attempts"}); aerr != nil {
			return aerr
		}
		h.logLogin(r, false, shown, ip, "throttled")
		v.WithCode = errors.Is(err, auth.ErrIPBlocked)
		return h.loginThrottled(w, r, v, res.Wait)
	case errors.Is(err, auth.ErrInvalidCredentials):
		if aerr := h.Store.AppendAudit(ctx, &store.AuditEntry{Action: "user.login_failed", UserEmail: shown, IP: ip,
			Summary: "wrong email or password"}); aerr != nil {
			return aerr
		}
		h.logLogin(r, false, shown, ip, "wrong email or password")
		v.Message = MsgBadCredentials
		return h.renderLogin(w, r, http.StatusUnprocessableEntity, v)
	case err != nil:
		return err
	}
	user := res.User
	if user.TOTPSecret != nil {
		// The id is rotated here already, and again when the code is right.
		if _, err := a.sessions.StartPending(ctx, w, r, user); err != nil {
			return err
		}
		to := "/admin/login"
		if next != "" {
			to += "?next=" + url.QueryEscape(next)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	return h.loginComplete(w, r, user, next, "password", "")
}

// loginCode is the second-factor step. Each request first takes one of the
// pending sign-in's code checks and counts the attempt against the account
// (both atomic in the database), then checks the code; the code itself is
// redeemed by compare-and-set. So parallel requests cannot check more codes
// than allowed, nor turn one code into two sessions. The per-address budget
// does not apply here: the pending sign-in already proves the password.
func (h *Handler) loginCode(w http.ResponseWriter, r *http.Request, vals url.Values, next string) error {
	ctx := r.Context()
	a := h.admin
	ip := h.ClientIP(r).String()
	pending, user, err := a.sessions.LoadPending(r)
	if errors.Is(err, auth.ErrNoSession) {
		return h.renderLogin(w, r, http.StatusUnprocessableEntity, &loginView{Next: next, Message: msgRestart})
	}
	if err != nil {
		return err
	}
	switch err := a.sessions.TakeSecondFactorTry(ctx, w, r, pending); {
	case errors.Is(err, auth.ErrTooManyCodes):
		return h.renderLogin(w, r, http.StatusUnprocessableEntity, &loginView{Next: next, Message: msgTooManyCodes})
	case errors.Is(err, auth.ErrNoSession):
		return h.renderLogin(w, r, http.StatusUnprocessableEntity, &loginView{Next: next, Message: msgRestart})
	case err != nil:
		return err
	}
	rsv, wait, err := a.throttle.Reserve(ctx, user.Email, ip, false)
	if err != nil {
		if !errors.Is(err, auth.ErrThrottled) {
			return err
		}
		if aerr := h.Store.AppendAudit(ctx, h.loginAudit(user, ip, "user.login_failed", "refused: too many failed sign-in attempts")); aerr != nil {
			return aerr
		}
		h.logLogin(r, false, user.Email, ip, "throttled at second factor")
		return h.loginThrottled(w, r, &loginView{Code: true, Next: next}, wait)
	}
	code := strings.TrimSpace(vals.Get("code"))
	if !utf8.ValidString(code) || len(code) > 64 {
		code = "" // can never match; still counts as a failure below
	}
	verr := auth.ErrInvalidCode
	if code != "" {
		secret, oerr := a.cfg.Cipher.Open(ctx, user.TOTPSecret, "users", "totp_secret", user.ID)
		if oerr != nil {
			// The sealed secret cannot be opened (key gone, data damaged):
			// log it so an admin resets the factor; recovery codes still work.
			h.Log.LogAttrs(ctx, slog.LevelError, "TOTP secret unreadable",
				slog.Int64("user_id", user.ID), slog.String("error", oerr.Error()))
		} else {
			verr = a.guard.Verify(ctx, user.ID, string(secret), code)
		}
	}
	method, flash := "authenticator code", ""
	if errors.Is(verr, auth.ErrInvalidCode) && code != "" {
		left, ok, err := auth.RedeemRecoveryCode(ctx, h.Store, user.ID, user.RecoveryCodes, code)
		if err != nil {
			return err
		}
		if ok {
			verr = nil
			method = "recovery code"
			// In the account's language: the flash shows on the first
			// signed-in page, which is in it.
			lz := accountLang(r, user)
			flash = lz.N("You signed in with a recovery code. {n} code is left.", "You signed in with a recovery code. {n} codes are left.", left)
			if left <= 3 {
				flash += " " + lz.T("Ask an administrator to reset your second factor soon, then set it up again.")
			}
		}
	}
	switch {
	case verr == nil:
	case errors.Is(verr, auth.ErrInvalidCode), errors.Is(verr, auth.ErrCodeReused), errors.Is(verr, auth.ErrBadTOTPSecret):
		// The reservation stays: it is this wrong code's failure.
		if err := h.Store.AppendAudit(ctx, h.loginAudit(user, ip, "user.login_failed", "wrong second-factor code")); err != nil {
			return err
		}
		h.logLogin(r, false, user.Email, ip, "wrong second-factor code")
		ended, err := a.sessions.FailSecondFactor(ctx, w, r, pending)
		if err != nil {
			return err
		}
		if ended {
			return h.renderLogin(w, r, http.StatusUnprocessableEntity, &loginView{Next: next, Message: msgTooManyCodes})
		}
		return h.renderLogin(w, r, http.StatusUnprocessableEntity, &loginView{Code: true, Next: next, Message: msgBadCode})
	default:
		return verr
	}
	if err := a.throttle.Release(ctx, rsv); err != nil {
		return err
	}
	return h.loginComplete(w, r, user, next, "password and "+method, flash)
}

// loginComplete signs the user in with a brand-new session id (the one the
// browser arrived with, possibly planted, is deleted), clears the account's
// failures and records the sign-in.
func (h *Handler) loginComplete(w http.ResponseWriter, r *http.Request, user *store.User, next, method, flash string) error {
	ctx := r.Context()
	a := h.admin
	ip := h.ClientIP(r).String()
	sess, err := a.sessions.Start(ctx, w, r, user)
	if err != nil {
		return err
	}
	if err := a.throttle.Succeed(ctx, user.Email, ip); err != nil {
		return err
	}
	if err := h.Store.AppendAudit(ctx, h.loginAudit(user, ip, "user.login", "signed in with "+method)); err != nil {
		return err
	}
	h.logLogin(r, true, user.Email, ip, method)
	h.setKnownBrowser(w, r, user.ID)
	if flash != "" {
		if err := a.sessions.SetFlash(ctx, sess, "warning", flash); err != nil {
			return err
		}
	}
	if next == "" {
		next = "/admin"
	}
	if user.TOTPSecret == nil {
		required, err := h.require2FA(ctx)
		if err != nil {
			return err
		}
		if required {
			next = "/admin/account/2fa"
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// logLogin writes one log line per sign-in attempt (the audit log has the
// same facts; this line reaches the operators' log pipeline and alarms).
// Never the password or code; the email only as typedEmailLabel shows it.
func (h *Handler) logLogin(r *http.Request, ok bool, email, ip, detail string) {
	level, msg := slog.LevelWarn, "sign-in failed"
	if ok {
		level, msg = slog.LevelInfo, "sign-in"
	}
	h.Log.LogAttrs(r.Context(), level, msg,
		slog.String("request_id", h.RequestID(r.Context())),
		slog.String("email", email), slog.String("ip", ip), slog.String("detail", detail))
}

func (h *Handler) loginAudit(u *store.User, ip, action, summary string) *store.AuditEntry {
	id := u.ID
	return &store.AuditEntry{UserID: &id, UserEmail: u.Email, Action: action, Summary: summary, IP: ip, Record: fmt.Sprintf("user:%d", u.ID)}
}

func (h *Handler) loginThrottled(w http.ResponseWriter, r *http.Request, v *loginView, wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	mins := (secs + 59) / 60
	lz := kit.L(r)
	v.Message = lz.N("Too many failed sign-in attempts. Please wait about {n} minute and try again.", "Too many failed sign-in attempts. Please wait about {n} minutes and try again.", mins)
	if v.WithCode {
		v.Message += " " + lz.T(msgAddressBudget)
	}
	v.translated = true
	return h.renderLogin(w, r, http.StatusTooManyRequests, v)
}

// auditableEmail is the typed email as it may appear in the audit log: only
// when it looks like an email address. People sometimes type their password
// into the email field; that must never reach the log.
func auditableEmail(s string) string {
	n := auth.NormalizeEmail(s)
	if n == "" || !utf8.ValidString(n) || !form.ValidEmail(n) {
		return notAnEmail
	}
	return n
}

const notAnEmail = "(not an email address)"
