package maps

import (
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// mapView is what map.html shows.
type mapView struct {
	Filter   form.ListFilter
	Problems []string
	// Total open cases match; Shown of them are listed (MaxCases at most),
	// Placed of those have a place on the map.
	Total, Shown, Placed int
	ShownText            string // Shown as the page's language writes numbers
	PlacedText           string // how many of them are on the map, in words
	Regions              []regionGroup
	PointsURL            string // the JSON for map.js, with the filters as applied
	ListURL              string // the same filters on the listing
	ApproxMetres         int
}

// regionGroup is one region's open cases, the no-JavaScript list.
type regionGroup struct {
	Name  string
	Slug  string // for the heading's id
	Cases []mapItem
}

type mapItem struct {
	URL, Name, Community, Place string
	SeenISO, SeenDate           string
	Placed                      bool
}

// mapShow is GET /map: the filters, the map (drawn by map.js from
// PointsURL) and, for everyone, the list of the same open cases by region
// with a link to each. Bad filter values are explained and ignored, as on
// the listing.
func (h *handler) mapShow(w http.ResponseWriter, r *http.Request) error {
	lz := kit.L(r)
	q, f, problems := queryIn(lz, r)
	m, err := h.Cases(r.Context())
	if err != nil {
		return err
	}
	res := m.QueryAll(q, MaxCases)
	v := mapView{
		Filter: f, Problems: problems, Total: res.Total, Shown: len(res.Cases), ShownText: lz.Number(len(res.Cases)),
		PointsURL: PointsPath + encode(f), ListURL: f.PageURL(1), ApproxMetres: geo.ApproxMetres,
	}
	byRegion := map[string][]mapItem{}
	for i := range res.Cases {
		c := &res.Cases[i]
		it := mapItem{
			URL: "/cases/" + strconv.FormatInt(c.ID, 10), Name: c.FullName, Community: c.Community,
			Place: c.LastSeenPlace, SeenISO: c.LastSeenDate.Format(time.DateOnly), SeenDate: lz.Date(c.LastSeenDate),
			Placed: c.Latitude != nil && c.Longitude != nil,
		}
		if it.Placed {
			v.Placed++
		}
		byRegion[c.Region] = append(byRegion[c.Region], it)
	}
	v.PlacedText = placedText(lz, v.Shown, v.Placed)
	// The regions in the province's usual order, then anything else (a
	// region no longer offered) so that no open case is left off.
	order := append([]string{}, store.Regions...)
	for name := range byRegion {
		if !contains(order, name) {
			order = append(order, name)
		}
	}
	for _, name := range order {
		if items := byRegion[name]; len(items) > 0 {
			v.Regions = append(v.Regions, regionGroup{Name: name, Slug: kit.Slug(name), Cases: items})
		}
	}

	p := h.Page(r, lz.T("Map of last-seen places"))
	p.Nav = "map"
	p.Description = lz.T("Where people missing in Newfoundland and Labrador were last seen, on a map and as a list by region. Places are shown to within about a kilometre.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/map")
	p.NoIndex = f.Filtered() || len(problems) > 0
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "map.html", p)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// placedText says how many of the shown cases have a place on the map.
func placedText(lz *i18n.Localizer, shown, placed int) string {
	switch {
	case shown == 0:
		return ""
	case placed == 0 && shown == 1:
		return lz.T("It has no last-seen place on the map yet.")
	case placed == 0:
		return lz.T("None of them has a last-seen place on the map yet.")
	case placed == shown && shown == 1:
		return lz.T("It has a last-seen place on the map.")
	case placed == shown:
		return lz.T("All of them have a last-seen place on the map.")
	}
	return lz.N("{n} of them has a last-seen place on the map.", "{n} of them have a last-seen place on the map.", placed)
}
