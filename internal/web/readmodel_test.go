package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/pagecache"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/store"
)

// The public listing answers from the read model: name search that
// forgives typos and nicknames, "Did you mean" when nothing matched, and
// the live search's prefix match.
func TestListingSearchFromReadModel(t *testing.T) {
	s := newSite(t)
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Kit Gullcry"; c.PoliceFileNumber = "RM-1" })
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "William MacDonald"; c.PoliceFileNumber = "RM-2" })
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Margaret Walsh"; c.PoliceFileNumber = "RM-3" })

	// A nickname and a spelling variant (FULLTEXT found neither).
	body := s.get("/cases?q=Bill+McDonald").Body.String()
	mustContain(t, body, "1 person found", "William MacDonald")
	mustNotContain(t, body, "did-you-mean")

	// Nothing matches: the page offers the near spelling as a link that
	// keeps the other filters, inside the live region the script swaps.
	body = s.get("/cases?q=Kit+Gxllcrxx&sex=female").Body.String()
	mustContain(t, body, "0 people found", "No one matches this search", `<p class="did-you-mean" id="did-you-mean">Did you mean <a href="/cases?`)
	i := strings.Index(body, `id="did-you-mean"`)
	link := body[i:]
	link = link[strings.Index(link, `href="`)+len(`href="`):]
	link = strings.ReplaceAll(link[:strings.IndexByte(link, '"')], "&amp;", "&")
	if !strings.Contains(link, "sex=female") || strings.Contains(link, "Gxllcrxx") {
		t.Fatalf("suggestion link %q", link)
	}
	if !strings.Contains(body[strings.Index(body, `id="results"`):], `id="did-you-mean"`) {
		t.Error("the suggestion is outside #results, so live search would not show it")
	}
	mustContain(t, s.get(link).Body.String(), "1 person found", "Kit Gullcry")

	// Nonsense: no suggestion to offer.
	mustNotContain(t, s.get("/cases?q=Zzyzx+Qwerty").Body.String(), "did-you-mean")

	// The live search takes the last word as a prefix; the plain search
	// does not.
	mustContain(t, s.get("/cases?q=Marg").Body.String(), "0 people found")
	body = s.get("/cases?q=Marg&live=1").Body.String()
	mustContain(t, body, "1 person found", "Margaret Walsh")
	// The live parameter never leaks into the links the page shows.
	mustNotContain(t, s.get("/cases?q=a&live=1").Body.String(), "live=1", "&amp;live")

	// Hostile values of live are an ordinary search, never an error.
	for _, v := range []string{"0", "true", "%00", "1%201", strings.Repeat("1", 5000)} {
		rec := s.get("/cases?q=Marg&live=" + v)
		if rec.Code != http.StatusOK {
			t.Fatalf("live=%.20s: %d", v, rec.Code)
		}
		mustContain(t, rec.Body.String(), "0 people found")
	}

	// The API listing takes the same parameter.
	mustContain(t, s.get("/api/v1/cases?q=Marg&live=1").Body.String(), `"total":1`, "Margaret Walsh")
	mustContain(t, s.get("/api/v1/cases?q=Marg").Body.String(), `"total":0`)
}

// A write through the site shows on the next page (the model is brought
// to the content revision), and the home page counts from the model.
func TestHomeAndListingFollowWrites(t *testing.T) {
	s := newSite(t)
	mustContain(t, s.get("/").Body.String(), "0 people are listed as missing")
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Newly Added"; c.PoliceFileNumber = "RM-W" })
	mustContain(t, s.get("/").Body.String(), "1 person is listed as missing", "Newly Added")
	mustContain(t, s.get("/cases?q=newly").Body.String(), "1 person found")
}

// gunzip returns the body of rec, gunzipped when it says it is gzip.
func gunzip(t *testing.T, rec *httptest.ResponseRecorder) (body []byte, gzipped bool) {
	t.Helper()
	if rec.Header().Get("Content-Encoding") != "gzip" {
		return rec.Body.Bytes(), false
	}
	zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return b, true
}

// Pages and the API come back gzipped through the real handler when the
// client asks (with and without the page cache), plain otherwise, the same
// content either way; the static assets keep their own precompressed gzip.
func TestCompressedAnswers(t *testing.T) {
	for _, cached := range []bool{false, true} {
		s := newSite(t, func(d *Deps) {
			if cached {
				d.PageCache = pagecache.New(pagecache.Options{})
			}
		})
		id := s.addCase(store.StatusMissing, func(c *store.Case) {
			c.FullName = "Gzip Tester"
			c.PoliceFileNumber = "RM-Z"
			c.Circumstances = strings.Repeat("Last seen walking along the harbour road towards the wharf. ", 20)
		})
		for i := range 5 {
			s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Listed Person"; c.PoliceFileNumber = "RM-L" + strconv.Itoa(i) })
		}
		for _, u := range []string{"/cases/" + strconv.FormatInt(id, 10), "/api/v1/cases", "/api/v1/cases/" + strconv.FormatInt(id, 10), "/cases", "/", "/cases/999999"} {
			plain := s.get(u)
			if plain.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: encoded without being asked", u)
			}
			if !strings.Contains(plain.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("%s: no Vary: Accept-Encoding", u)
			}
			req := httptest.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("Accept-Encoding", "gzip, deflate, br")
			rec := s.do(req)
			body, gz := gunzip(t, rec)
			if !gz {
				t.Errorf("%s (cache %v): not gzipped when asked", u, cached)
				continue
			}
			if rec.Code != plain.Code {
				t.Errorf("%s: status %d gzipped, %d plain", u, rec.Code, plain.Code)
			}
			// Error pages quote their own request id; other answers must
			// be the same bytes.
			if rec.Code == http.StatusOK && !bytes.Equal(body, plain.Body.Bytes()) {
				t.Errorf("%s (cache %v): gzipped answer differs from the plain one", u, cached)
			}
			if rec.Body.Len()*2 > plain.Body.Len() {
				t.Errorf("%s: %d bytes gzipped of %d", u, rec.Body.Len(), plain.Body.Len())
			}
			req = httptest.NewRequest(http.MethodGet, u, nil)
			req.Header.Set("Accept-Encoding", "gzip;q=0, br")
			if rec := s.do(req); rec.Header().Get("Content-Encoding") != "" {
				t.Errorf("%s: gzip sent to a client that refused it", u)
			}
		}
		// The stylesheet is served from its precompressed copy, once.
		css := assetURLs(s.get("/").Body.String())[0]
		req := httptest.NewRequest(http.MethodGet, css, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := s.do(req)
		body, gz := gunzip(t, rec)
		if !gz || !bytes.Equal(body, s.get(css).Body.Bytes()) {
			t.Errorf("%s: precompressed gzip broken (gzipped %v)", css, gz)
		}
	}
}

// With the production wiring (a model kept current by its Watch, not per
// request), a moderator's successful public write on this instance nudges
// the model, so the change shows without waiting for the next poll: here
// the poll is an hour away, so only the nudge can bring it.
func TestPublicWriteNudgesReadModel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var m *readmodel.Model
	s := newAdminSite(t, func(d *Deps) {
		var err error
		if m, err = readmodel.New(ctx, d.Store, readmodel.SearchIndex, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		d.Model = m
	})
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Nudge Casetest" })
	// Written behind the model's back (straight to the store): not shown.
	mustContain(t, s.browser().get("/cases?q=nudge").Body.String(), "0 people found")
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		m.Watch(ctx, s.st.ContentRevision, time.Hour)
	}()
	defer func() { cancel(); <-watched }()
	// Watch's first check runs at once; wait for it, then make the write.
	waitFor(t, func() bool { rev, _ := s.st.ContentRevision(ctx); return m.Revision() == rev })
	s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Abigail Nudge" })
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/updates", id), url.Values{"body": {"Searchers found a glove."}}), http.StatusSeeOther)
	waitFor(t, func() bool { rev, _ := s.st.ContentRevision(ctx); return m.Revision() == rev })
	mustContain(t, s.browser().get("/cases?q=nudge").Body.String(), "2 people found", "Abigail Nudge")
}

// waitFor polls cond until it holds, failing the test after a generous
// bound (a hang, not a slow machine).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for range 2000 {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("condition never held")
}

// A model its watcher has not confirmed against the database recently is
// not trusted as it is: the database is asked, so with the database out
// of reach listings, home and the API answer 503 as they did when they
// were queries, and with it reachable they answer at once.
func TestUnconfirmedModelAsksTheDatabase(t *testing.T) {
	for _, tc := range []struct {
		within time.Duration
		dbDown bool
		want   int
	}{
		{time.Hour, false, http.StatusOK},
		{time.Hour, true, http.StatusOK}, // confirmed: no database needed
		{time.Nanosecond, false, http.StatusOK},
		{time.Nanosecond, true, http.StatusServiceUnavailable},
	} {
		s := newSite(t, func(d *Deps) {
			m, err := readmodel.New(context.Background(), d.Store, readmodel.SearchIndex, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			d.Model, d.ModelConfirmWithin = m, tc.within
			d.IsUnavailable = func(error) bool { return true } // a closed store counts as down here
		})
		s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Confirmed Walsh"; c.PoliceFileNumber = "RM-C" })
		if tc.dbDown {
			_ = s.st.Close()
			s.allow5xx = true
		}
		for _, u := range []string{"/", "/cases", "/cases?q=walsh", "/api/v1/cases"} {
			rec := s.do(httptest.NewRequest(http.MethodGet, u, nil))
			if rec.Code != tc.want {
				t.Errorf("%s (confirmed within %v, database down %v): %d, want %d", u, tc.within, tc.dbDown, rec.Code, tc.want)
			}
		}
	}
}

// A public case's page comes from the read model, which holds every case
// page of a small site: no query for the case, its photos or its updates.
// A write shows on the next view; a case no longer public falls through
// to the database, which tells an archived case (410) from none (404).
func TestCasePageFromReadModel(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Odile Fernworth"
		c.Circumstances = "Left for the berry grounds at dawn."
		c.PoliceFileNumber = "RM-PAGE"
	})
	ctx := context.Background()
	if _, err := s.st.AddUpdate(ctx, id, "Searchers walked the barrens.", nil); err != nil {
		t.Fatal(err)
	}
	pageReads := storeReads(s.st, "get_case", "list_photos", "list_updates")
	page := "/cases/" + strconv.FormatInt(id, 10)
	mustContain(t, s.get(page).Body.String(), "Odile Fernworth", "Left for the berry grounds at dawn.", "Searchers walked the barrens.")
	mustContain(t, s.get("/fr"+page).Body.String(), "Odile Fernworth", "Searchers walked the barrens.")
	if r := pageReads(); len(r) != 0 {
		t.Errorf("case page read the database: %v", r)
	}

	// A new update is on the next view.
	if _, err := s.st.AddUpdate(ctx, id, "A hat was found by the pond.", nil); err != nil {
		t.Fatal(err)
	}
	mustContain(t, s.get(page).Body.String(), "A hat was found by the pond.", "Searchers walked the barrens.")

	// Archived: out of the model, 410 from the database.
	if err := s.st.TransitionCase(ctx, id, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.get(page), http.StatusGone)
	if r := pageReads(); len(r) == 0 {
		t.Error("an archived case was answered without asking the database")
	}
	wantStatus(t, s.get("/cases/987654"), http.StatusNotFound)
}

// After a moderator's write, the case page shows it at once even though
// the read model (rebuilt by its watcher, which this test does not run)
// still holds the previous snapshot: until the model has the write, the
// page reads the database, and no page built meanwhile outlives it in the
// page cache. Once the model has caught up, the page is read from it.
func TestOwnWriteShownBeforeTheModelRebuilds(t *testing.T) {
	var m *readmodel.Model
	cache := pagecache.New(pagecache.Options{TTL: time.Hour})
	s := newAdminSite(t, func(d *Deps) {
		var err error
		if m, err = readmodel.New(context.Background(), d.Store, readmodel.SearchIndex, slog.New(slog.DiscardHandler)); err != nil {
			t.Fatal(err)
		}
		d.Model = m
		d.ModelConfirmWithin = time.Hour // confirmed at New; no watcher runs
		d.PageCache = cache
	})
	mod, _ := s.staff()
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Petra Kellyanne" })
	if err := m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/cases/%d", id)
	mustContain(t, s.browser().get(page).Body.String(), "Petra Kellyanne")

	reads := storeReads(s.st, "get_case")
	wantStatus(t, mod.post("/admin"+page+"/updates", url.Values{"body": {"Boots found at the trailhead."}}), http.StatusSeeOther)
	for range 2 { // built, then from the page cache
		mustContain(t, s.browser().get(page).Body.String(), "Boots found at the trailhead.")
	}
	if len(reads()) == 0 {
		t.Error("the case page did not read the database while the model lacked the write")
	}

	// The model catches up: the page cache drops what was built before,
	// and the page is read from the model again.
	if err := m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cache.Confirm(m.Revision()) // what the cache's watcher does (serve.go)
	reads()
	mustContain(t, s.browser().get(page).Body.String(), "Boots found at the trailhead.")
	if r := reads(); len(r) != 0 {
		t.Errorf("%d database reads once the model had the write", len(r))
	}
}

// storeReads records the store operations named in ops from now on; the
// function it returns gives those recorded since its last call.
func storeReads(st *store.Store, ops ...string) func() []string {
	var mu sync.Mutex
	var seen []string
	st.SetObserver(func(op string, _ time.Duration) {
		if slices.Contains(ops, op) {
			mu.Lock()
			seen = append(seen, op)
			mu.Unlock()
		}
	})
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		out := seen
		seen = nil
		return out
	}
}
