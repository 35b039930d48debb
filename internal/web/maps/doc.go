// Package maps serves the map of last-seen places (issue 19): GET /map, a
// page of the open cases with the listing's filters, shown as a list by
// region that works without JavaScript and that map.js turns into a map,
// and GET /map/points.json, the same cases' public points for it.
//
// Every point it shows comes from the read model, which holds only the
// rounded public point (store.PublicCases, internal/geo): this package
// never sees an exact location. The small map on a case page is the site
// package's (case_show.go); the markup and script of both are shared
// (templates/_map.html, static/map.js).
package maps
