package maps

import (
	"net/http"
	"net/url"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// handler serves the map pages.
type handler struct{ *kit.Env }

// Routes is the map's part of the route table: public, read-only, cached
// until the content changes like the listings they mirror.
func Routes(env *kit.Env) []kit.Route {
	h := &handler{env}
	return []kit.Route{
		{Pattern: "GET /map", Access: kit.Public, Cached: true, CacheQuery: Params, Handler: h.mapShow},
		{Pattern: "GET " + PointsPath, Access: kit.Public, Cached: true, CacheQuery: Params, Handler: h.mapPoints},
	}
}

// PointsPath is the map data's address.
const PointsPath = "/map/points.json"

// Params are the listing's filters the map takes (the page cache keys on
// them). Status, sort and page are not among them: the map shows every
// open case at once; any other parameter is ignored.
var Params = []string{"q", "region", "sex", "age_min", "age_max", "since", "until"}

// MaxCases bounds one map: far more open cases than the province has had
// at once, while keeping a page and its JSON small enough for a phone.
// Past it the page says how many were left out and the filters narrow it.
const MaxCases = 1000

// query reads the map's filters with the listing's parser (the same
// messages for bad values), then fixes what the map does not offer: open
// cases only, the most recently seen first.
func query(r *http.Request) (store.CaseQuery, form.ListFilter, []string) {
	return queryIn(i18n.For(i18n.English), r)
}

// queryIn is query with the problems in lz's language (the page's; the
// JSON answers in English, like the API).
func queryIn(lz *i18n.Localizer, r *http.Request) (store.CaseQuery, form.ListFilter, []string) {
	src := r.URL.Query()
	vals := url.Values{}
	for _, k := range Params {
		if v, ok := src[k]; ok {
			vals[k] = v
		}
	}
	q, f, problems := form.ParseCaseQueryIn(lz, vals)
	q.Statuses = []store.Status{store.StatusMissing}
	q.Sort = store.SortRecent
	f.Status, f.Sort, f.Page = "missing", "", 1
	return q, f, problems
}

// encode is the filter as a query string for the map's own links (the
// JSON's address, "Clear"), with a leading "?" when not empty.
func encode(f form.ListFilter) string {
	if v := f.Values(); len(v) > 0 {
		return "?" + v.Encode()
	}
	return ""
}
