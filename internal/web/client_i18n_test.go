package web

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// Issue 18 for the map, the statistics, the saved list, the offline page
// and the scripts' own messages (internal/web/kit/client.go).

// clientBlockRe finds the scripts' message block a page carries.
var clientBlockRe = regexp.MustCompile(`<body data-messages="([^"]*)">`)

// clientBlock decodes the page's message block; ok is false without one.
func clientBlock(t *testing.T, body string) (b kit.ClientBlock, ok bool) {
	t.Helper()
	m := clientBlockRe.FindStringSubmatch(body)
	if m == nil {
		return b, false
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &b); err != nil {
		t.Fatalf("message block is not JSON: %v\n%s", err, m[1])
	}
	return b, true
}

// clientPages are the area's pages and states: the map with its cases,
// filtered, empty, with bad filters; the statistics; the saved list and
// the offline page.
var clientPages = []string{
	"/map", "/map?region=Labrador", "/map?q=zzzzqqq",
	"/map?age_min=abc&age_max=x&since=bad&until=bad&region=Mars&sex=x",
	"/map?region=Avalon&sex=female&age_min=20&age_max=60&since=2026-01-01&until=2026-12-01",
	"/stats", "/saved", "/offline",
}

// TestPseudoLocaleClient renders the area's pages in the pseudo-locale:
// every visible text (SVG charts' titles, labels and descriptions
// included) comes through the catalog, and so does every message of the
// scripts' block.
func TestPseudoLocaleClient(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo; d.Demo = true })
	statsRecord(s)
	s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Community, c.LastSeenPlace = "Quentin Pseudocase", "Pseudoville", "Water Street"
		lat, lng := 47.56, -52.71
		c.Latitude, c.Longitude = &lat, &lng
	})
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName, c.Community = "Pia Pseudonoplace", "" })
	resources, err := s.st.ListResources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// The stats record's names and the counts' data: not text to translate.
	extra := []string{"Statsperson Number", "Pia Pseudonoplace", "St. John's", "Eastern", "Central", "Western", "(text/csv)"}
	for _, pg := range clientPages {
		rec := s.get(pg)
		assertPseudo(t, pg, rec, resources, extra...)
		b, ok := clientBlock(t, rec.Body.String())
		if !ok {
			t.Errorf("%s: no message block in the pseudo-locale", pg)
			continue
		}
		for id, msg := range b.Messages {
			if !strings.HasPrefix(msg, i18n.PseudoOpen) {
				t.Errorf("%s: block message %q not from the catalog: %q", pg, id, msg)
			}
		}
		for id, forms := range b.Plurals {
			for _, f := range forms {
				if !strings.HasPrefix(f, i18n.PseudoOpen) || !strings.Contains(f, "{n}") {
					t.Errorf("%s: block plural %q: form %q", pg, id, f)
				}
			}
		}
	}
	// The chart's SVG is visible text too: its <title> and <desc> and
	// every label are inside tags the pseudo check reads around.
	body := s.get("/stats").Body.String()
	for _, part := range []string{`<title id="chart-regions-title">` + i18n.PseudoOpen, `<desc id="chart-status-desc">` + i18n.PseudoOpen} {
		mustContain(t, body, part)
	}
}

// TestClientScriptMessages: every message the scripts look up (msg and
// msgN calls in static/*.js) is in the block, so none stays English on a
// French page; and every message of the block is used by a script.
func TestClientScriptMessages(t *testing.T) {
	b := kit.ClientMessages(i18n.French)
	if b == nil || kit.ClientMessages(i18n.English) != nil {
		t.Fatal("the block is for other languages than English only")
	}
	callRe := regexp.MustCompile(`\bmsg(N?)\("((?:[^"\\]|\\.)*)"`)
	used := map[string]bool{}
	for _, f := range []string{"scripts.js", "map.js", "offline.js"} {
		src, err := os.ReadFile("kit/static/" + f)
		if err != nil {
			t.Fatal(err)
		}
		calls := callRe.FindAllStringSubmatch(string(src), -1)
		if len(calls) < 5 {
			t.Fatalf("%s: only %d msg calls found: is the scan broken?", f, len(calls))
		}
		for _, c := range calls {
			id := c[2]
			used[id] = true
			if c[1] == "N" {
				if _, ok := b.Plurals[id]; !ok {
					t.Errorf("%s: msgN(%q) is not in kit's clientPlurals", f, id)
				}
			} else if _, ok := b.Messages[id]; !ok {
				t.Errorf("%s: msg(%q) is not in kit's clientMessages", f, id)
			}
		}
	}
	// The worker's reasons for a failed save are message ids too, which
	// offline.js translates.
	sw, err := os.ReadFile("offline/sw.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`error: "([^"]+)"`).FindAllStringSubmatch(string(sw), -1) {
		used[m[1]] = true
		if _, ok := b.Messages[m[1]]; !ok {
			t.Errorf("sw.js: error %q is not in kit's clientMessages", m[1])
		}
	}
	for id := range b.Messages {
		if !used[id] {
			t.Errorf("block message %q is used by no script", id)
		}
	}
	for id := range b.Plurals {
		if !used[id] {
			t.Errorf("block plural %q is used by no script", id)
		}
	}
	// French: the translations, placeholders kept for the scripts.
	if b.Lang != "fr" || b.Messages["Remove"] != "Retirer" || b.Messages["yyyy"] != "aaaa" {
		t.Errorf("French block: lang %q, %q, %q", b.Lang, b.Messages["Remove"], b.Messages["yyyy"])
	}
	p := b.Plurals["{n} person last seen near {place}"]
	if p != [2]string{"{n} personne vue pour la dernière fois près de {place}", "{n} personnes vues pour la dernière fois près de {place}"} {
		t.Errorf("French plural forms: %q", p)
	}
}

// TestFrenchClient: the area's pages under /fr are French (the charts
// too, numbers and dates the French way), their links stay French, the
// message block is French, and the French manifest is linked and served.
func TestFrenchClient(t *testing.T) {
	s := newSite(t)
	statsRecord(s)
	lat, lng := 47.56, -52.71
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Community = "Mapfrench Person", "Gander"
		c.LastSeenDate = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		c.Latitude, c.Longitude = &lat, &lng
	})

	for _, tc := range []struct{ path, want string }{
		{"/fr/map", "Carte des derniers lieux connus"},
		{"/fr/map?region=Labrador", "Dossiers ouverts par région"},
		{"/fr/map?q=zzzzqqq", "Aucun dossier ouvert ne correspond à ces filtres."},
		{"/fr/map?age_min=abc&region=Mars", "Certains filtres n&#39;ont pas pu être appliqués"},
		{"/fr/stats", "Statistiques ouvertes"},
		{"/fr/saved", "Enregistré hors ligne"},
		{"/fr/offline", "Vous êtes hors ligne"},
	} {
		rec := s.get(tc.path)
		wantStatus(t, rec, http.StatusOK)
		body := rec.Body.String()
		mustContain(t, body, `<html lang="fr-CA">`, tc.want, `<link rel="manifest" href="/manifest.webmanifest?lang=fr">`)
		mustNotContain(t, body, `<a href="/cases`, `<a href="/map">`, `<a href="/saved">`, `action="/map"`)
		assertNoInlineCode(t, body)
		b, ok := clientBlock(t, body)
		if !ok {
			t.Fatalf("%s: no message block", tc.path)
		}
		if b.Lang != "fr" || b.Messages["Loading the map…"] != "Chargement de la carte…" ||
			b.Plurals["{n} case is saved on this device."][1] != "{n} dossiers sont enregistrés sur cet appareil." {
			t.Errorf("%s: block %+v", tc.path, b)
		}
	}

	body := s.get("/fr/map").Body.String()
	mustContain(t, body,
		`action="/fr/map"`, `aria-label="Filtrer la carte"`,
		fmt.Sprintf(`<a href="/fr/cases/%d">Mapfrench Person</a>, vue pour la dernière fois le <time datetime="2026-12-01">1er décembre 2026</time> à Gander`, id),
		`data-case-base="/fr/cases/"`, `<option value="Eastern">Est</option>`, `<option value="female">Femme</option>`,
		"9 dossiers ouverts trouvés.", "1 de ces dossiers a un dernier lieu connu sur la carte.", `data-points="/map/points.json"`)
	// The map's own JSON stays data: English keys, the English address.
	pts := s.get("/map/points.json").Body.String()
	mustContain(t, pts, `"full_name":"Mapfrench Person"`)

	body = s.get("/fr/stats").Body.String()
	mustContain(t, body,
		"Chiffres établis à partir de 14 dossiers publics", // the record's 13 and the map's case
		`<th scope="row">Est</th><td>moins de 5</td>`,
		`<th scope="row">Toujours disparue</th>`, `<th scope="row">Retrouvée</th><td>5</td>`,
		`<title id="chart-regions-title">Dossiers par région</title>`,
		`<desc id="chart-status-desc">Diagramme à barres du nombre de dossiers pour chaque issue. Toujours disparue : `,
		"Hachuré : moins de 5; la barre va de 0 à 5", "Médiane : <strong>moins d&#39;une heure</strong>",
		`href="/stats/regions.csv"`, "Dossiers par région en CSV")
	mustNotContain(t, body, "fewer than", "not shown", "Still missing", "Bar chart")
	// The CSV files are data: English, as before.
	mustContain(t, s.get("/stats/status.csv").Body.String(), "Still missing")
	// The English page keeps its English charts (drawn per language).
	en := s.get("/stats").Body.String()
	mustContain(t, en, `<title id="chart-regions-title">Cases by region</title>`, "Bar chart of the number of cases for each region.")
	mustNotContain(t, en, "Dossiers", `data-messages`, "?lang=fr")

	body = s.get("/fr/saved").Body.String()
	mustContain(t, body, `<a href="/fr/cases">liste des personnes disparues</a>`, "Bon à savoir", `/static/offline.`)
	body = s.get("/fr/offline").Body.String()
	mustContain(t, body, `<a class="button" href="/fr/saved">Pages enregistrées sur cet appareil</a>`, `href="tel:911"`)

	// The manifests: English by default, French with ?lang=fr, the same
	// app (id) started at its language's home page; anything else English.
	manifest := func(p string) map[string]any {
		rec := s.get(p)
		wantStatus(t, rec, http.StatusOK)
		var m map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		return m
	}
	fr := manifest("/manifest.webmanifest?lang=fr")
	if fr["lang"] != "fr-CA" || fr["start_url"] != "/fr/" || fr["id"] != "/" || !strings.Contains(fr["description"].(string), "Terre-Neuve-et-Labrador") || fr["name"] != "LostInNL — Personnes disparues T.-N.-L." {
		t.Errorf("French manifest: %v", fr)
	}
	for _, p := range []string{"/manifest.webmanifest", "/manifest.webmanifest?lang=xx", "/manifest.webmanifest?lang=%00"} {
		if m := manifest(p); m["lang"] != "en-CA" || m["start_url"] != "/" {
			t.Errorf("%s: %v", p, m)
		}
	}
	wantStatus(t, s.get("/fr/manifest.webmanifest"), http.StatusNotFound)

	// The worker precaches both languages' offline pages and saved lists
	// and the French manifest, and carries the French last-resort line.
	sw := s.get("/sw.js").Body.String()
	m := precacheRe.FindStringSubmatch(sw)
	if m == nil {
		t.Fatal("no precache list")
	}
	var urls []string
	if err := json.Unmarshal([]byte(m[1]), &urls); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/offline", "/fr/offline", "/saved", "/fr/saved", "/manifest.webmanifest?lang=fr"} {
		found := false
		for _, u := range urls {
			found = found || u == want
		}
		if !found {
			t.Errorf("precache %v lacks %s", urls, want)
		}
	}
	for _, u := range urls {
		wantStatus(t, s.get(u), http.StatusOK)
	}
	mustContain(t, sw, `"fr":"Vous êtes hors ligne, et cette page n'est pas enregistrée sur cet appareil."`, `fr ? "/fr/offline" : "/offline"`)
	mustNotContain(t, sw, "__OFFLINE_TEXT__")
}
