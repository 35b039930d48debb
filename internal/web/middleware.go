package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"

	"lostinnl/internal/compress"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/web/kit"
)

// chain is the one place the middleware order is visible. From the
// outside in:
//
//	request id → access log → gzip → language (/fr) → recover → security headers → session →
//	cross-origin protection → unmatched-route pages → mux → (per route:
//	role rule → rate limit → handler)
//
// Telemetry plugs into the first two slots through Deps; the session is
// the staff area's (internal/web/staff).
func (h *handler) chain(mux *http.ServeMux, d Deps) http.Handler {
	var serve http.Handler = mux
	if d.CaptureRoute != nil {
		// Innermost, around the route table: records the matched pattern
		// for the access log and metrics outside request-copying middleware.
		serve = d.CaptureRoute(mux)
	}
	next := h.unmatched(mux, serve)
	next = h.crossOrigin(next)
	next = h.staff.Session(next)
	next = h.securityHeaders(next)
	next = h.recoverPanics(next)
	// The language (the /fr prefix) before anything renders a page, so
	// error pages too come in the request's language.
	next = h.langPrefix(next)
	// Text answers (pages, error pages, JSON) go out gzipped to clients that
	// accept it, also on the embedded default without nginx in front; the
	// static assets keep their own precompressed gzip (compress leaves an
	// answer that already has a Content-Encoding alone).
	next = compress.New(compress.Options{}).Handler(next)
	if d.AccessLog != nil {
		next = d.AccessLog(next)
	}
	// Outermost: every log line and error page below carries the id (an
	// incoming X-Request-ID is kept only from a trusted proxy).
	return telemetry.RequestIDMiddleware(telemetry.TrustedPeer(d.TrustedProxies))(next)
}

// --- recover ---

// recoverPanics turns a panic anywhere below into the 500 page, logged once
// with its stack. http.ErrAbortHandler is re-panicked: it is net/http's
// deliberate way to abort a response.
func (h *handler) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.Log.LogAttrs(r.Context(), slog.LevelError, "panic",
				slog.String("request_id", h.RequestID(r.Context())),
				slog.String("path", kit.LogPath(r.URL.Path)),
				slog.String("panic", fmt.Sprint(v)),
				slog.String("stack", string(debug.Stack())))
			h.ErrorPage(w, r, http.StatusInternalServerError, "")
		}()
		next.ServeHTTP(w, r)
	})
}

// --- security headers ---

func contentSecurityPolicy(mediaOrigin, tilesOrigin string) string {
	img := "'self'"
	if mediaOrigin = strings.TrimRight(strings.TrimSpace(mediaOrigin), "/"); mediaOrigin != "" && !strings.ContainsAny(mediaOrigin, " ;,'\"") {
		img += " " + mediaOrigin
	}
	// The maps' tile server (geo.ParseTiles checked it is one plain
	// origin), on every page rather than only on those with a map: one
	// policy for the whole site, and the tiles are pictures only.
	if tilesOrigin != "" && tilesOrigin != mediaOrigin && !strings.ContainsAny(tilesOrigin, " ;,'\"") {
		img += " " + tilesOrigin
	}
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + img +
		"; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

func (h *handler) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", h.csp)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		if isPublicAPI(r.URL.Path) {
			// The read API is public and read-only: any site may read it
			// from a browser (issue 17), errors included so partners can
			// tell a 404 from a network failure. Never with credentials:
			// no Allow-Credentials, and "*" makes browsers send none.
			hd.Set("Access-Control-Allow-Origin", "*")
		}
		if h.ViaTLS(r) {
			hd.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// --- cross-origin protection ---

// crossOrigin refuses cross-site unsafe requests (POST etc.) using the
// browser's Sec-Fetch-Site / Origin headers, with our friendly 403 page,
// except on the routes declared CrossSite.
func (h *handler) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	// Behind a proxy that rewrites Host, the public origin must still count
	// as same-origin. New validated BaseURL, so this cannot fail.
	_ = cop.AddTrustedOrigin(h.BaseURL)
	// The routes that carry their own authorization (kit.Route.CrossSite,
	// checked in newHandler): exactly their patterns, nothing around them.
	for _, p := range h.crossSite {
		cop.AddInsecureBypassPattern(p)
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.Fail(w, r, &kit.HTTPError{Status: http.StatusForbidden, Msg: "Forms on this site can only be sent from its own pages. Open the page on this site and send the form again."})
	}))
	return cop.Handler(next)
}

// --- unmatched routes: our own 404 and 405 pages ---

// unmatched lets the mux route as usual, except that when no pattern
// matches it renders our 404/405 pages (or JSON for /api/) instead of the
// mux's plain text, keeping its Allow header.
func (h *handler) unmatched(mux *http.ServeMux, serve http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hnd, pattern := mux.Handler(r)
		if pattern != "" {
			serve.ServeHTTP(w, r)
			return
		}
		// The mux's own 404/405 handlers are tiny and side-effect free; run
		// one into a recorder to learn which it was and its Allow header.
		rec := &probeWriter{header: http.Header{}}
		hnd.ServeHTTP(rec, r)
		r = apiErrorLang(r)
		if rec.status == http.StatusMethodNotAllowed {
			h.Fail(w, r, &kit.HTTPError{Status: http.StatusMethodNotAllowed, Allow: rec.header.Get("Allow")})
			return
		}
		h.Fail(w, r, kit.ErrNotFound())
	})
}

// --- roles ---

// requireRole enforces a route's access rule. Anonymous visitors to staff
// pages go to the login page (303); signed-in users without the role get 403.
func (h *handler) requireRole(a kit.Access, next http.Handler) http.Handler {
	if a == kit.Public {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := kit.UserFrom(r.Context())
		if u == nil || u.Disabled {
			http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
			return
		}
		if a == kit.AdminOnly && u.Role != store.RoleAdmin {
			h.Fail(w, r, &kit.HTTPError{Status: http.StatusForbidden, Msg: "Your account does not have access to this page."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// probeWriter records the status and headers of the mux's fallback handlers
// and discards their plain-text body.
type probeWriter struct {
	header http.Header
	status int
}

func (p *probeWriter) Header() http.Header { return p.header }
func (p *probeWriter) WriteHeader(code int) {
	if p.status == 0 {
		p.status = code
	}
}
func (p *probeWriter) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return len(b), nil
}

// isPublicAPI reports whether p is under the public read API.
func isPublicAPI(p string) bool { return p == "/api/v1" || strings.HasPrefix(p, "/api/v1/") }
