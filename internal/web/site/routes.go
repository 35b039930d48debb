package site

import (
	"net/http"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// handler serves the public pages and the public form actions.
type handler struct {
	*kit.Env
	retention Retention // stated on the privacy page
	// The poster and share-picture renderers parse the embedded fonts
	// once, on first use, so starting the server costs nothing for them.
}

// Routes is the public site's part of the route table.
func Routes(env *kit.Env, retention Retention) []kit.Route {
	h := &handler{Env: env, retention: retention}
	return []kit.Route{
		{Pattern: "GET /{$}", Access: kit.Public, Cached: true, Handler: h.home},
		{Pattern: "GET /cases", Access: kit.Public, Cached: true, CacheQuery: form.ListingParams, Handler: h.caseList},
		{Pattern: "GET /cases/{id}", Access: kit.Public, Cached: true, CacheQuery: CaseParams, Handler: h.caseShow},
		{Pattern: "GET /cases/{id}/photos/{n}", Access: kit.Public, Cached: true, Handler: h.casePhoto},
		{Pattern: "POST /cases/{id}/tips", Access: kit.Public, Limited: true, Handler: h.tipSave},
		{Pattern: "POST /cases/{id}/notes", Access: kit.Public, Limited: true, Handler: h.noteSave},
		{Pattern: "GET /submit", Access: kit.Public, Handler: h.reportForm},
		{Pattern: "POST /submit", Access: kit.Public, Limited: true, Handler: h.reportSave},
		{Pattern: "GET /submit/thanks", Access: kit.Public, Handler: h.reportDone},
		// A photo held for a report form, for the holder of its token only
		// (report_photos.go); never cached.
		{Pattern: "GET /submit/photos/{token}/{id}", Access: kit.Public, Handler: h.reportPhotoShow},
		{Pattern: "GET /report/{token}", Access: kit.Public, Handler: h.reportLinkShow},
		{Pattern: "POST /report/{token}/add", Access: kit.Public, Limited: true, Handler: h.reportAdd},
		{Pattern: "POST /report/{token}/withdraw", Access: kit.Public, Limited: true, Handler: h.reportWithdraw},
		{Pattern: "GET /resources", Access: kit.Public, Cached: true, Handler: h.resources},
		// Machine-readable copies of the open cases (feed_*.go, sitemap.go,
		// pfif_*.go): they change only with the content revision.
		{Pattern: "GET /contact", Access: kit.Public, Handler: h.contactForm},
		{Pattern: "POST /contact", Access: kit.Public, Limited: true, Handler: h.contactSave},
		{Pattern: "GET /contact/thanks", Access: kit.Public, Handler: h.contactDone},
		{Pattern: "GET /about", Access: kit.Public, Handler: h.about},
		{Pattern: "GET /privacy", Access: kit.Public, Handler: h.privacy},
		{Pattern: "GET /media/{name}", Access: kit.Public, Handler: h.mediaShow},
		{Pattern: "GET /static/{name...}", Access: kit.Public, Handler: h.StaticFile}, // vendor/… too
		{Pattern: "GET /favicon.ico", Access: kit.Public, Handler: h.Favicon},
		{Pattern: "GET /robots.txt", Access: kit.Public, Handler: h.Robots},
	}
}

// CaseParams: the query parameters the case page reads (its tip=sent and
// note=sent notices); TestCachedRoutesParams checks them against the handler.
var CaseParams = []string{"tip", "note"}

// formRejected reports a refused form submission to the metrics hook.
func (h *handler) formRejected(form, reason string) {
	if h.OnFormRejected != nil {
		h.OnFormRejected(form, reason)
	}
}

// honeypotHit answers a form whose hidden field a bot filled in: it is
// let believe it worked (the same redirect as a real post), and nothing
// is kept.
func (h *handler) honeypotHit(w http.ResponseWriter, r *http.Request, kind, done string) error {
	h.formRejected(kind, "honeypot")
	http.Redirect(w, r, done, http.StatusSeeOther)
	return nil
}
