package api

import (
	"slices"

	"lostinnl/internal/openapi"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// handler serves the read-only JSON API (DESIGN.md §3).
type handler struct{ *kit.Env }

// Routes is the API's part of the route table: public, read-only, and
// cached like the pages they mirror.
func Routes(env *kit.Env) []kit.Route {
	h := &handler{env}
	return []kit.Route{
		// lang=en|fr chooses the language of messages, labels and page
		// links (kit.Route.LangQuery); the data stays as entered.
		{Pattern: "GET /api/v1/cases", Access: kit.Public, Cached: true, CacheQuery: ListingParams, LangQuery: true, Handler: h.apiCaseList},
		{Pattern: "GET /api/v1/cases/{id}", Access: kit.Public, Cached: true, LangQuery: true, Handler: h.apiCaseShow},
		{Pattern: "GET " + openapi.Path, Access: kit.Public, Cached: true, Handler: h.apiDocument},
	}
}

// ListingParams: the listing's query parameters, with per_page
// (cases.go); the page cache keys the API listing on them.
var ListingParams = append(slices.Clone(form.ListingParams), "per_page")
