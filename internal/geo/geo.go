// Package geo owns the site's rules for places on a map: how precisely the
// public may see a last-seen location (Round, Public), the box a location
// typed by staff must fall in (Newfoundland and Labrador with a margin),
// and the tile server the maps load their pictures from (ParseTiles). It
// knows nothing of HTTP, templates or storage, so the store, the web layer
// and the configuration can all use it.
package geo

import "math"

// The public sees a last-seen location only as the centre of a grid cell
// of about a kilometre, never the point staff typed: a family's street or
// a person's likely shelter must not be found from a public page. The
// grid is 0.01° of latitude (1.11 km everywhere) by 0.015° of longitude
// (a degree of longitude shrinks with the cosine of the latitude: 0.015°
// is 1.13 km at St. John's, 47.5° N, 1.00 km at 53° N in central Labrador
// and 0.83 km at Nain, 56.5° N), so a public point is at most about 560 m
// north or south and 560 m east or west of the real one, and every point
// in a cell gives the same public point.
const (
	LatStep = 0.01
	LngStep = 0.015
	// ApproxMetres is the size of a cell, as the pages word it ("within
	// about 1 km") and the case page's circle draws it.
	ApproxMetres = 1000
)

// The box a last-seen location must be in: Newfoundland and Labrador
// (about 46.6–60.4° N, 52.6–67.8° W) with a generous margin (about 65 km
// north and south, 70 km west into Québec, 190 km east to sea, for a boat
// last seen off the Avalon), so a lost minus sign or swapped fields are
// caught while a place near the province is not refused.
const (
	MinLat, MaxLat = 46.0, 61.0
	MinLng, MaxLng = -69.0, -50.0
)

// Round is the public point of (lat, lng): the centre of its grid cell.
// The results are the nearest float64 to a whole number of hundredths
// (latitude) and of 3/200ths (longitude), so they print short ("47.56",
// "-52.71"), with nothing of the exact point in their digits.
func Round(lat, lng float64) (float64, float64) {
	return math.Round(lat*100) / 100, math.Round(lng*200/3) * 3 / 200
}

// Public returns the public form of an optional location: both rounded
// (Round), or both nil when either is missing or is not a real
// coordinate. The arguments are not changed; the results are new values.
func Public(lat, lng *float64) (*float64, *float64) {
	if lat == nil || lng == nil || !Valid(*lat, *lng) {
		return nil, nil
	}
	rl, rg := Round(*lat, *lng)
	return &rl, &rg
}

// Valid reports whether (lat, lng) is a coordinate on Earth at all.
func Valid(lat, lng float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180
}

// InNL reports whether (lat, lng) is inside the box above.
func InNL(lat, lng float64) bool {
	return Valid(lat, lng) && lat >= MinLat && lat <= MaxLat && lng >= MinLng && lng <= MaxLng
}
