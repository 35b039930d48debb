package kit

import (
	"math"
	"strconv"
	"strings"

	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// PlaceMap is the small map of one case's last-seen place
// (templates/_map.html "place-map"): the public point only, and the same
// in words for those who cannot see the map.
type PlaceMap struct {
	Lat, Lng string // the public point, as map.js reads it
	Radius   int    // metres: the circle drawn around it
	Text     string // the point in words, with how precise it is
	Label    string // the map's accessible name
}

// NewPlaceMap is the map of c's last-seen place in lz's language, or nil
// when it has none. It rounds the point itself (geo.Public), so even a
// caller that passed the stored case could not show the exact place.
// region is the case's region as the page names it (translated).
func NewPlaceMap(lz *i18n.Localizer, c *store.Case, region string) *PlaceMap {
	lat, lng := geo.Public(c.Latitude, c.Longitude)
	if lat == nil {
		return nil
	}
	near := c.Community
	if near == "" {
		near = region
	}
	return &PlaceMap{
		Lat: strconv.FormatFloat(*lat, 'f', -1, 64), Lng: strconv.FormatFloat(*lng, 'f', -1, 64),
		Radius: geo.ApproxMetres,
		Text: lz.T("Within about 1 km of {point}, in or near {place}. The exact place is not published.",
			"point", DegreesText(lz, *lat, *lng), "place", near),
		Label: lz.T("Map of the area within about 1 km of where {name} was last seen", "name", c.FullName),
	}
}

// DegreesText writes a point as people read it: "48.95° N, 54.615° W" in
// English, "48,95° N, 54,615° O" in French (decimal comma, O for ouest).
func DegreesText(lz *i18n.Localizer, lat, lng float64) string {
	ns, ew := lz.TC("compass point", "N"), lz.TC("compass point", "E")
	if lat < 0 {
		ns = lz.TC("compass point", "S")
	}
	if lng < 0 {
		ew = lz.TC("compass point", "W")
	}
	return degrees(lz, math.Abs(lat)) + "° " + ns + ", " + degrees(lz, math.Abs(lng)) + "° " + ew
}

// degrees is v with as many decimals as it has, in the language's way.
func degrees(lz *i18n.Localizer, v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if lz.Lang() == i18n.French {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
