package web

import (
	"net/http"
	"slices"
)

// routes is THE route table: every URL the site answers, with its role rule.
// The admin area adds its lines here (access staff or adminOnly) with its
// handlers in admin_*.go.
func (h *handler) routes() []route {
	return append([]route{
		{pattern: "GET /{$}", access: public, cached: true, h: h.home},
		{pattern: "GET /cases", access: public, cached: true, cacheQuery: listingParams, h: h.caseList},
		{pattern: "GET /cases/{id}", access: public, cached: true, cacheQuery: caseParams, h: h.caseShow},
		{pattern: "GET /cases/{id}/photos/{n}", access: public, cached: true, h: h.casePhoto},
		{pattern: "POST /cases/{id}/tips", access: public, limited: true, h: h.tipSave},
		{pattern: "GET /submit", access: public, h: h.reportForm},
		{pattern: "POST /submit", access: public, limited: true, h: h.reportSave},
		{pattern: "GET /submit/thanks", access: public, h: h.reportDone},
		// A photo held for a report form, for the holder of its token only
		// (report_photos.go); never cached.
		{pattern: "GET /submit/photos/{token}/{id}", access: public, h: h.reportPhotoShow},
		{pattern: "GET /report/{token}", access: public, h: h.reportLinkShow},
		{pattern: "POST /report/{token}/add", access: public, limited: true, h: h.reportAdd},
		{pattern: "POST /report/{token}/withdraw", access: public, limited: true, h: h.reportWithdraw},
		{pattern: "GET /resources", access: public, cached: true, h: h.resources},
		{pattern: "GET /contact", access: public, h: h.contactForm},
		{pattern: "POST /contact", access: public, limited: true, h: h.contactSave},
		{pattern: "GET /contact/thanks", access: public, h: h.contactDone},
		{pattern: "GET /about", access: public, h: h.about},
		{pattern: "GET /privacy", access: public, h: h.privacy},
		{pattern: "GET /media/{name}", access: public, h: h.mediaShow},
		{pattern: "GET /static/{name}", access: public, h: h.staticFile},
		{pattern: "GET /favicon.ico", access: public, h: h.favicon},
		{pattern: "GET /robots.txt", access: public, h: h.robots},

		{pattern: "GET /api/v1/cases", access: public, cached: true, cacheQuery: apiListingParams, h: h.apiCaseList},
		{pattern: "GET /api/v1/cases/{id}", access: public, cached: true, h: h.apiCaseShow},
	}, h.adminRoutes()...)
}

// routeHandler applies the per-route slots: role rule, then rate limit or
// page cache, then the error-returning handler wrapped into an http.Handler.
func (h *handler) routeHandler(rt route) http.Handler {
	fn := rt.h
	if rt.purges {
		fn = h.purgesAfter(fn)
	}
	if rt.cached {
		fn = h.cached(fn, rt.cacheQuery...)
	}
	if rt.limited {
		fn = h.rateLimited(fn)
	}
	return h.requireRole(rt.access, h.wrap(fn))
}

// The query parameters that cached pages read (TestCachedRoutesParams
// checks them against the handlers): the listings' (case_query.go), with
// per_page for the API (api_cases.go); the case page's tip=sent notice.
var (
	caseParams       = []string{"tip"}
	listingParams    = []string{"q", "status", "region", "sex", "age_min", "age_max", "since", "until", "sort", "page"}
	apiListingParams = append(slices.Clone(listingParams), "per_page")
)
