package kit

// Access is the role rule of a route, enforced by requireRole around each
// route (never inside handlers).
type Access int

const (
	// Public: anyone, no session needed.
	Public Access = iota
	// Staff: any signed-in user (moderator or admin).
	Staff
	// AdminOnly: signed-in users with the admin role.
	AdminOnly
)

// Route is one line of the route table.
type Route struct {
	Pattern string // ServeMux pattern: "METHOD /path/{var}"
	Access  Access
	// Limited routes are public form posts guarded by the per-IP rate limit.
	Limited bool
	// Cached public pages may be answered from the page cache
	// (internal/pagecache, keyed by cacheKey in internal/web/pagecache.go); only their
	// public 200 answers are kept, and only for URLs whose query parameters
	// are all in cacheQuery.
	Cached     bool
	CacheQuery []string
	// Purges: a write whose success may change what public pages show.
	// After the handler succeeds, this instance's page cache is dropped if
	// the content revision moved (the store bumps it in the same
	// transaction as such a write), so the moderator sees the change at
	// once; other instances see it through their revision watcher.
	Purges bool
	// CrossSite routes accept unsafe requests from other sites: the
	// cross-origin protection lets them through. Only for a public POST
	// whose request carries its own authorization (the RFC 8058 one-click
	// unsubscribe, sent by mail providers with a signed token); web refuses
	// to start with any other.
	CrossSite bool
	// LangQuery routes are files and data with no /fr path (the API,
	// feeds, posters, share pictures): their language comes from a lang
	// query parameter, "en" or "fr" (web/querylang.go); anything else is
	// a 400. The page cache keys them on it.
	LangQuery bool
	Handler   HandlerFunc
}
