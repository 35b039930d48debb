// Package spread serves what carries an appeal beyond our pages: the
// printable poster and the link-preview picture of an open case, the Atom
// feeds, the sitemap and the PFIF 1.4 export for partner systems. Each
// answers only for open cases and withdraws a case the moment it closes
// (410 for its own URLs, gone from every list), so copies disappear as fast
// as they spread. For staff, a closed case's takedown page lists where
// its copies were withdrawn, with a ready removal request for other sites.
//
// It owns the HTTP side only: the documents themselves are made by
// internal/poster, internal/shareimg, internal/feed, internal/sitemap and
// internal/pfif. It must not change a case or keep anything between
// requests of its own: caching is the page cache's (every route here is
// declared cached and dropped with the content revision).
package spread

import (
	"sync"

	"lostinnl/internal/feed"
	"lostinnl/internal/pfif"
	"lostinnl/internal/poster"
	"lostinnl/internal/shareimg"
	"lostinnl/internal/sitemap"
	"lostinnl/internal/web/kit"
)

// handler holds what the actions need: the shared environment, the public
// period of a located case (the PFIF expiry date), and the renderers, made
// on first use so a site nobody asks for posters never loads their fonts.
type handler struct {
	*kit.Env
	locatedPublicDays int
	posters           func() (*poster.Renderer, error)
	shares            func() (*shareimg.Renderer, error)
}

// Routes is this package's part of the route table. locatedPublicDays is
// LOSTINNL_LOCATED_PUBLIC_DAYS: how long a located case stays public.
func Routes(env *kit.Env, locatedPublicDays int) []kit.Route {
	h := &handler{Env: env, locatedPublicDays: locatedPublicDays,
		posters: sync.OnceValues(poster.New), shares: sync.OnceValues(shareimg.New)}
	return []kit.Route{
		// Where a closed case's copies were withdrawn, with a ready
		// removal request for other sites (staff only).
		{Pattern: "GET /admin/cases/{id}/takedown", Access: kit.Staff, Handler: h.adminCaseTakedown},
		// Files have no /fr path: lang=fr asks for the French poster,
		// picture or feed (kit.Route.LangQuery; AppealFileURL).
		{Pattern: "GET /cases/{id}/poster.pdf", Access: kit.Public, Cached: true, CacheQuery: PosterParams, LangQuery: true, Handler: h.casePoster},
		{Pattern: "GET /cases/{id}/share.jpg", Access: kit.Public, Cached: true, LangQuery: true, Handler: h.caseShare},
		{Pattern: "GET " + feed.AllPath, Access: kit.Public, Cached: true, LangQuery: true, Handler: h.feedAll},
		{Pattern: "GET /feeds/regions/{region}", Access: kit.Public, Cached: true, LangQuery: true, Handler: h.feedRegion},
		{Pattern: "GET /feeds/cases/{id}", Access: kit.Public, Cached: true, LangQuery: true, Handler: h.feedCase},
		{Pattern: "GET " + sitemap.Path, Access: kit.Public, Cached: true, Handler: h.sitemapIndex},
		{Pattern: "GET " + sitemapPartsPath + "{file}", Access: kit.Public, Cached: true, Handler: h.sitemapPart},
		{Pattern: "GET " + pfif.PersonsPath, Access: kit.Public, Cached: true, Handler: h.pfifPersons},
		{Pattern: "GET /pfif/1.4/persons/{file}", Access: kit.Public, Cached: true, Handler: h.pfifCase},
	}
}
