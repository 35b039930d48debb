package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// The exact place staff typed for the test case (near Gander), and what
// the public may see of it: the centre of its ~1 km cell (internal/geo).
const (
	exactLat, exactLng   = 48.953117, -54.608421
	publicLat, publicLng = "48.95", "-54.615"
)

// exactDigits are pieces of the exact coordinates that the rounded ones do
// not contain: none may appear in any public answer.
var exactDigits = []string{"48.953", "48.9531", "953117", "54.608", "54.6084", "608421"}

func withPlace(lat, lng float64) func(*store.Case) {
	return func(c *store.Case) { c.Latitude, c.Longitude = &lat, &lng }
}

// publicGETs lists every public GET route of the table with its path
// parameters filled for case id, so a new public route is checked without
// anyone remembering to add it here.
func publicGETs(t *testing.T, s *testSite, id int64) []string {
	t.Helper()
	fill := strings.NewReplacer("{id}", strconv.FormatInt(id, 10), "{file}", strconv.FormatInt(id, 10)+".xml",
		"{region}", "central", "{n}", "1", "{$}", "")
	var out []string
	for _, rt := range s.web.routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if rt.Access != 0 || method != "GET" {
			continue // kit.Public is 0; staff pages are not public
		}
		path = fill.Replace(path)
		if strings.Contains(path, "{") {
			continue // tokens, static and media names: nothing of a case's place
		}
		out = append(out, path)
	}
	if len(out) < 20 {
		t.Fatalf("only %d public GET routes found: %v", len(out), out)
	}
	return out
}

// TestMapPublicNeverShowsExactPlace: the exact coordinates of a case are
// in no public answer (HTML, JSON, feeds, PFIF, sitemap, API, poster…),
// and the rounded point is where a map needs it.
func TestMapPublicNeverShowsExactPlace(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		withPlace(exactLat, exactLng)(c)
		c.FullName, c.Community, c.Region = "Gwendolyn Gander", "Gander", "Central"
	})
	located := s.addCase(store.StatusLocated, withPlace(47.561537, -52.712611))

	for _, p := range append(publicGETs(t, s, id), publicGETs(t, s, located)...) {
		for _, q := range []string{"", "?region=Central", "?q=Gwendolyn"} {
			rec := s.get(p + q)
			if rec.Code >= 500 {
				t.Errorf("GET %s%s: %d", p, q, rec.Code)
			}
			body := rec.Body.String()
			for _, bad := range append(exactDigits, "47.5615", "52.7126", "561537", "712611") {
				if strings.Contains(body, bad) {
					t.Errorf("GET %s%s (%d) contains %q, part of an exact location", p, q, rec.Code, bad)
				}
			}
		}
	}

	// The rounded point is there, where the maps and the API need it.
	page := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustContain(t, page, `data-lat="`+publicLat+`"`, `data-lng="`+publicLng+`"`, "48.95° N, 54.615° W",
		"Within about 1 km", `data-map="place"`, "/static/map.", "/static/vendor/leaflet/leaflet.")
	var api struct{ Latitude, Longitude *float64 }
	if err := json.Unmarshal(s.get(fmt.Sprintf("/api/v1/cases/%d", id)).Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	if api.Latitude == nil || *api.Latitude != 48.95 || *api.Longitude != -54.615 {
		t.Errorf("API point %v,%v, want the rounded one", api.Latitude, api.Longitude)
	}
	pts := mapPoints(t, s, "")
	if len(pts.Cases) != 1 || pts.Cases[0].Latitude != 48.95 || pts.Cases[0].Longitude != -54.615 || pts.Cases[0].ID != id {
		t.Errorf("points.json = %+v", pts)
	}
	// The located case is on no map and its API answer has no place.
	mustNotContain(t, s.get(fmt.Sprintf("/cases/%d", located)).Body.String(), `data-map=`)
	mustNotContain(t, s.get("/map").Body.String(), fmt.Sprintf("/cases/%d\"", located))
	if err := json.Unmarshal(s.get(fmt.Sprintf("/api/v1/cases/%d", located)).Body.Bytes(), &api); err != nil {
		t.Fatal(err)
	}
	if api.Latitude != nil || api.Longitude != nil {
		t.Error("a located case's API answer still gives a place")
	}
}

type pointsJSON struct {
	Cases []struct {
		ID                  int64
		URL                 string
		FullName            string `json:"full_name"`
		Region              string
		Latitude, Longitude float64
	}
	Total, Listed int
}

func mapPoints(t *testing.T, s *testSite, query string) pointsJSON {
	t.Helper()
	rec := s.get("/map/points.json" + query)
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("points.json Content-Type %q", ct)
	}
	var out pointsJSON
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("points.json: %v: %s", err, rec.Body.String())
	}
	return out
}

// TestMapPageListsByRegionAndFilters: /map lists the open cases by region
// (the page without JavaScript), with the listing's filters, and its data
// follows the same filters.
func TestMapPageListsByRegionAndFilters(t *testing.T) {
	s := newSite(t)
	day := func(d int) func(*store.Case) {
		return func(c *store.Case) { c.LastSeenDate = time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	}
	both := func(fs ...func(*store.Case)) func(*store.Case) {
		return func(c *store.Case) {
			for _, f := range fs {
				f(c)
			}
		}
	}
	gander := s.addCase(store.StatusMissing, both(withPlace(48.95, -54.61), day(10), func(c *store.Case) {
		c.FullName, c.Community, c.Region, c.Sex = "Gwendolyn Gander", "Gander", "Central", "female"
	}))
	avalon := s.addCase(store.StatusMissing, both(withPlace(47.56, -52.71), day(18), func(c *store.Case) {
		c.FullName, c.Sex = "Alistair Avalon", "male"
		age := 70
		c.Age = &age
	}))
	noPlace := s.addCase(store.StatusMissing, both(day(15), func(c *store.Case) {
		c.FullName, c.Community, c.Region = "Lorna Labrador", "Nain", "Labrador"
	}))
	s.addCase(store.StatusLocated, both(withPlace(48.0, -53.0), func(c *store.Case) { c.FullName = "Found Person" }))
	s.addCase(store.StatusPending, both(withPlace(48.1, -53.1), func(c *store.Case) { c.FullName = "Pending Person" }))

	rec := s.get("/map")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, "<h1>Map of last-seen places</h1>", `id="by-region-title"`,
		`<h3 id="region-avalon">Avalon`, `<h3 id="region-central">Central`, `<h3 id="region-labrador">Labrador`,
		fmt.Sprintf(`href="/cases/%d">Gwendolyn Gander</a>`, gander), fmt.Sprintf(`href="/cases/%d">Alistair Avalon</a>`, avalon),
		fmt.Sprintf(`href="/cases/%d">Lorna Labrador</a>`, noPlace), "(no place on the map)",
		"3 open cases found", "2 of them have a last-seen place on the map",
		`data-map="cases"`, `data-points="/map/points.json"`, `data-tiles="https://tile.openstreetmap.org/{z}/{x}/{y}.png"`,
		`data-attribution="© OpenStreetMap contributors"`, `data-attribution-url="https://www.openstreetmap.org/copyright"`,
		`href="/map" aria-current="page">Map</a>`, `<link rel="canonical" href="https://missing.example.ca/map">`)
	mustNotContain(t, body, "Found Person", "Pending Person", "<script>", " style=")
	// Avalon comes before Central, as the province lists its regions.
	if strings.Index(body, "region-avalon") > strings.Index(body, "region-central") {
		t.Error("regions out of order")
	}
	pts := mapPoints(t, s, "")
	if len(pts.Cases) != 2 || pts.Total != 3 || pts.Listed != 3 {
		t.Errorf("points: %+v", pts)
	}
	for _, c := range pts.Cases {
		if !strings.HasPrefix(c.URL, "https://missing.example.ca/cases/") {
			t.Errorf("point URL %q", c.URL)
		}
	}

	for _, tc := range []struct {
		query      string
		want, not  []string
		wantPoints int
	}{
		{"?region=central", []string{"Gwendolyn Gander"}, []string{"Alistair Avalon", "Lorna Labrador"}, 1},
		{"?sex=male", []string{"Alistair Avalon"}, []string{"Gwendolyn Gander"}, 1},
		{"?age_min=60&age_max=80", []string{"Alistair Avalon"}, []string{"Gwendolyn Gander"}, 1},
		{"?since=2026-11-12&until=2026-11-16", []string{"Lorna Labrador"}, []string{"Gwendolyn Gander", "Alistair Avalon"}, 0},
		{"?q=Gander", []string{"Gwendolyn Gander"}, []string{"Alistair Avalon"}, 1},
		// The map is of open cases: status, sort and page do not apply.
		{"?status=located&sort=name&page=9", []string{"Gwendolyn Gander", "Alistair Avalon"}, []string{"Found Person"}, 2},
	} {
		rec := s.get("/map" + tc.query)
		wantStatus(t, rec, http.StatusOK)
		b := rec.Body.String()
		mustContain(t, b, tc.want...)
		mustNotContain(t, b, tc.not...)
		if tc.query != "" && !strings.Contains(tc.query, "status") {
			mustContain(t, b, `<meta name="robots" content="noindex">`)
		}
		if got := len(mapPoints(t, s, tc.query).Cases); got != tc.wantPoints {
			t.Errorf("points%s: %d cases, want %d", tc.query, got, tc.wantPoints)
		}
	}
	// The filters as applied are what the page asks the JSON for.
	mustContain(t, s.get("/map?region=central&sex=").Body.String(), `data-points="/map/points.json?region=Central"`, `<option value="Central" selected>`)
	mustContain(t, s.get("/map?region=Western").Body.String(), "No open case matches these filters.")
}

// TestMapHostileParams: bad filter values on /map are explained and
// ignored (200), the JSON refuses them (400, JSON); nothing is a 5xx and
// nothing typed is echoed unescaped.
func TestMapHostileParams(t *testing.T) {
	s := newSite(t)
	s.addCase(store.StatusMissing, withPlace(47.56, -52.71))
	long := strings.Repeat("ä", 5000)
	for _, raw := range []string{
		"region=%3Cscript%3Ealert(1)%3C/script%3E", "sex=%00", "age_min=-5", "age_min=1e9", "age_max=abc",
		"age_min=80&age_max=20", "since=2026-13-45", "since=2026-12-01&until=2026-01-01", "until=0001-01-01",
		"q=%ff%fe", "q=" + long, "q=%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E", "region=Avalon&region=Central",
		"q=***", "q=%20", "since=" + strings.Repeat("9", 500), "region[]=x", "%zz=1", "q=%", "sex=male%0d%0aX-Evil:%201",
	} {
		rec := s.get("/map?" + raw)
		if rec.Code >= 500 || (rec.Code != http.StatusOK && rec.Code != http.StatusBadRequest) {
			t.Errorf("/map?%.60s: status %d", raw, rec.Code)
		}
		mustNotContain(t, rec.Body.String(), "<script>alert", "<img src=x", "X-Evil: 1")
		pts := s.get("/map/points.json?" + raw)
		if pts.Code >= 500 {
			t.Errorf("points.json?%.60s: status %d", raw, pts.Code)
		}
		if !strings.HasPrefix(pts.Header().Get("Content-Type"), "application/json") {
			t.Errorf("points.json?%.60s: Content-Type %q", raw, pts.Header().Get("Content-Type"))
		}
		if pts.Code == http.StatusBadRequest {
			var e struct{ Error string }
			if err := json.Unmarshal(pts.Body.Bytes(), &e); err != nil || e.Error == "" {
				t.Errorf("points.json?%.60s: 400 without a JSON error: %s", raw, pts.Body.String())
			}
		}
	}
	rec := s.get("/map?age_min=abc&region=Mars")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Some filters could not be used", "Minimum age must be a whole number", "Region must be one of")
	rec = s.get("/map/points.json?age_min=abc")
	wantStatus(t, rec, http.StatusBadRequest)
	mustContain(t, rec.Body.String(), `"error":"Minimum age must be a whole number`)
	// Only GET (and HEAD) is answered.
	req, _ := http.NewRequest(http.MethodPost, "/map", strings.NewReader(""))
	if rec := s.do(req); rec.Code != http.StatusMethodNotAllowed && rec.Code != http.StatusForbidden {
		t.Errorf("POST /map: %d", rec.Code)
	}
}

// TestMapTilesConfig: the tile template reaches the maps, its origin (and
// no other new one) the CSP's img-src; a bad one stops the site.
func TestMapTilesConfig(t *testing.T) {
	s := newSite(t)
	csp := s.get("/map").Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' https://tile.openstreetmap.org;") {
		t.Errorf("default CSP img-src: %q", csp)
	}
	const custom = "https://tiles.example.ca:8443/osm/{z}/{x}/{y}{r}.png?key=k1"
	s = newSite(t, func(d *Deps) { d.MapTiles = custom })
	s.addCase(store.StatusMissing, withPlace(47.56, -52.71))
	rec := s.get("/cases/1")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `data-tiles="`+strings.ReplaceAll(custom, "&", "&amp;")+`"`)
	csp = rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' https://tiles.example.ca:8443;") || strings.Contains(csp, "openstreetmap") {
		t.Errorf("custom tiles CSP: %q", csp)
	}
	// Every page carries the same policy (one policy for the site).
	if got := s.get("/about").Header().Get("Content-Security-Policy"); got != csp {
		t.Errorf("/about CSP %q differs from /cases/1 %q", got, csp)
	}
	for _, bad := range []string{"http://tiles.example.ca/{z}/{x}/{y}.png", "https://t.example/{z}/{x}.png",
		"https://t.example/{z}/{x}/{y}.png; script-src *", "https://{s}.t.example/{z}/{x}/{y}.png"} {
		d := withMail(t, Deps{Store: s.st, Admin: s.web.deps.Admin, MapTiles: bad})
		if _, _, err := newHandler(d); err == nil || !strings.Contains(err.Error(), "map tiles") {
			t.Errorf("MapTiles %q: err %v", bad, err)
		}
	}
}

// TestCasePlaceMap: the small map shows on an open case with a place
// only; the sitemap and the navigation name /map.
func TestCasePlaceMap(t *testing.T) {
	s := newSite(t)
	placed := s.addCase(store.StatusMissing, withPlace(47.5696, -52.6817))
	plain := s.addCase(store.StatusMissing, nil)
	located := s.addCase(store.StatusLocated, withPlace(47.5696, -52.6817))
	body := s.get(fmt.Sprintf("/cases/%d", placed)).Body.String()
	mustContain(t, body, `<h2 id="place-map-title">Where last seen</h2>`, `hidden data-map="place"`, `data-radius="1000"`,
		`role="region" aria-label="Map of the area within about 1 km of where Wanda Testcase was last seen"`,
		"Within about 1 km of 47.57° N, 52.68° W, in or near St. John&#39;s. The exact place is not published.")
	mustNotContain(t, body, "47.5696", "52.6817")
	for _, id := range []int64{plain, located} {
		b := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
		mustNotContain(t, b, "data-map=", "place-map-title", "vendor/leaflet")
	}
	mustContain(t, s.get("/sitemap.xml").Body.String(), "<loc>https://missing.example.ca/map</loc>")
	mustContain(t, s.get("/").Body.String(), `<a href="/map">Map</a>`)
	// The vendored files are served under hashed names, like every asset.
	for _, name := range []string{"vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css", "vendor/leaflet/images/marker-icon.png", "map.js", "map.css"} {
		u := s.web.Assets.URL(name)
		if !strings.Contains(u, ".") || u == "/static/"+name {
			t.Errorf("%s has no hashed URL: %s", name, u)
			continue
		}
		rec := s.get(u)
		wantStatus(t, rec, http.StatusOK)
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s: Cache-Control %q", u, cc)
		}
	}
	wantStatus(t, s.get("/static/vendor/leaflet/leaflet.js"), http.StatusNotFound)
}

// TestAdminCaseCoordinates: the admin form refuses hostile coordinates
// with a clear message and keeps what was typed; a good place is saved
// exactly, audited, and shown to staff with the picker.
func TestAdminCaseCoordinates(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/admin/cases/%d", id)
	for _, tc := range []struct{ lat, lng, field, msg string }{
		{"NaN", "-52.7", "latitude", "as a decimal number"},
		{"nan", "-52.7", "latitude", "as a decimal number"},
		{"Inf", "-52.7", "latitude", "as a decimal number"},
		{"47.5", "-Infinity", "longitude", "as a decimal number"},
		{"1e400", "-52.7", "latitude", "as a decimal number"},
		{"abc", "-52.7", "latitude", "as a decimal number"},
		{"47,56", "-52.7", "latitude", "as a decimal number"},
		{"<script>alert(1)</script>", "-52.7", "latitude", "20 characters or fewer"},
		{"<b>1</b>", "-52.7", "latitude", "as a decimal number"},
		{"147", "-52.7", "latitude", "outside Newfoundland and Labrador"},
		{"-47.56", "-52.7", "latitude", "outside Newfoundland and Labrador"},
		{"47.56", "52.71", "longitude", "outside Newfoundland and Labrador"}, // sign lost
		{"-52.71", "47.56", "latitude", "outside Newfoundland and Labrador"}, // swapped
		{"52.37", "4.90", "longitude", "outside Newfoundland and Labrador"},  // Amsterdam
		{"47.56", "", "latitude", "Give both latitude and longitude"},
		{"", "-52.71", "latitude", "Give both latitude and longitude"},
		{"47.5" + strings.Repeat("1", 40), "-52.7", "latitude", ""},
	} {
		vals := caseValues()
		vals.Set("police_verified", "yes")
		vals.Set("latitude", tc.lat)
		vals.Set("longitude", tc.lng)
		rec := mod.post(path, vals)
		wantStatus(t, rec, http.StatusUnprocessableEntity)
		b := rec.Body.String()
		mustContain(t, b, `id="error-summary"`, `id="f-`+tc.field+`-error"`, tc.msg)
		mustNotContain(t, b, "<script>alert(1)", "<b>1</b>")
		// What was typed is shown again (escaped), so nothing is lost.
		if len(tc.lat) <= 20 && tc.lat != "" {
			mustContain(t, b, `name="latitude" type="text" value="`+htmlEscape(tc.lat)+`"`)
		}
		c, _ := s.st.GetCase(t.Context(), id)
		if c.Latitude != nil || c.Longitude != nil {
			t.Fatalf("lat %q lng %q: saved %v,%v", tc.lat, tc.lng, c.Latitude, c.Longitude)
		}
	}

	vals := caseValues()
	vals.Set("police_verified", "yes")
	vals.Set("latitude", " 48.953117 ")
	vals.Set("longitude", "-54.608421")
	wantStatus(t, mod.post(path, vals), http.StatusSeeOther)
	c, _ := s.st.GetCase(t.Context(), id)
	if c.Latitude == nil || *c.Latitude != exactLat || *c.Longitude != exactLng {
		t.Fatalf("saved %v,%v", c.Latitude, c.Longitude)
	}
	found := false
	for _, e := range s.audit("case.update") {
		if strings.Contains(e.Summary, "coordinates") && e.Record == fmt.Sprintf("case:%d", id) {
			found = true
			if strings.Contains(e.Summary, "48.9") {
				t.Errorf("the audit summary holds the place itself: %q", e.Summary)
			}
		}
	}
	if !found {
		t.Errorf("no case.update audit entry naming the coordinates: %+v", s.audit("case.update"))
	}
	// Staff see and edit the exact place, with the map picker.
	b := mod.get(path).Body.String()
	mustContain(t, b, `value="48.953117"`, `value="-54.608421"`, `data-map="pick"`, `data-lat-input="f-latitude"`,
		`data-lng-input="f-longitude"`, "/static/map.")
	// Anonymous visitors cannot reach the form.
	wantLoginRedirect(t, s.browser().get(path))
	// The public page has the rounded point only.
	pub := s.browser().get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustContain(t, pub, `data-lat="48.95"`)
	mustNotContain(t, pub, exactDigits...)
	// Clearing both removes the place.
	vals.Set("latitude", "")
	vals.Set("longitude", "")
	wantStatus(t, mod.post(path, vals), http.StatusSeeOther)
	if c, _ := s.st.GetCase(t.Context(), id); c.Latitude != nil || c.Longitude != nil {
		t.Fatal("place not cleared")
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
