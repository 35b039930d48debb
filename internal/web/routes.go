package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"lostinnl/internal/web/admin"
	"lostinnl/internal/web/alerts"
	"lostinnl/internal/web/api"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/maps"
	"lostinnl/internal/web/offline"
	"lostinnl/internal/web/openstats"
	"lostinnl/internal/web/site"
	"lostinnl/internal/web/spread"
)

// routes is THE route table: every URL the site answers, with its role
// rule, assembled from the handler packages' own tables: the public site
// (internal/web/site), email alerts (alerts), the JSON API (api), signing in and staff accounts
// (staff, access public for sign-in, staff or adminOnly otherwise) and
// moderation (admin).
func (h *handler) routes() []kit.Route {
	return slices.Concat(
		site.Routes(h.Env, h.deps.Retention),
		spread.Routes(h.Env, h.deps.Retention.LocatedPublicDays),
		alerts.Routes(h.Env, h.deps.MailKeys, h.deps.MailTemplates, h.deps.MailIdle),
		api.Routes(h.Env),
		openstats.Routes(h.Env),
		offline.Routes(h.Env),
		maps.Routes(h.Env),
		h.staff.Routes(),
		admin.Routes(h.Env, max(h.deps.Admin.RetentionDays, 0)),
	)
}

// routeHandler applies the per-route slots: role rule, then rate limit or
// page cache, then the error-returning handler wrapped into an http.Handler.
func (h *handler) routeHandler(rt kit.Route) http.Handler {
	fn := rt.Handler
	if rt.Purges {
		fn = h.purgesAfter(fn)
	}
	if rt.Cached {
		cacheQuery := rt.CacheQuery
		if rt.LangQuery {
			cacheQuery = withLangParam(cacheQuery)
		}
		fn = h.cached(fn, cacheQuery...)
	}
	if rt.Limited {
		fn = h.rateLimited(fn)
	}
	var hnd http.Handler = h.Wrap(fn)
	if len(rt.CacheQuery) > 0 {
		// The language links keep these parameters (kit.WithLinkParams);
		// never lang, which the links themselves set.
		params, inner := rt.CacheQuery, hnd
		hnd = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.RawQuery == "" {
				// No parameter to keep: the links need nothing, and the
				// copy of the request (~250 bytes) is saved.
				inner.ServeHTTP(w, r)
				return
			}
			inner.ServeHTTP(w, r.WithContext(kit.WithLinkParams(r.Context(), params)))
		})
	}
	if rt.LangQuery {
		hnd = h.queryLang(hnd)
	}
	return h.requireRole(rt.Access, hnd)
}

// checkCrossSite refuses a route that would accept cross-site requests
// unless it is a public POST outside /admin: letting a staff action or a
// public form through would undo the cross-origin protection for it.
func checkCrossSite(rt kit.Route) error {
	if rt.Access != kit.Public || !strings.HasPrefix(rt.Pattern, "POST /") || isAdminPattern(rt.Pattern) {
		return fmt.Errorf("web: route %q cannot accept cross-site requests (only a public POST outside /admin that carries its own authorization)", rt.Pattern)
	}
	return nil
}
