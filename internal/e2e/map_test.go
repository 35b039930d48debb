package e2e

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"lostinnl/internal/geo"
)

// tileFake stands in for a tile server on loopback: every /{z}/{x}/{y}.png
// is the same generated 256×256 PNG, and requests are counted, so a test
// can tell that the maps really asked this server (and nothing else) for
// their tiles.
type tileFake struct {
	srv      *httptest.Server
	requests atomic.Int64
	bad      atomic.Int64 // paths that were not a tile address
}

var tilePath = regexp.MustCompile(`^/\d{1,2}/\d{1,7}/\d{1,7}\.png$`)

func newTileFake(t testing.TB) *tileFake {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for y := 0; y < 256; y++ {
		for x := 0; x < 256; x++ {
			// Pale sea with a grid, so a screenshot shows where tiles are.
			c := color.RGBA{R: 0xd4, G: 0xe6, B: 0xf1, A: 0xff}
			if x%64 == 0 || y%64 == 0 {
				c = color.RGBA{R: 0xa9, G: 0xc4, B: 0xd6, A: 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	tile := buf.Bytes()
	f := &tileFake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.requests.Add(1)
		if !tilePath.MatchString(r.URL.Path) {
			f.bad.Add(1)
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Length", strconv.Itoa(len(tile)))
		_, _ = w.Write(tile)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *tileFake) template() string { return f.srv.URL + "/{z}/{x}/{y}.png" }

// placeCase gives a seeded case a last-seen place, as a moderator's edit
// would.
func (s *site) placeCase(id int64, lat, lng float64) {
	s.t.Helper()
	ctx := context.Background()
	c, err := s.st.GetCase(ctx, id)
	if err != nil {
		s.t.Fatal(err)
	}
	c.Latitude, c.Longitude = &lat, &lng
	if err := s.st.UpdateCase(ctx, c, nil); err != nil {
		s.t.Fatalf("place case %d: %v", id, err)
	}
}

// TestMapInBrowser: /map draws a marker per place from its JSON, with
// tiles from the configured (fake) tile server, markers a keyboard can
// reach and open, and passes axe; the case page draws its small map; the
// admin form's map fills the coordinates on a click.
func TestMapInBrowser(t *testing.T) {
	tb := newTab(t)
	s := newSite(t) // its maps' tiles come from s.tiles, a fake on loopback
	tiles := s.tiles
	ids := s.seed(seedCases)
	marigold, tobias, winifred := ids["Marigold Bakeapple"], ids["Tobias Tuckamore"], ids["Winifred Capelin"]
	s.placeCase(marigold, 48.951234, -57.948765)            // Corner Brook
	s.placeCase(tobias, 47.569876, -52.681234)              // Signal Hill
	s.placeCase(winifred, 48.953117, -54.608421)            // Gander
	s.placeCase(ids["Ambrose Partridgeberry"], 53.3, -60.4) // located: never on the map

	tb.navigate(s.url + "/map")
	tb.waitFor("the markers", `(document.querySelector("[data-map=cases]") || {dataset: {}}).dataset.markers`,
		`document.getElementById("map-status").textContent + " " + (document.querySelector("[data-map=cases]") || {}).outerHTML`)
	if n := eval[string](tb, `document.querySelector("[data-map=cases]").dataset.markers`); n != "3" {
		t.Fatalf("%s markers drawn, want 3 (one per open case with a place)", n)
	}
	if n := eval[int](tb, `document.querySelectorAll(".leaflet-marker-icon").length`); n != 3 {
		t.Errorf("%d marker elements, want 3", n)
	}
	// Markers are keyboard-reachable buttons with a text alternative.
	alts := eval[string](tb, `Array.from(document.querySelectorAll(".leaflet-marker-icon")).map(m =>
		m.getAttribute("tabindex") + "|" + m.getAttribute("role") + "|" + m.alt).join("\n")`)
	for _, name := range []string{"Marigold Bakeapple", "Tobias Tuckamore", "Winifred Capelin"} {
		if !strings.Contains(alts, "0|button|"+name+", last seen ") {
			t.Errorf("no focusable marker named %s:\n%s", name, alts)
		}
	}
	if strings.Contains(alts, "Ambrose") {
		t.Error("a located case has a marker")
	}
	// The tiles came from the fake, and loaded.
	tb.waitFor("tiles from the tile server", `document.querySelectorAll(".leaflet-tile-loaded").length > 0`,
		`document.querySelectorAll(".leaflet-tile").length + " tiles"`)
	if tiles.requests.Load() == 0 || tiles.bad.Load() != 0 {
		t.Errorf("tile server: %d requests, %d not tile addresses", tiles.requests.Load(), tiles.bad.Load())
	}
	srcs := eval[string](tb, `Array.from(document.querySelectorAll("img.leaflet-tile")).map(i => i.src).join(" ")`)
	if !strings.Contains(srcs, tiles.srv.URL+"/") {
		t.Errorf("tiles not from the configured server: %.300s", srcs)
	}
	if buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot()); err == nil {
		_ = os.WriteFile(filepath.Join(artifactDir(t), "map-desktop.png"), buf, 0o644) // for people; not checked
	}
	mustHave(t, tb, "the credit", `document.querySelector(".leaflet-control-attribution a[href='https://www.openstreetmap.org/copyright']").textContent`, "© OpenStreetMap contributors")
	// The list by region is there for everyone, map or not.
	mustHave(t, tb, "the list", `document.querySelector(".map-list").innerText`, "Western", "Marigold Bakeapple", "Avalon", "Tobias Tuckamore", "Eastern", "(no place on the map)")
	// No exact place reached the page.
	html := eval[string](tb, `document.documentElement.outerHTML`)
	for _, exact := range []string{"48.9512", "57.9487", "47.5698", "52.6812", "48.9531", "54.6084"} {
		if strings.Contains(html, exact) {
			t.Errorf("the map page holds %s, part of an exact place", exact)
		}
	}

	// Keyboard: Enter on a marker opens its popup with the focus on the
	// case's link; Escape closes it and returns to the marker.
	sel := `.leaflet-marker-icon[alt^="Winifred Capelin"]`
	tb.do("press Enter on a marker", chromedp.SendKeys(chromedp.CSS(sel), "\r"))
	tb.waitFor("the popup's link to have the focus", fmt.Sprintf(`document.activeElement && document.activeElement.closest(".leaflet-popup") && document.activeElement.getAttribute("href").endsWith("/cases/%d")`, winifred),
		`document.activeElement ? document.activeElement.outerHTML : "none"`)
	mustHave(t, tb, "the popup", `document.querySelector(".leaflet-popup").innerText`, "Winifred Capelin", "last seen", "within about 1 km")
	tb.do("press Escape", chromedp.SendKeys(chromedp.CSS(".leaflet-popup a"), "\x1b"))
	tb.waitFor("the focus back on the marker", `document.querySelector(".leaflet-popup") === null && document.activeElement.matches(".leaflet-marker-icon")`,
		`document.activeElement ? document.activeElement.outerHTML : "none"`)

	if os.Getenv("LOSTINNL_TEST_AXE") != "" {
		tb.axeCheck(axeSource(t), "map", "/map")
		// And with a filter that leaves an empty map.
		tb.navigate(s.url + "/map?region=Labrador")
		tb.waitFor("the empty map", `(document.querySelector("[data-map=cases]") || {dataset: {}}).dataset.markers === "0"`, `document.body.innerText`)
		tb.axeCheck(axeSource(t), "map-empty", "/map?region=Labrador")
	} else {
		t.Log("axe on /map skipped: set LOSTINNL_TEST_AXE")
	}

	// On a phone the map fits the screen: no sideways scrolling.
	tb.do("emulate a 375×667 phone", chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	tb.navigate(s.url + "/map")
	tb.waitFor("the markers on a phone", `(document.querySelector("[data-map=cases]") || {dataset: {}}).dataset.markers === "3"`, `document.getElementById("map-status").textContent`)
	if wide := eval[bool](tb, `document.documentElement.scrollWidth > document.documentElement.clientWidth`); wide {
		t.Error("/map scrolls sideways on a phone")
	}

	// The case page's small map: a circle around the rounded point.
	tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, winifred))
	// On a phone, Leaflet (three times the rest of the page) is not
	// fetched while the map is far below the screen: the first view of a
	// shared link stays light.
	tb.waitFor("the page to settle", `document.readyState === "complete"`, "")
	if loaded := eval[bool](tb, `typeof window.L !== "undefined" || performance.getEntriesByType("resource").some(e => e.name.includes("/vendor/leaflet/"))`); loaded {
		t.Error("the case page fetched Leaflet with its map out of sight")
	}
	tb.do("back to the desktop size", chromedp.EmulateViewport(1280, 900))
	tb.do("scroll to the map", chromedp.Evaluate[chromedp.Void](`document.querySelector(".place-map").scrollIntoView()`))
	tb.waitFor("the case map", `document.querySelector("[data-map=place] path.leaflet-interactive") !== null || document.querySelector("[data-map=place] path") !== null`,
		`(document.querySelector("[data-map=place]") || {}).outerHTML`)
	if hidden := eval[bool](tb, `document.querySelector("[data-map=place]").hidden`); hidden {
		t.Error("the case map stayed hidden")
	}
	mustHave(t, tb, "the case map's text", `document.getElementById("place-map-text").textContent`, "Within about 1 km of 48.95° N, 54.615° W")
	if os.Getenv("LOSTINNL_TEST_AXE") != "" {
		tb.axeCheck(axeSource(t), "case with map", fmt.Sprintf("/cases/%d", winifred))
	}
	// Tiles load from no other host: the CSP allows only the fake, and a
	// request elsewhere would show as a page error below.
	tb.noPageErrors()

	// The admin form: a click on the map fills both coordinates.
	const email, password = "ida.admin@example.org", "tuckamore-kittiwake-1997"
	secret := s.addAdmin(email, password)
	edit := fmt.Sprintf("/admin/cases/%d", ids["Percival Kittiwake"])
	tb.adminSignIn(s, edit, email, password, secret)
	tb.waitFor("the place picker", `document.querySelector("[data-map=pick]") && !document.querySelector("[data-map=pick]").hidden && document.querySelectorAll("[data-map=pick] .leaflet-tile").length > 0`,
		`(document.querySelector("[data-map=pick]") || {}).outerHTML`)
	if v := eval[string](tb, `document.getElementById("f-latitude").value + document.getElementById("f-longitude").value`); v != "" {
		t.Fatalf("coordinates before the click: %q", v)
	}
	tb.do("click the middle of the map", chromedp.Click(chromedp.CSS("[data-map=pick]")))
	tb.waitFor("the coordinates", `document.getElementById("f-latitude").value !== "" && document.getElementById("f-longitude").value !== ""`, `document.getElementById("f-latitude").value`)
	lat := eval[string](tb, `document.getElementById("f-latitude").value`)
	lng := eval[string](tb, `document.getElementById("f-longitude").value`)
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lng, 64)
	if err1 != nil || err2 != nil || la < geo.MinLat || la > geo.MaxLat || lo < geo.MinLng || lo > geo.MaxLng {
		t.Fatalf("the click gave %q, %q: not a place in Newfoundland and Labrador", lat, lng)
	}
	if n := eval[int](tb, `document.querySelectorAll("[data-map=pick] .leaflet-marker-icon").length`); n != 1 {
		t.Errorf("%d markers on the picker after a click, want 1", n)
	}
	if os.Getenv("LOSTINNL_TEST_AXE") != "" {
		tb.axeCheck(axeSource(t), "admin case form with map", edit)
	}
	tb.noPageErrors()
}

// mustHave evaluates expr (a string) and fails unless it contains every want.
func mustHave(t *testing.T, tb *tab, what, expr string, wants ...string) {
	t.Helper()
	got := eval[string](tb, expr)
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: %q lacks %q", what, got, w)
		}
	}
}
