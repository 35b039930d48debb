package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/site"
)

func seedListing(t *testing.T, s *testSite) {
	t.Helper()
	regions := store.Regions
	for i := 0; i < 45; i++ {
		i := i
		s.addCase(store.StatusMissing, func(c *store.Case) {
			c.FullName = fmt.Sprintf("Person %02d Listingtest", i)
			c.PoliceFileNumber = fmt.Sprintf("L-%d", i)
			c.Region = regions[i%len(regions)]
			age := 10 + i
			c.Age = &age
			c.Sex = store.Sexes[i%2]
			c.LastSeenDate = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*5)
		})
	}
	s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Ophelia Quidi Vidi"
		c.PoliceFileNumber = "L-Q"
		c.LastSeenPlace = "Quidi Vidi Lake"
	})
	s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Lemuel Foundagain"; c.PoliceFileNumber = "L-F" })
}

func TestListingFiltersAndPagination(t *testing.T) {
	s := newSite(t)
	seedListing(t, s)

	body := s.get("/cases").Body.String()
	mustContain(t, body, "46 people found, page 1 of 3", `aria-live="polite"`, `rel="next"`, `href="/cases?page=2"`, `aria-current="page"`)
	mustNotContain(t, body, "Lemuel Foundagain", `rel="prev"`)

	body = s.get("/cases?page=2").Body.String()
	mustContain(t, body, "page 2 of 3", `rel="prev"`, `href="/cases?page=3"`)

	body = s.get("/cases?region=Labrador&sex=male&age_min=11&age_max=40&since=2026-01-01&until=2026-12-31&sort=name").Body.String()
	mustContain(t, body,
		`<option value="Labrador" selected>`, `<option value="male" selected>`,
		`id="age_min" name="age_min" value="11"`, `id="age_max" name="age_max" value="40"`,
		`value="2026-01-01"`, `value="2026-12-31"`, `<option value="name" selected>`)
	// Labrador = index 4 of 5 regions, male = odd i; ages 11..40 → i 1..30.
	// i ≡ 4 (mod 5) and odd: 9, 19, 29.
	mustContain(t, body, "3 people found", "Person 09", "Person 19", "Person 29")
	if strings.Index(body, "Person 09") > strings.Index(body, "Person 19") {
		t.Error("sort=name not applied")
	}

	body = s.get("/cases?q=quidi").Body.String()
	mustContain(t, body, "1 person found", "Ophelia Quidi Vidi", `value="quidi"`, "<option value=\"\" selected>Best match</option>")

	body = s.get("/cases?status=located").Body.String()
	mustContain(t, body, "Lemuel Foundagain", "1 person found")
	body = s.get("/cases?status=all").Body.String()
	mustContain(t, body, "47 people found")
}

func TestListingEmptyStateSuggestsWidening(t *testing.T) {
	s := newSite(t)
	seedListing(t, s)
	body := s.get("/cases?q=zzznotaname&region=Western").Body.String()
	mustContain(t, body, "0 people found", "No one matches this search", "Try widening it", `href="/cases?q=zzznotaname&amp;region=Western&amp;status=all"`)
	body = s.get("/cases?page=99").Body.String()
	mustContain(t, body, "No one matches", `rel="prev"`)
}

func TestListingBadParametersFallBack(t *testing.T) {
	s := newSite(t)
	seedListing(t, s)
	bad := map[string]string{
		"status=bogus":                       "Status must be missing, located or all",
		"status=pending":                     "Status must be missing, located or all",
		"status=archived":                    "Status must be missing, located or all",
		"region=Narnia":                      "Region must be one of",
		"sex=robot":                          "Sex must be one of",
		"age_min=-5":                         "Minimum age must be",
		"age_min=abc":                        "Minimum age must be",
		"age_max=1e9":                        "Maximum age must be",
		"age_max=99999999999999999999999999": "Maximum age must be",
		"age_min=50&age_max=10":              "minimum age was above the maximum",
		"since=2026-13-45":                   "last seen from",
		"until=yesterday":                    "last seen until",
		"since=1800-01-01":                   "last seen from",
		"since=2026-06-01&until=2026-01-01":  "“from” date was after",
		"sort=random":                        "Sort must be recent, oldest or name",
		"sort=" + url.QueryEscape("name; DROP TABLE cases"): "Sort must be",
		"page=0":                         "page number was not valid",
		"page=-3":                        "page number was not valid",
		"page=abc":                       "page number was not valid",
		"page=99999999":                  "page number was too large",
		"q=%FF%FE":                       "could not read",
		"q=" + strings.Repeat("a", 5000): "was shortened",
	}
	for qs, msg := range bad {
		t.Run(truncate(qs, 40), func(t *testing.T) {
			rec := s.get("/cases?" + qs)
			wantStatus(t, rec, http.StatusOK)
			body := rec.Body.String()
			mustContain(t, body, "Some search settings could not be used", htmlEscapeForTest(msg))
			assertNoInlineCode(t, body)
			// The API refuses the same values with a JSON 400.
			api := s.get("/api/v1/cases?" + qs)
			wantStatus(t, api, http.StatusBadRequest)
			mustContain(t, api.Body.String(), `{"error":"`)
		})
	}
	// Hostile but valid search text is just searched for and echoed escaped.
	for _, q := range []string{xssScript, xssAttr, sqlMeta, `"unbalanced`, `NEAR(a b)`, `*`, `a OR b AND NOT c`, "%", "_"} {
		rec := s.get("/cases?q=" + url.QueryEscape(q))
		wantStatus(t, rec, http.StatusOK)
		mustNotContain(t, rec.Body.String(), xssScript, "<img src=x")
		wantStatus(t, s.get("/api/v1/cases?q="+url.QueryEscape(q)), http.StatusOK)
	}
	// Repeated and unknown parameters are harmless.
	wantStatus(t, s.get("/cases?status=missing&status=located&foo=bar&page=1&page=2"), http.StatusOK)
}

func htmlEscapeForTest(s string) string {
	return strings.NewReplacer("'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;", "&", "&amp;").Replace(s)
}

func TestPaginateWindow(t *testing.T) {
	f := form.ListFilter{Status: "missing", Page: 10}
	pg := site.Paginate(f, 1000, 20)
	var nums []int
	gaps := 0
	for _, l := range pg.Links {
		nums = append(nums, l.N)
		if l.Gap {
			gaps++
		}
	}
	if fmt.Sprint(nums) != "[1 8 9 10 11 12 50]" || gaps != 2 {
		t.Errorf("links %v gaps %d", nums, gaps)
	}
	if pg.Prev != "/cases?page=9" || pg.Next != "/cases?page=11" {
		t.Errorf("prev %q next %q", pg.Prev, pg.Next)
	}
	if pg := site.Paginate(form.ListFilter{Page: 1}, 5, 20); len(pg.Links) != 0 || pg.Prev != "" || pg.Next != "" {
		t.Errorf("single page %+v", pg)
	}
}

// TestListingChips: after a search the filter panel stays closed (results
// first on a phone) and every active filter is a chip whose link removes
// that filter and keeps the others.
func TestListingChips(t *testing.T) {
	s := newSite(t)
	seedListing(t, s)
	body := s.get("/cases?q=person&region=Labrador&sex=male&age_min=11&since=2026-01-01&status=all").Body.String()
	mustContain(t, body,
		`<details class="more-filters">`,
		`(6 active)`,
		`<a class="chip" href="/cases?age_min=11&amp;region=Labrador&amp;sex=male&amp;since=2026-01-01&amp;status=all">“person”`,
		`<a class="chip" href="/cases?age_min=11&amp;q=person&amp;region=Labrador&amp;sex=male&amp;since=2026-01-01">Missing and located`,
		`<a class="chip" href="/cases?age_min=11&amp;q=person&amp;sex=male&amp;since=2026-01-01&amp;status=all">Region: Labrador`,
		`>Sex: Male<`,
		`>Age from 11<`,
		`>Last seen from January 1, 2026<`,
	)
	mustNotContain(t, body, "<details class=\"more-filters\" open")
	// The chips come before the results.
	if strings.Index(body, `class="chip"`) > strings.Index(body, `id="result-count"`) {
		t.Error("chips must come before the results")
	}
	// No filter: no chips.
	body = s.get("/cases").Body.String()
	mustNotContain(t, body, `class="chip"`, "active)")
	// Hostile text in q is escaped in the chip label.
	body = s.get("/cases?q=" + url.QueryEscape(`<script>x</script>`)).Body.String()
	mustNotContain(t, body, "<script>x</script>")
	mustContain(t, body, "“&lt;script&gt;x&lt;/script&gt;”")
}

// TestListingPaginationMarkup: the result count and the page links of a
// listing in the middle of eight pages, with a query whose & must be
// escaped, in English and French, exactly as cases.html wrote them before
// they moved to Go (site.pageLinks; the expected text is that template's
// output).
func TestListingPaginationMarkup(t *testing.T) {
	s := newSite(t)
	for i := range 150 {
		s.addCase(store.StatusMissing, func(c *store.Case) {
			c.FullName = fmt.Sprintf("Paged %03d Person", i)
			c.PoliceFileNumber = fmt.Sprintf("P-%d", i)
			c.Region = "Western"
		})
	}
	section := func(body, from, to string) string {
		i := strings.Index(body, from)
		if i < 0 {
			t.Fatalf("no %q in the page", from)
		}
		j := strings.Index(body[i:], to)
		if j < 0 {
			t.Fatalf("no %q after %q in the page", to, from)
		}
		return body[i : i+j+len(to)]
	}
	for _, path := range []string{"/cases?region=Western&page=4", "/fr/cases?region=Western&page=4", "/cases?region=Western&page=8"} {
		body := s.get(path).Body.String()
		got := section(body, `<p id="result-count"`, "</p>") + "\n" + section(body, `<nav class="pagination"`, "</nav>\n\n</div>")
		want := paginationGolden[path]
		if got != want {
			t.Errorf("%s:\n%s\nwant:\n%s", path, got, want)
		}
	}
}
