package staff

import (
	"errors"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/web/kit"
)

// Handler serves signing in and out, sessions, second factors,
// passwords and the staff accounts.
type Handler struct {
	*kit.Env
	admin *adminArea
}

// newStaff builds the staff area from the admin wiring. Without it there is
// no site: the admin area is part of the site, not an option, since
// without it reports could be sent that nobody can review.
func New(env *kit.Env, d *Admin) (*Handler, error) {
	if d == nil {
		return nil, errors.New("web: Deps.Admin is required")
	}
	if d.Cipher == nil {
		return nil, errors.New("web: Deps.Admin.Cipher is required")
	}
	a := &adminArea{cfg: *d, hasher: d.Hasher}
	a.sessions = auth.NewManager(env.Store, auth.SessionConfig{
		IdleTimeout: d.IdleTimeout, AbsoluteLifetime: d.SessionLifetime, IsSecure: env.ViaTLS, Now: env.Now,
	})
	if a.hasher == nil {
		a.hasher = auth.NewHasher(auth.DefaultParams(), 2)
	}
	a.throttle = auth.NewThrottle(env.Store, auth.ThrottleConfig{Now: env.Now, IPMaxFailures: d.LoginIPMaxFailures, IPWindow: d.LoginIPWindow})
	a.authn = &auth.Authenticator{Users: env.Store, Hasher: a.hasher, Throttle: a.throttle, Logger: env.Log}
	a.guard = auth.NewTOTPReplayGuard(env.Store, env.Now)
	if err := a.deriveLoginKeys(d.LoginKey); err != nil {
		return nil, err
	}
	// Staff pages of every area show the flash message and open sealed
	// personal data.
	env.Sessions, env.Cipher = a.sessions, d.Cipher
	return &Handler{Env: env, admin: a}, nil
}

// Routes is the staff area's part of the route table: signing in and out,
// the own account, users and the staff-wide settings.
func (h *Handler) Routes() []kit.Route {
	return []kit.Route{
		{Pattern: "GET /admin/login", Access: kit.Public, Handler: h.adminLogin},
		// The append-only record of what every staff member did.
		{Pattern: "GET /admin/audit", Access: kit.AdminOnly, Handler: h.adminAudit},
		{Pattern: "POST /admin/login", Access: kit.Public, Handler: h.adminLoginSave},
		{Pattern: "POST /admin/logout", Access: kit.Public, Handler: h.adminLogout},
		{Pattern: "GET /admin/set-password", Access: kit.Public, Handler: h.adminSetPassword},
		{Pattern: "POST /admin/set-password", Access: kit.Public, Handler: h.adminSetPasswordSave},

		{Pattern: "GET /admin/account/2fa", Access: kit.Staff, Handler: h.adminTOTPForm},
		{Pattern: "POST /admin/account/2fa", Access: kit.Staff, Handler: h.adminTOTPSave},
		{Pattern: "GET /admin/account/totp.png", Access: kit.Staff, Handler: h.adminTOTPImage},
		{Pattern: "GET /admin/account/password", Access: kit.Staff, Handler: h.adminPasswordForm},
		{Pattern: "POST /admin/account/password", Access: kit.Staff, Handler: h.adminPasswordSave},
		{Pattern: "GET /admin/account/notifications", Access: kit.Staff, Handler: h.adminNotifyForm},
		{Pattern: "POST /admin/account/notifications", Access: kit.Staff, Handler: h.adminNotifySave},
		{Pattern: "POST /admin/account/language", Access: kit.Staff, Handler: h.adminLangSave},

		{Pattern: "GET /admin/users", Access: kit.AdminOnly, Handler: h.adminUsers},
		{Pattern: "POST /admin/users", Access: kit.AdminOnly, Handler: h.adminUserCreate},
		{Pattern: "POST /admin/users/{id}/role", Access: kit.AdminOnly, Handler: h.adminUserRole},
		{Pattern: "POST /admin/users/{id}/disable", Access: kit.AdminOnly, Handler: h.adminUserDisable},
		{Pattern: "POST /admin/users/{id}/enable", Access: kit.AdminOnly, Handler: h.adminUserEnable},
		{Pattern: "POST /admin/users/{id}/reset-2fa", Access: kit.AdminOnly, Handler: h.adminUserReset2FA},
		{Pattern: "POST /admin/users/{id}/reset-password", Access: kit.AdminOnly, Handler: h.adminUserResetPassword},
		{Pattern: "POST /admin/settings/require-2fa", Access: kit.AdminOnly, Handler: h.adminRequire2FASave},
	}
}

// Admin is the wiring of the admin area (Deps.Admin). Only Cipher is
// required; the auth pieces default to ones built over Deps.Store with the
// site's clock and TLS detection, which is what production wants too.
type Admin struct {
	// Cipher opens sealed personal data for staff views (reporter and
	// tipster contacts, TOTP secrets). *secrets.FieldCipher satisfies it.
	Cipher kit.Cipher

	// Hasher checks and makes password hashes; nil = auth.NewHasher with
	// auth.DefaultParams. Production passes its own to count the checks
	// (a metric); tests pass a cheap one.
	Hasher *auth.Hasher

	// IdleTimeout and SessionLifetime configure the default session
	// manager (LOSTINNL_SESSION_IDLE_TIMEOUT, LOSTINNL_SESSION_LIFETIME);
	// zero = auth's defaults (30 min, 12 h).
	IdleTimeout     time.Duration
	SessionLifetime time.Duration

	// LoginIPMaxFailures and LoginIPWindow: the per-address sign-in budget
	// (LOSTINNL_LOGIN_IP_MAX_FAILURES, LOSTINNL_LOGIN_IP_WINDOW); zero =
	// auth's defaults (25 per 5 min).
	LoginIPMaxFailures int
	LoginIPWindow      time.Duration

	// LoginKey (32 random bytes, kept by the installation; see
	// cli.loadLoginKey) keys the hash under which failed sign-ins log a typed
	// email that is no staff account's, and the known-browser cookie. Every
	// instance must get the same key. Nil: a random key for this process,
	// which is only right for a single process (tests).
	LoginKey []byte

	// RetentionDays (LOSTINNL_LOCATED_RETENTION_DAYS): after a case is
	// marked located, its photos and personal details leave the public page
	// this many days later (internal/retention does it; the dashboard lists
	// what is due). 0 = at the retention job's next pass.
	RetentionDays int
}

// adminArea is the admin area's state inside handler, built once by
// initAdmin from Deps.Admin.
type adminArea struct {
	cfg      Admin
	sessions *auth.Manager
	hasher   *auth.Hasher
	throttle *auth.Throttle
	authn    *auth.Authenticator
	guard    *auth.TOTPReplayGuard
	// emailKey and deviceKey are derived from Admin.LoginKey.
	emailKey  []byte
	deviceKey []byte
}
