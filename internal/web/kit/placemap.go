package kit

import (
	"math"
	"strconv"

	"lostinnl/internal/geo"
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

// NewPlaceMap is the map of c's last-seen place, or nil when it has none.
// It rounds the point itself (geo.Public), so even a caller that passed
// the stored case could not show the exact place.
func NewPlaceMap(c *store.Case) *PlaceMap {
	lat, lng := geo.Public(c.Latitude, c.Longitude)
	if lat == nil {
		return nil
	}
	near := c.Community
	if near == "" {
		near = c.Region
	}
	where := DegreesText(*lat, *lng)
	return &PlaceMap{
		Lat: strconv.FormatFloat(*lat, 'f', -1, 64), Lng: strconv.FormatFloat(*lng, 'f', -1, 64),
		Radius: geo.ApproxMetres,
		Text:   "Within about 1 km of " + where + ", in or near " + near + ". The exact place is not published.",
		Label:  "Map of the area within about 1 km of where " + c.FullName + " was last seen",
	}
}

// DegreesText writes a point as people read it: "48.95° N, 54.615° W".
func DegreesText(lat, lng float64) string {
	ns, ew := "N", "E"
	if lat < 0 {
		ns = "S"
	}
	if lng < 0 {
		ew = "W"
	}
	return strconv.FormatFloat(math.Abs(lat), 'f', -1, 64) + "° " + ns + ", " +
		strconv.FormatFloat(math.Abs(lng), 'f', -1, 64) + "° " + ew
}
