package maps

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/web/kit"
)

// point is one open case on the map. Latitude and longitude are the
// public point (rounded to about a kilometre by the store before the read
// model ever held them); the exact place is not in this package's reach.
type point struct {
	ID           int64   `json:"id"`
	URL          string  `json:"url"`
	FullName     string  `json:"full_name"`
	LastSeenDate string  `json:"last_seen_date"`
	Community    string  `json:"community"`
	Region       string  `json:"region"`
	Latitude     float64 `json:"latitude"`
	Longitude    float64 `json:"longitude"`
}

type pointList struct {
	Cases []point `json:"cases"`
	// Total is the number of open cases matching the filters, with or
	// without a place; Listed how many of them were considered
	// (MaxCases at most, the most recently seen), so a client can say
	// that some were left out.
	Total  int `json:"total"`
	Listed int `json:"listed"`
}

// mapPoints is GET /map/points.json: the open cases matching the filters
// that have a last-seen place, for map.js (and anyone: it is public data).
// As in the JSON API, a bad parameter is a 400 with the reasons.
func (h *handler) mapPoints(w http.ResponseWriter, r *http.Request) error {
	q, _, problems := query(r)
	if len(problems) > 0 {
		return kit.ErrBadRequest(strings.Join(problems, " "))
	}
	m, err := h.Cases(r.Context())
	if err != nil {
		return err
	}
	res := m.QueryAll(q, MaxCases)
	out := pointList{Cases: []point{}, Total: res.Total, Listed: len(res.Cases)}
	for i := range res.Cases {
		c := &res.Cases[i]
		if c.Latitude == nil || c.Longitude == nil {
			continue
		}
		out.Cases = append(out.Cases, point{
			ID: c.ID, URL: h.AbsURL("/cases/" + strconv.FormatInt(c.ID, 10)), FullName: c.FullName,
			LastSeenDate: c.LastSeenDate.Format(time.DateOnly), Community: c.Community, Region: c.Region,
			Latitude: *c.Latitude, Longitude: *c.Longitude,
		})
	}
	return h.WriteJSON(w, http.StatusOK, kit.CacheShort, out)
}
