// Package openstats serves the open statistics of the public record
// (issue 19): GET /stats, a page of server-drawn SVG bar charts, each with
// its data table beside it, and a CSV file per table. The numbers and the
// small-count rule are internal/stats'; the drawing is internal/svgchart's.
//
// What it keeps between requests: the report and its charts for one
// content revision (one store.CaseStats read per revision, however many
// pages and files are asked for); the page cache keeps the answers too,
// as for every cached public route. It must not change anything.
package openstats

import (
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// Path is the statistics page.
const Path = "/stats"

// Routes is this package's part of the route table: the page and one CSV
// per table, all cached with the content revision (they read no query
// parameter, so any the client adds is ignored, not an error).
func Routes(env *kit.Env) []kit.Route {
	h := &handler{Env: env, regions: store.Regions}
	routes := []kit.Route{{Pattern: "GET " + Path, Access: kit.Public, Cached: true, Handler: h.page}}
	for _, name := range tableNames {
		routes = append(routes, kit.Route{Pattern: "GET " + csvPath(name), Access: kit.Public, Cached: true, Handler: h.csvFile(name)})
	}
	return routes
}

// tableNames are the stats.Table names, each with a CSV file.
var tableNames = []string{"regions", "years", "status"}

func csvPath(name string) string { return Path + "/" + name + ".csv" }
