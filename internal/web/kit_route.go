package web

// access is the role rule of a route, enforced by requireRole around each
// route (never inside handlers).
type access int

const (
	// public: anyone, no session needed.
	public access = iota
	// staff: any signed-in user (moderator or admin).
	staff
	// adminOnly: signed-in users with the admin role.
	adminOnly
)

// route is one line of the route table.
type route struct {
	pattern string // ServeMux pattern: "METHOD /path/{var}"
	access  access
	// limited routes are public form posts guarded by the per-IP rate limit.
	limited bool
	// cached public pages may be answered from the page cache
	// (internal/pagecache, keyed by cacheKey in pagecache.go); only their
	// public 200 answers are kept, and only for URLs whose query parameters
	// are all in cacheQuery.
	cached     bool
	cacheQuery []string
	// purges: a write whose success may change what public pages show.
	// After the handler succeeds, this instance's page cache is dropped if
	// the content revision moved (the store bumps it in the same
	// transaction as such a write), so the moderator sees the change at
	// once; other instances see it through their revision watcher.
	purges bool
	h      handlerFunc
}
