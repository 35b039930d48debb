package geo

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestRoundIsACellCentreNearThePoint(t *testing.T) {
	for _, p := range [][2]float64{
		{47.561537, -52.712611},                          // St. John's
		{48.953117, -54.608421},                          // Gander
		{53.301944, -60.416111},                          // Happy Valley-Goose Bay
		{56.541700, -61.693300},                          // Nain
		{46.0, -68.0}, {61.0, -52.0}, {47.565, -52.7125}, // on cell edges
	} {
		lat, lng := Round(p[0], p[1])
		// At most half a cell away.
		if d := math.Abs(lat - p[0]); d > LatStep/2+1e-12 {
			t.Errorf("%v: latitude moved %g, more than half a cell", p, d)
		}
		if d := math.Abs(lng - p[1]); d > LngStep/2+1e-12 {
			t.Errorf("%v: longitude moved %g, more than half a cell", p, d)
		}
		// Rounding a rounded point changes nothing (a cell's centre is in it).
		if l2, g2 := Round(lat, lng); l2 != lat || g2 != lng {
			t.Errorf("%v: Round is not idempotent: %v,%v then %v,%v", p, lat, lng, l2, g2)
		}
		// Short digits: nothing of the exact value survives in the text.
		for _, v := range []float64{lat, lng} {
			s := strconv.FormatFloat(v, 'f', -1, 64)
			if _, frac, _ := strings.Cut(s, "."); len(frac) > 3 {
				t.Errorf("%v: public value %s has more than 3 decimals", p, s)
			}
		}
	}
	// Every point of one cell gives the same public point.
	a1, b1 := Round(47.5551, -52.7174)
	a2, b2 := Round(47.5649, -52.7026)
	if a1 != a2 || b1 != b2 {
		t.Errorf("two points of one cell differ: %v,%v and %v,%v", a1, b1, a2, b2)
	}
	if lat, lng := Round(47.561537, -52.712611); lat != 47.56 || lng != -52.71 {
		t.Errorf("Round(St. John's) = %v, %v; want 47.56, -52.71", lat, lng)
	}
}

// TestCellSizeAboutAKilometre checks the documented sizes of a cell.
func TestCellSizeAboutAKilometre(t *testing.T) {
	const earth = 6371.0 // km
	latKM := LatStep * math.Pi / 180 * earth
	if latKM < 1.05 || latKM > 1.2 {
		t.Errorf("a latitude step is %.2f km", latKM)
	}
	for _, at := range []float64{47.5, 53, 56.5} {
		km := LngStep * math.Pi / 180 * earth * math.Cos(at*math.Pi/180)
		if km < 0.8 || km > 1.2 {
			t.Errorf("a longitude step at %.1f° N is %.2f km, not about 1 km", at, km)
		}
	}
}

func TestPublic(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	if a, b := Public(nil, f(-52)); a != nil || b != nil {
		t.Error("half a location must give none")
	}
	if a, b := Public(f(math.NaN()), f(-52)); a != nil || b != nil {
		t.Error("NaN must give none")
	}
	if a, b := Public(f(91), f(-52)); a != nil || b != nil {
		t.Error("latitude 91 must give none")
	}
	lat, lng := f(47.561537), f(-52.712611)
	a, b := Public(lat, lng)
	if a == nil || b == nil || *a != 47.56 || *b != -52.71 {
		t.Fatalf("Public = %v, %v", a, b)
	}
	if *lat != 47.561537 || *lng != -52.712611 {
		t.Error("Public changed its arguments")
	}
}

func TestInNL(t *testing.T) {
	for _, c := range []struct {
		lat, lng float64
		want     bool
	}{
		{47.56, -52.71, true}, {53.3, -60.4, true},
		{47.56, 52.71, false},  // sign lost
		{-52.71, 47.56, false}, // swapped
		{45.5, -73.6, false},   // Montréal
		{52.37, 4.9, false},    // Amsterdam
		{math.NaN(), -52, false},
		{math.Inf(1), -52, false},
	} {
		if got := InNL(c.lat, c.lng); got != c.want {
			t.Errorf("InNL(%v, %v) = %v", c.lat, c.lng, got)
		}
	}
}

func TestParseTiles(t *testing.T) {
	good := map[string]string{
		DefaultTiles: "https://tile.openstreetmap.org",
		"https://tiles.example.ca:8443/osm/{z}/{x}/{y}{r}.png?key=abc123": "https://tiles.example.ca:8443",
		"http://127.0.0.1:5000/{z}/{x}/{y}.png":                           "http://127.0.0.1:5000",
		"http://localhost/{z}/{y}/{x}":                                    "http://localhost",
		"http://[::1]:9/t/{z}/{x}/{y}.png":                                "http://[::1]:9",
		"HTTPS://Tile.Example.CA/{z}/{x}/{y}.png":                         "https://tile.example.ca",
	}
	for v, origin := range good {
		got, err := ParseTiles(v)
		if err != nil {
			t.Errorf("ParseTiles(%q): %v", v, err)
			continue
		}
		if got.Origin != origin || got.Template != v {
			t.Errorf("ParseTiles(%q) = %+v, want origin %s", v, got, origin)
		}
	}
	bad := []string{
		"",
		"tile.openstreetmap.org/{z}/{x}/{y}.png",
		"//tile.openstreetmap.org/{z}/{x}/{y}.png",
		"http://tile.openstreetmap.org/{z}/{x}/{y}.png", // http, not loopback
		"http://10.0.0.5/{z}/{x}/{y}.png",
		"http://localhost.evil.example/{z}/{x}/{y}.png",
		"ftp://tile.example/{z}/{x}/{y}.png",
		"javascript:alert(1)//{z}{x}{y}",
		"data:image/png;base64,{z}{x}{y}",
		"https://tile.openstreetmap.org/{z}/{x}.png", // no {y}
		"https://tile.openstreetmap.org/tiles.png",   // none
		"https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
		"https://{z}.example.org/{x}/{y}.png", // placeholder in the host
		"https://tile.example.org/{z}/{x}/{y}/{foo}.png",
		"https://tile.example.org/{z}/{x}/{y}.png#frag",
		"https://user:pw@tile.example.org/{z}/{x}/{y}.png",
		"https://tile.example.org/{z}/{x}/{y}.png; script-src *",
		"https://tile.example.org/{z}/{x}/{y}.png' data:",
		"https://tile.example.org/{z}/{x}/{y}.png\" onerror=\"x",
		"https://tile.example.org/{z}/{x}/{y}.png\nX-Evil: 1",
		"https://tile.example.org/{z}/{x}/{y}.png <script>",
		"https://tile.example.org:99999/{z}/{x}/{y}.png",
		"https://tile.example.org:+80/{z}/{x}/{y}.png",
		"https://bad_host!/{z}/{x}/{y}.png",
		"https://tîle.example.org/{z}/{x}/{y}.png",
		"https://tile.example.org/" + strings.Repeat("a", 600) + "/{z}/{x}/{y}.png",
		"https://[fe80::1%25eth0]/{z}/{x}/{y}.png",
	}
	for _, v := range bad {
		got, err := ParseTiles(v)
		if err == nil {
			t.Errorf("ParseTiles(%q) accepted: %+v", v, got)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || msg == "" {
			t.Errorf("ParseTiles(%q): error %q is not one line", v, msg)
		}
	}
}

func FuzzParseTiles(f *testing.F) {
	f.Add(DefaultTiles)
	f.Add("http://127.0.0.1:1/{z}/{x}/{y}")
	f.Fuzz(func(t *testing.T, v string) {
		tl, err := ParseTiles(v)
		if err != nil {
			return
		}
		// Whatever is accepted is safe in a CSP header and an attribute.
		if strings.ContainsAny(tl.Origin, " ;,'\"\n\r<>") || strings.ContainsAny(tl.Template, " ;,'\"\n\r<>") {
			t.Fatalf("accepted %q with origin %q", v, tl.Origin)
		}
		if !strings.HasPrefix(tl.Origin, "https://") && !strings.HasPrefix(tl.Origin, "http://") {
			t.Fatalf("accepted %q with origin %q", v, tl.Origin)
		}
	})
}
