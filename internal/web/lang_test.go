package web

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// frenchPages are the pages converted to the catalog so far (issue 18):
// each answers under /fr in French. Later sessions add theirs here and to
// pseudoPages below.
var frenchPages = []struct{ path, french string }{
	{"/", "Aidez-nous à les ramener à la maison"},
	{"/about", "Comment un dossier arrive ici"},
	{"/resources", "Aide et ressources"},
	{"/privacy", "Combien de temps nous les conservons"},
	{"/cases", "Chercher par nom, lieu ou description"},
	{"/cases?status=located", "Personnes retrouvées"},
	{"/cases?q=zzzzqqq", "Aucune personne ne correspond à cette recherche"},
	{"/cases?age_min=abc&region=Mars&sort=x&page=0", "minimum doit être un nombre entier de 0 à 120"},
	{"/cases?region=Labrador&sex=female&age_min=20&age_max=60&since=2026-01-01&until=2026-12-01", "Région : Labrador"},
}

// TestFrenchPages: every converted page answers in French under /fr, with
// lang="fr-CA", the emergency line, French links, the hreflang
// alternates and the switch back to the same English page and query.
func TestFrenchPages(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.Demo = true })
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Wanda Frenchtest" })
	s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Lola Foundtest" })
	for _, pg := range frenchPages {
		fr := i18n.Path(i18n.French, pg.path)
		rec := s.get(fr)
		wantStatus(t, rec, http.StatusOK)
		body := rec.Body.String()
		mustContain(t, body, `<html lang="fr-CA">`, pg.french,
			`En cas d'urgence, composez le <a href="tel:911">911</a>.`,
			`Données de démonstration.`,
			`<a href="/fr/cases"`, `<a href="/fr/about"`)
		mustNotContain(t, body, `Skip to main content`, `<a href="/cases">`, `href="/about">`)
		// Both versions, the query kept (escaped as an attribute).
		q := ""
		if i := strings.IndexByte(pg.path, '?'); i >= 0 {
			q = pg.path[i:]
		}
		en := pg.path
		if !strings.Contains(body, "noindex") {
			mustContain(t, body,
				`<link rel=alternate hreflang=en href="`+html.EscapeString("https://missing.example.ca"+en)+`">`,
				`<link rel=alternate hreflang=fr href="`+html.EscapeString("https://missing.example.ca"+fr)+`">`,
				`<link rel=alternate hreflang=x-default href="`+html.EscapeString("https://missing.example.ca"+en)+`">`)
		}
		switchHref := strings.ReplaceAll(html.EscapeString(strings.TrimSuffix(en, q)+q), "&#39;", "&#39;")
		mustContain(t, body, `<p class="lang-switch"><a href="`+switchHref+`" hreflang="en" lang="en">English</a></p>`)

		// And the English page offers the French one, query kept.
		enRec := s.get(en)
		wantStatus(t, enRec, http.StatusOK)
		mustContain(t, enRec.Body.String(), `<html lang="en-CA">`,
			`<p class="lang-switch"><a href="`+html.EscapeString(fr)+`" hreflang="fr" lang="fr">Français</a></p>`)
	}
	// Cards and pagination links stay French.
	rec := s.get("/fr/cases?status=all")
	mustContain(t, rec.Body.String(), `Personne disparue`, `Personne retrouvée`, `Vérifié auprès de la police`, `href="/fr/cases/`)
	mustNotContain(t, rec.Body.String(), `Verified with police`)
}

// TestFrenchErrorPages: the 404, 405 and 429 pages in French under /fr,
// their switch leading to the English home page.
func TestFrenchErrorPages(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.FormRateLimit, d.FormRateBurst = 1, 1 })
	rec := s.get("/fr/nowhere")
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), `<html lang="fr-CA">`, "Nous ne trouvons pas cette page", "Erreur 404.",
		`<a href="/fr/cases">voir les personnes disparues</a>`, `<a href="/" hreflang="en" lang="en">English</a>`)
	mustNotContain(t, rec.Body.String(), "hreflang=en href")
	en := s.get("/nowhere")
	mustContain(t, en.Body.String(), "We can&#39;t find that page", `<a href="/fr/" hreflang="fr" lang="fr">Français</a>`)

	rec = s.do(httptest.NewRequest(http.MethodDelete, "/fr/about", nil))
	wantStatus(t, rec, http.StatusMethodNotAllowed)
	mustContain(t, rec.Body.String(), "Cette action n&#39;est pas possible ici")

	// The rate limit's page (two posts over a burst of one).
	var last *httptest.ResponseRecorder
	for range 3 {
		last = s.post("/fr/contact", nil)
	}
	wantStatus(t, last, http.StatusTooManyRequests)
	mustContain(t, last.Body.String(), "Un instant, s&#39;il vous plaît", "Vous pourrez réessayer dans environ")
}

// TestFrenchPaths: /fr is sent to /fr/; what is not a page (admin, API,
// files) and hostile spellings of the prefix never reach the English
// route under a French address, never the admin area, never a 500.
func TestFrenchPaths(t *testing.T) {
	s := newSite(t)
	rec := s.get("/fr")
	wantStatus(t, rec, http.StatusPermanentRedirect)
	if loc := rec.Header().Get("Location"); loc != "/fr/" {
		t.Errorf("/fr → %q", loc)
	}
	rec = s.get("/fr?x=1")
	if loc := rec.Header().Get("Location"); loc != "/fr/?x=1" {
		t.Errorf("/fr?x=1 → %q", loc)
	}
	for _, p := range []string{
		"/fr/admin", "/fr/admin/", "/fr/admin/login", "/fr/admin/cases",
		"/fr/api/v1/cases", "/fr/api/v1/openapi.json", "/fr/feeds/cases.atom", "/fr/sitemap.xml",
		"/fr/static/styles.css", "/fr/sw.js", "/fr/manifest.webmanifest", "/fr/media/x.jpg",
		"/fr/robots.txt", "/fr/favicon.ico", "/fr/healthz", "/fr/map/points.json", "/fr/stats/cases.csv",
		"/fr/../admin", "/fr/./admin/login", "/fr//cases", "/fr/cases/", "/fr/%2e%2e/admin", "/fr/%2E%2E/admin/login",
		"/fr/cases%2F..%2F..%2Fadmin", "/fr/fr/", "/fr/admin%2Flogin", "/fr/%00", "/fr/a\\b",
		"/frx", "/fr%2Fcases", "/fr%2fadmin", "/FR/cases", "/fr-CA/cases",
	} {
		// As the server reads a request line: no dot-segment resolution.
		u, err := url.ParseRequestURI(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL, req.RequestURI = u, p
		rec := s.do(req)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
		body := rec.Body.String()
		if strings.Contains(body, "Sign in") || strings.Contains(body, "password") || rec.Header().Get("Location") != "" {
			t.Errorf("%s: reached something other than the 404 page", p)
		}
	}
	// The French site's pages are French; "/fr/cases/1" would be a case.
	wantStatus(t, s.get("/fr/cases/999999"), http.StatusNotFound)
}

// TestFrenchPageCache: / and /fr/ are cached apart, and the English home
// page keys on (and Varies on) whether the browser prefers French.
func TestFrenchPageCache(t *testing.T) {
	s := newSite(t, withCache(pagecache.Options{TTL: time.Minute}))
	s.addCase(store.StatusMissing, nil)
	get := func(p, al string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, p, nil)
		if al != "" {
			req.Header.Set("Accept-Language", al)
		}
		return s.do(req)
	}
	for range 2 { // the second round comes from the cache
		en, fr := get("/", ""), get("/fr/", "")
		mustContain(t, en.Body.String(), "Help bring them home")
		mustContain(t, fr.Body.String(), "Aidez-nous à les ramener à la maison")
		mustNotContain(t, en.Body.String(), "Ce site est aussi offert en français")
		offer := get("/", "fr-CA,fr;q=0.9,en;q=0.5")
		mustContain(t, offer.Body.String(), `<p class="lang-offer" lang="fr"><a href="/fr/" hreflang="fr">Ce site est aussi offert en français</a></p>`, "Help bring them home")
		mustNotContain(t, get("/", "en-CA,en;q=0.9,fr;q=0.5").Body.String(), "aussi offert en français")
		mustNotContain(t, get("/fr/", "fr").Body.String(), "aussi offert en français")
		for _, rec := range []*httptest.ResponseRecorder{en, offer} {
			if v := strings.Join(rec.Header().Values("Vary"), ","); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Accept-Encoding") {
				t.Errorf("/: Vary %q", v)
			}
		}
		// The listing too, in both languages.
		mustContain(t, get("/cases", "").Body.String(), "Search by name, place or description")
		mustContain(t, get("/fr/cases", "").Body.String(), "Chercher par nom, lieu ou description")
	}
}

// pseudoPages are the pages the pseudo-locale test renders: every text
// they show must come from the catalog. Add converted pages here.
var pseudoPages = []string{
	"/", "/about", "/resources", "/privacy", "/nowhere",
	"/cases", "/cases?status=all", "/cases?q=zzzzqqq",
	"/cases?age_min=abc&age_max=x&since=bad&until=bad&region=Mars&sex=x&sort=x&page=0&status=x",
	"/cases?region=Labrador&sex=female&age_min=20&age_max=60&since=2026-01-01&until=2026-12-01&status=all",
	"/cases?age_min=60&age_max=20&since=2026-12-01&until=2026-01-01",
}

var (
	tagRE      = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)>|<!--.*?-->|<[^>]*>`)
	visibleRE  = regexp.MustCompile(`\b(?:aria-label|alt|title|placeholder)="([^"]*)"`)
	headRE     = regexp.MustCompile(`(?s)<head>.*?</head>`)
	pseudoData = []string{
		// The data set's values, distinctive and not text to translate.
		"Quentin Pseudocase", "Zelda Pseudofound", "Pseudoville", "Avalon", "Labrador", "Water Street",
		"St. John", "RNC", "RCMP", "zzzzqqq", "Mars", "abc", "bad", "OpenAPI", "JSON", "API", "CSV",
		"Emergency", "Royal Newfoundland Constabulary", "Mobile Crisis Response", "Pseudo", "PFIF",
		// Error pages: the request id; the 911 digits need no translation.
		"req", "English", "Français",
	}
)

// visibleText is what a reader sees or hears of a page: the text outside
// tags (the <title> included) and the attributes read aloud or shown.
func visibleText(body string) string {
	var b strings.Builder
	for _, m := range visibleRE.FindAllStringSubmatch(body, -1) {
		b.WriteString(html.UnescapeString(m[1]) + "\n")
	}
	if m := regexp.MustCompile(`(?s)<title>(.*?)</title>`).FindStringSubmatch(body); m != nil {
		b.WriteString(html.UnescapeString(m[1]) + "\n")
	}
	body = headRE.ReplaceAllString(body, "")
	b.WriteString(html.UnescapeString(tagRE.ReplaceAllString(body, " ")))
	return b.String()
}

// TestPseudoLocale renders every converted page in the pseudo-locale: a
// word outside ［…］ did not come through the catalog (a string left in a
// template or in Go code). Data values are removed first.
func TestPseudoLocale(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.forceLang = i18n.Pseudo; d.Demo = true })
	s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName, c.Community, c.LastSeenPlace = "Quentin Pseudocase", "Pseudoville", "Water Street"
	})
	s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Zelda Pseudofound" })
	resources, err := s.st.ListResources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, pg := range pseudoPages {
		assertPseudo(t, pg, s.get(pg), resources)
	}
}

// assertPseudo checks one page rendered in the pseudo-locale: it answered
// (200, or 404 for a page that says so), and every visible text on it
// came through the catalog. extra are data values the page shows (names,
// places, staff-written text) which are not text to translate; the
// resources' fields are such data too.
func assertPseudo(t *testing.T, pg string, rec *httptest.ResponseRecorder, resources []store.Resource, extra ...string) {
	t.Helper()
	if rec.Code != http.StatusOK && rec.Code != http.StatusNotFound {
		t.Fatalf("%s: status %d", pg, rec.Code)
	}
	text := visibleText(rec.Body.String())
	for _, r := range resources {
		for _, v := range []string{r.Title, r.Description, r.Phone, r.URL} {
			if v != "" {
				text = strings.ReplaceAll(text, v, " ")
			}
		}
	}
	for _, d := range append(extra, pseudoData...) {
		text = strings.ReplaceAll(text, d, " ")
	}
	if words := i18n.Untranslated(text); len(words) > 0 {
		t.Errorf("%s: text outside the catalog: %q", pg, words)
	}
	if !strings.Contains(text, i18n.PseudoOpen) {
		t.Errorf("%s: no pseudo-localized text at all", pg)
	}
}

// TestTemplateSetsHeap reports what the page templates cost in heap
// (issue 18's report): at start-up, when the sets are built lazily, and
// with every page of every language built. It measures in a child process
// running only this test, since goroutines left by other tests allocate
// and free while it reads the heap. It fails if start-up builds the sets
// after all, or if the French sets cost more than English several times
// over.
func TestTemplateSetsHeap(t *testing.T) {
	if os.Getenv("LOSTINNL_TEMPLATE_HEAP_CHILD") == "1" {
		templateHeapChild(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestTemplateSetsHeap$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), "LOSTINNL_TEMPLATE_HEAP_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`HEAP startEn=(\d+) startBoth=(\d+) builtEn=(\d+) builtBoth=(\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("child printed no figures:\n%s", out)
	}
	kb := func(i int) uint64 { v, _ := strconv.ParseUint(m[i], 10, 64); return v >> 10 }
	startEn, startBoth, builtEn, builtBoth := kb(1), kb(2), kb(3), kb(4)
	t.Logf("template heap at start-up (lazy): English %d KB, English and French %d KB; every page built: English %d KB, English and French %d KB",
		startEn, startBoth, builtEn, builtBoth)
	if builtEn == 0 || startBoth*2 > builtEn {
		t.Errorf("start-up holds %d KB of templates, every English page built %d KB: the sets are not built lazily", startBoth, builtEn)
	}
	if builtBoth > 4*builtEn+1024 {
		t.Errorf("French sets cost %d KB over %d KB for English", builtBoth-builtEn, builtEn)
	}
}

// templateHeapChild measures for TestTemplateSetsHeap and prints the
// figures in bytes.
func templateHeapChild(t *testing.T) {
	env := &kit.Env{Assets: mustAssets(t)}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	measure := func(build bool, langs ...i18n.Lang) uint64 {
		before := heap()
		r, err := kit.NewLangRenderer(kit.TemplateFS, env.TemplateFuncs(), env.LangFuncs, langs...)
		if err != nil {
			t.Fatal(err)
		}
		if build {
			if err := r.BuildAll(); err != nil {
				t.Fatal(err)
			}
		}
		after := heap()
		runtime.KeepAlive(r)
		return after - min(after, before)
	}
	fmt.Printf("HEAP startEn=%d startBoth=%d builtEn=%d builtBoth=%d\n",
		measure(false, i18n.English), measure(false, i18n.English, i18n.French),
		measure(true, i18n.English), measure(true, i18n.English, i18n.French))
}

func mustAssets(t *testing.T) *kit.Assets {
	t.Helper()
	a, err := kit.LoadAssets()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestEveryTemplateBuilds builds every page's set in every language the
// server may use (the pseudo-locale too): sets are built on first use in
// production, so a page that cannot be built must fail here instead.
func TestEveryTemplateBuilds(t *testing.T) {
	env := &kit.Env{Assets: mustAssets(t)}
	r, err := kit.NewLangRenderer(kit.TemplateFS, env.TemplateFuncs(), env.LangFuncs, i18n.English, i18n.French, i18n.Pseudo)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.BuildAll(); err != nil {
		t.Fatal(err)
	}
}
