package staff

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"lostinnl/internal/auth"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// Session is the session middleware (the session slot of internal/web's
// chain). It loads the signed-in user into the context for requireRole,
// and adds two rules of its own that hold for every path under /admin,
// whatever the route table says (defence in depth):
//
//   - anonymous requests go to the sign-in page (303) with a "next" link
//     back, except the sign-in routes themselves; so even an /admin URL
//     that matches no route reveals nothing to an anonymous visitor;
//   - when the admin setting "require a second factor" is on, a signed-in
//     user without one can reach only the enrolment pages and sign-out.
//
// Public pages are not touched at all (every staff route lives under
// /admin, which TestAdminRouteTableMatchesExpectations pins).
func (h *Handler) Session(next http.Handler) http.Handler {
	a := h.admin
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !IsAdminPath(r.URL.Path) {
			// Public pages never look at the session: no query per page
			// view, and no Set-Cookie on responses that caches may keep.
			next.ServeHTTP(w, r)
			return
		}
		if kit.HasLang(r.Context()) {
			// Recorded before the session: a test's forced language (the
			// /fr prefix never reaches /admin). It wins over the account's.
			r = r.WithContext(context.WithValue(r.Context(), forcedLangKey{}, true))
		}
		sess, user, err := a.sessions.Load(r)
		switch {
		case err == nil:
			ctx := kit.WithUser(r.Context(), user)
			ctx = kit.WithSession(ctx, sess)
			if !kit.HasLang(ctx) {
				// The admin area speaks the staff member's own language
				// (their account's choice, issue 18) on every page,
				// error pages included. A language already recorded is
				// a test's forced one (/fr/admin is a 404 before this).
				ctx = kit.WithLang(ctx, UserLang(user))
			}
			r = r.WithContext(ctx)
		case errors.Is(err, auth.ErrSecondFactorPending):
			// A sign-in waiting for its code: anonymous for everything but
			// the login form, which finds it with LoadPending.
		case errors.Is(err, auth.ErrNoSession):
			if a.sessions.HasCookie(r) {
				a.sessions.ClearCookie(w, r)
			}
		default:
			h.Fail(w, r, err)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Robots-Tag", "noindex, nofollow")
		pattern := r.Method + " " + r.URL.Path
		if user == nil && !kit.HasLang(r.Context()) && i18n.Suggest(r.Header.Get("Accept-Language")) {
			// Before signing in there is no account to ask: the sign-in
			// and set-password pages follow the browser's languages
			// (French only when preferred to English). Every answer is
			// no-store, so no cache keeps one language for another.
			r = r.WithContext(kit.WithLang(r.Context(), i18n.French))
		}
		if user == nil {
			if PublicAdminRoutes[pattern] || (r.Method == http.MethodHead && PublicAdminRoutes["GET "+r.URL.Path]) {
				next.ServeHTTP(w, r)
				return
			}
			to := "/admin/login"
			if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Path != "/admin" {
				if n := SafeNext(r.URL.RequestURI()); n != "" {
					to += "?next=" + url.QueryEscape(n)
				}
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		if user.TOTPSecret == nil && !enrolmentRoutes[pattern] {
			required, err := h.require2FA(r.Context())
			if err != nil {
				h.Fail(w, r, err)
				return
			}
			if required {
				http.Redirect(w, r, "/admin/account/2fa", http.StatusSeeOther)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

type forcedLangKey struct{}

// accountLang is the localizer for text shown to user on a later request
// (a flash message set while signing in): their account's language, or
// the forced language of a test.
func accountLang(r *http.Request, user *store.User) *i18n.Localizer {
	if forced, _ := r.Context().Value(forcedLangKey{}).(bool); forced {
		return kit.L(r)
	}
	return i18n.For(UserLang(user))
}

// UserLang is the language of user's admin pages: their saved choice,
// English for anything the site does not know.
func UserLang(user *store.User) i18n.Lang {
	if l, ok := i18n.Parse(user.Lang); ok {
		return l
	}
	return i18n.English
}

// enrolmentRoutes stay open to a user who must enrol a second factor first.
var enrolmentRoutes = map[string]bool{
	"GET /admin/account/2fa":      true,
	"POST /admin/account/2fa":     true,
	"GET /admin/account/totp.png": true,
	"POST /admin/logout":          true,
	"GET /admin/login":            true,
	"POST /admin/login":           true,
	"GET /admin/set-password":     true,
	"POST /admin/set-password":    true,
}

// require2FA reads the admin setting; missing means off.
func (h *Handler) require2FA(ctx context.Context) (bool, error) {
	v, err := h.Store.GetSetting(ctx, SettingRequire2FA)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return v == "true", nil
}

// SafeNext returns p if it is a same-site relative path inside the admin
// area, else "". It is the only way a "next" value reaches a redirect, so
// an attacker's link cannot send a freshly signed-in moderator anywhere
// else ("//evil.example", "/\\evil.example", "https://…", "/admin/../x").
func SafeNext(p string) string {
	if p == "" || len(p) > 2000 {
		return ""
	}
	for _, r := range p {
		if r < 0x21 || r == 0x7f || r == '\\' || unicode.IsSpace(r) {
			return ""
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return ""
	}
	if strings.HasPrefix(p, "//") || !strings.HasPrefix(p, "/admin") {
		return ""
	}
	if !IsAdminPath(u.Path) || strings.Contains(u.Path, "/..") || strings.Contains(u.Path, "/./") || strings.Contains(u.Path, "//") {
		return ""
	}
	if u.Path == "/admin/login" || u.Path == "/admin/logout" {
		return ""
	}
	return u.RequestURI()
}

// SettingRequire2FA is the admin setting "require a second factor for all
// staff" (value "true" / "false").
const SettingRequire2FA = "require_2fa"

// PublicAdminRoutes are the only /admin routes that may be reached without
// a session: signing in, signing out (which must also work for a
// half-finished sign-in waiting for its code), and the set-password link of
// an administrator's reset, whose token is the proof.
var PublicAdminRoutes = map[string]bool{
	"GET /admin/login":   true,
	"POST /admin/login":  true,
	"POST /admin/logout": true,

	"GET /admin/set-password":  true,
	"POST /admin/set-password": true,
}

func IsAdminPath(p string) bool { return p == "/admin" || strings.HasPrefix(p, "/admin/") }
