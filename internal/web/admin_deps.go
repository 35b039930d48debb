package web

import (
	"errors"
	"fmt"
	"lostinnl/internal/web/kit"
	"net/http"
	"strings"
	"time"

	"lostinnl/internal/auth"
)

// Admin is the wiring of the admin area (Deps.Admin). Only Cipher is
// required; the auth pieces default to ones built over Deps.Store with the
// site's clock and TLS detection, which is what production wants too.
type Admin struct {
	// Cipher opens sealed personal data for staff views (reporter and
	// tipster contacts, TOTP secrets). *secrets.FieldCipher satisfies it.
	Cipher kit.Cipher

	// Sessions, Hasher and Throttle: nil = defaults (auth.NewManager with
	// IsSecure from the trusted-proxy rules, auth.NewHasher(DefaultParams, 2),
	// auth.NewThrottle with default limits). Tests pass cheap ones.
	Sessions *auth.Manager
	Hasher   *auth.Hasher
	Throttle *auth.Throttle

	// IdleTimeout and SessionLifetime configure the default session
	// manager (LOSTINNL_SESSION_IDLE_TIMEOUT, LOSTINNL_SESSION_LIFETIME);
	// zero = auth's defaults (30 min, 12 h). Ignored when Sessions is set.
	IdleTimeout     time.Duration
	SessionLifetime time.Duration

	// LoginIPMaxFailures and LoginIPWindow: the per-address sign-in budget
	// (LOSTINNL_LOGIN_IP_MAX_FAILURES, LOSTINNL_LOGIN_IP_WINDOW); zero =
	// auth's defaults (25 per 5 min). Ignored when Throttle is set.
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
	days     int
	// emailKey and deviceKey are derived from Admin.LoginKey.
	emailKey  []byte
	deviceKey []byte
}

// settingRequire2FA is the admin setting "require a second factor for all
// staff" (value "true" / "false").
const settingRequire2FA = "require_2fa"

// initAdmin checks the route table (default deny, see checkAdminRoutes) and
// builds the admin area from Deps.Admin. Without Deps.Admin the admin routes
// exist but answer 503, so a site without the admin wiring still serves the
// public pages.
func (h *handler) initAdmin() error {
	if err := checkAdminRoutes(h.routes()); err != nil {
		return err
	}
	d := h.deps.Admin
	if d == nil {
		// The admin area is part of the site, not an option: without it
		// reports could be sent that nobody can review.
		return errors.New("web: Deps.Admin is required")
	}
	if d.Cipher == nil {
		return errors.New("web: Deps.Admin.Cipher is required")
	}
	a := &adminArea{cfg: *d, sessions: d.Sessions, hasher: d.Hasher, throttle: d.Throttle, days: max(d.RetentionDays, 0)}
	if a.sessions == nil {
		a.sessions = auth.NewManager(h.Store, auth.SessionConfig{
			IdleTimeout: d.IdleTimeout, AbsoluteLifetime: d.SessionLifetime, IsSecure: h.ViaTLS, Now: h.Now,
		})
	}
	if a.hasher == nil {
		a.hasher = auth.NewHasher(auth.DefaultParams(), 2)
	}
	if a.throttle == nil {
		a.throttle = auth.NewThrottle(h.Store, auth.ThrottleConfig{Now: h.Now, IPMaxFailures: d.LoginIPMaxFailures, IPWindow: d.LoginIPWindow})
	}
	a.authn = &auth.Authenticator{Users: h.Store, Hasher: a.hasher, Throttle: a.throttle, Logger: h.Log}
	a.guard = auth.NewTOTPReplayGuard(h.Store, h.Now)
	if err := a.deriveLoginKeys(d.LoginKey); err != nil {
		return err
	}
	h.admin = a
	h.Sessions, h.Cipher = a.sessions, d.Cipher
	return nil
}

// sessionSlot returns the middleware for Deps.Session: the one given, or
// the admin area's own when the admin area is wired.
func (h *handler) sessionSlot(given func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	if given != nil {
		return given
	}
	return h.adminSession
}

// publicAdminRoutes are the only /admin routes that may be reached without
// a session: signing in, signing out (which must also work for a
// half-finished sign-in waiting for its code), and the set-password link of
// an administrator's reset, whose token is the proof.
var publicAdminRoutes = map[string]bool{
	"GET /admin/login":   true,
	"POST /admin/login":  true,
	"POST /admin/logout": true,

	"GET /admin/set-password":  true,
	"POST /admin/set-password": true,
}

// checkAdminRoutes enforces default deny on the route table: a route under
// /admin marked public (for example a new line whose access was left at its
// zero value, which is public) stops start-up, unless it is one of the
// sign-in routes above.
func checkAdminRoutes(rts []kit.Route) error {
	seen := map[string]bool{}
	for _, rt := range rts {
		if seen[rt.Pattern] {
			return fmt.Errorf("web: route %q is listed twice", rt.Pattern)
		}
		seen[rt.Pattern] = true
		if !isAdminPattern(rt.Pattern) {
			continue
		}
		if rt.Access == kit.Public && !publicAdminRoutes[rt.Pattern] {
			return fmt.Errorf("web: admin route %q has no access rule (public is not allowed under /admin)", rt.Pattern)
		}
		if rt.Access != kit.Public && rt.Access != kit.Staff && rt.Access != kit.AdminOnly {
			return fmt.Errorf("web: admin route %q has an unknown access rule %d", rt.Pattern, rt.Access)
		}
		if rt.Handler == nil {
			return fmt.Errorf("web: admin route %q has no handler", rt.Pattern)
		}
	}
	return nil
}

// isAdminPattern reports whether a ServeMux pattern ("METHOD /path") lies
// under /admin.
func isAdminPattern(pattern string) bool {
	_, p, ok := strings.Cut(pattern, " ")
	if !ok {
		p = pattern
	}
	return isAdminPath(p)
}

func isAdminPath(p string) bool { return p == "/admin" || strings.HasPrefix(p, "/admin/") }

// retentionCutoff is the located-at time before which a located case is
// due for withdrawal now.
func (a *adminArea) retentionCutoff(now time.Time) time.Time {
	return now.AddDate(0, 0, -a.days)
}
