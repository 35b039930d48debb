package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/retention"
	"lostinnl/internal/store"
)

// addStoredPhoto runs a JPEG through the pipeline into the admin site's
// bucket and attaches it to case id.
func (s *adminSite) addStoredPhoto(id int64, primary bool) string {
	s.t.Helper()
	ctx := context.Background()
	p, err := media.NewPipeline(media.Config{}, nil).Process(ctx, strings.NewReader(string(testJPEG(s.t, 300, 400))))
	if err != nil {
		s.t.Fatal(err)
	}
	var key string
	err = s.bucket.PutAndCommit(ctx, []*media.Processed{p}, func(keys []string) error {
		key = keys[0]
		return s.st.AddPhotos(ctx, id, []store.Photo{{Key: key, Primary: primary, Width: 300, Height: 400}}, nil)
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return key
}

// TestTakedownEveryURL closes a case the way a moderator does (the admin
// status route, page cache on and every URL cached first), checks every
// address the appeal had, then runs the retention job at a clock past the
// public period and checks them again: 410 Gone and noindex everywhere,
// photo files deleted, the case gone from every listing.
func TestTakedownEveryURL(t *testing.T) {
	var cache *pagecache.Cache
	s := newAdminSite(t, func(d *Deps) {
		cache = pagecache.New(pagecache.Options{TTL: time.Hour, ConfirmWithin: time.Minute, Now: d.Now})
		d.PageCache = cache
		// Deps.Retention left out: the defaults, a 30-day public period.
	})
	ctx := context.Background()
	confirm := func() {
		t.Helper()
		rev, err := s.st.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cache.Confirm(rev) // what every instance's revision watcher does
	}
	const name = "Tessa Takedowntest"
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = name
		c.Features = "Scar above the left eyebrow"
	})
	keys := []string{s.addStoredPhoto(id, true), s.addStoredPhoto(id, false)}
	if _, err := s.st.AddUpdate(ctx, id, "Searchers walked the route home from school.", nil); err != nil {
		t.Fatal(err)
	}
	casePath := fmt.Sprintf("/cases/%d", id)
	var mediaURLs []string
	for _, k := range keys {
		for _, v := range media.VariantNames() {
			mediaURLs = append(mediaURLs, media.VariantURL(k, v))
		}
	}
	appeals := []string{casePath + "/poster.pdf", casePath + "/poster.pdf?size=a4", casePath + "/share.jpg"}
	photoPages := []string{casePath + "/photos/1", casePath + "/photos/2"}
	api := "/api/v1" + casePath
	// The machine-readable copies (feeds, sitemap, PFIF): lists name the
	// case while it is open, and drop it when it closes.
	region := "/feeds/regions/avalon"
	lists := []string{"/feeds/cases", region, "/sitemap.xml", "/pfif/1.4/persons.xml"}
	caseFeed, casePFIF := fmt.Sprintf("/feeds/cases/%d", id), fmt.Sprintf("/pfif/1.4/persons/%d.xml", id)
	recordID := fmt.Sprintf("case.%d</person_record_id>", id)

	anon := s.browser()
	confirm()
	// Open: everything answers, twice so the second comes from the cache.
	for range 2 {
		for _, p := range slices.Concat([]string{casePath, api, "/", "/cases?status=all"}, appeals, photoPages, mediaURLs) {
			wantStatus(t, anon.get(p), http.StatusOK)
		}
	}
	mustContain(t, anon.get(casePath).Body.String(), "og:image", media.VariantURL(keys[0], "800"), "Scar above")
	for _, p := range []string{"/feeds/cases", region, "/pfif/1.4/persons.xml"} {
		mustContain(t, anon.get(p).Body.String(), name)
	}
	mustContain(t, sitemapText(t, anon), casePath)
	wantStatus(t, anon.get(caseFeed), http.StatusOK)
	mustContain(t, anon.get(casePFIF).Body.String(), name)

	// A moderator marks the case located.
	mod, _ := s.staff()
	wantStatus(t, mod.post("/admin"+casePath+"/status", url.Values{"to": {"located"}, "confirm": {"yes"}}), http.StatusSeeOther)

	noindex := func(when, p string, rec interface{ Header() http.Header }) {
		t.Helper()
		if got := rec.Header().Get("X-Robots-Tag"); got != "noindex" {
			t.Errorf("%s: %s X-Robots-Tag %q, want noindex", when, p, got)
		}
	}
	private := []string{"/media/", "og:image", "share.jpg", "poster.pdf", "Scar above", "Red rain jacket", "Left home on foot", "route home from school", "TEST-0001"}
	for range 2 { // fresh, then from the cache
		rec := anon.get(casePath)
		wantStatus(t, rec, http.StatusOK)
		noindex("located", casePath, rec)
		mustContain(t, rec.Body.String(), "located-banner", name+"</h1>", `<meta name="robots" content="noindex">`)
		mustNotContain(t, rec.Body.String(), private...)
		for _, p := range slices.Concat(appeals, photoPages, mediaURLs) {
			rec := anon.get(p)
			wantStatus(t, rec, http.StatusGone)
			noindex("located", p, rec)
		}
		a := anon.get(api)
		wantStatus(t, a, http.StatusOK)
		mustContain(t, a.Body.String(), name, `"status":"located"`, `"personal_withdrawn":true`, `"photos":[]`, `"photo":null`)
		mustNotContain(t, a.Body.String(), private...)
		home := anon.get("/").Body.String()
		mustContain(t, home, "Recently located", name)
		mustNotContain(t, home, "/media/")
		list := anon.get("/cases?status=located").Body.String()
		mustContain(t, list, name)
		mustNotContain(t, list, "/media/")
		mustNotContain(t, anon.get("/api/v1/cases?status=located").Body.String(), "/media/", "Water Street")
		for _, p := range lists {
			mustNotContain(t, anon.get(p).Body.String(), name, "/media/")
		}
		mustNotContain(t, sitemapText(t, anon), casePath)
		// PFIF: the located case stays in the export as an expired record
		// (expiry in the past, every other field blank), so partners delete it.
		for _, p := range []string{"/pfif/1.4/persons.xml", casePFIF} {
			px := anon.get(p).Body.String()
			mustNotContain(t, px, name)
			i := strings.Index(px, recordID)
			if i < 0 {
				t.Errorf("%s: the located case's record is missing, so partners would not learn to delete it:\n%s", p, px)
				continue
			}
			if record, _, _ := strings.Cut(px[i:], "person>"); !strings.Contains(record, "expiry_date>") {
				t.Errorf("%s: the located case's record has no expiry_date: %s", p, record)
			}
		}
		fr := anon.get(caseFeed)
		wantStatus(t, fr, http.StatusGone)
		noindex("located", caseFeed, fr)
	}
	// Followers: the closing notice is queued with the status change.
	// (The update added above queued its own fan-out first.)
	closing := false
	for range 5 {
		f, err := s.st.ClaimFanout(ctx, "takedown-test", time.Minute)
		if errors.Is(err, store.ErrNotFound) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		closing = closing || f.Kind == store.FanoutCaseClosed && f.CaseID == id
	}
	if !closing {
		t.Error("no closing notice queued for the case's followers")
	}

	// The admin's takedown page.
	td := mod.get("/admin" + casePath + "/takedown")
	wantStatus(t, td, http.StatusOK)
	mustContain(t, td.Body.String(), `id="closed-at"`, "Closed ", "located notice with the name only", "410 Gone",
		"/poster.pdf", "/share.jpg", "sitemap.xml", "closing notice", "/feeds"+casePath, "an expired record",
		`<textarea id="removal-request" readonly`, "Please remove the missing-person appeal for "+name,
		"https://missing.example.ca"+casePath)
	mustContain(t, mod.get("/admin"+casePath).Body.String(), `href="/admin`+casePath+`/takedown"`)

	// The public period: not over at day 29, over at day 31.
	job := &retention.Job{Store: s.st, Blobs: s.bucket, Days: 30, Purge: retention.Policy{LocatedPublicDays: 30}, Holder: "takedown-test",
		Now: func() time.Time { return time.Now().AddDate(0, 0, 29) }}
	if res, err := job.RunOnce(ctx); err != nil || res.Archived != 0 {
		t.Fatalf("day 29: %+v %v", res, err)
	}
	job.Now = func() time.Time { return time.Now().AddDate(0, 0, 31) }
	res, err := job.RunOnce(ctx)
	if err != nil || res.Archived != 1 || res.Photos != 2 {
		t.Fatalf("day 31: %+v %v", res, err)
	}
	confirm() // the new revision: every instance drops what it cached

	for range 2 {
		for _, p := range slices.Concat([]string{casePath}, appeals, photoPages) {
			rec := anon.get(p)
			wantStatus(t, rec, http.StatusGone)
			noindex("archived", p, rec)
			mustNotContain(t, rec.Body.String(), name, "Tessa")
		}
		// The photo rows and files are deleted: nothing records that a
		// random key ever existed, so its URLs are simply not found.
		for _, p := range mediaURLs {
			wantStatus(t, anon.get(p), http.StatusNotFound)
		}
		mustContain(t, anon.get(casePath).Body.String(), "This appeal has ended", `<meta name="robots" content="noindex">`)
		for _, p := range []string{caseFeed, casePFIF} {
			rec := anon.get(p)
			wantStatus(t, rec, http.StatusGone)
			noindex("archived", p, rec)
		}
		for _, p := range lists {
			mustNotContain(t, anon.get(p).Body.String(), name, recordID)
		}
		mustNotContain(t, sitemapText(t, anon), casePath)
		wantStatus(t, anon.get(api), http.StatusNotFound)
		for _, p := range []string{"/", "/cases?status=all", "/cases?status=located", "/api/v1/cases?status=all"} {
			mustNotContain(t, anon.get(p).Body.String(), name)
		}
	}
	for _, k := range keys {
		for _, v := range media.VariantNames() {
			if _, _, err := s.bucket.Open(ctx, media.BlobName(k, v)); !errors.Is(err, media.ErrNotFound) {
				t.Errorf("photo file %s still stored (%v)", media.BlobName(k, v), err)
			}
		}
	}
	td = mod.get("/admin" + casePath + "/takedown")
	wantStatus(t, td, http.StatusOK)
	mustContain(t, td.Body.String(), "photo files deleted from storage", name)
	mustNotContain(t, td.Body.String(), "located notice with the name only", "an expired record")
	mustContain(t, td.Body.String(), "left the export; the record answers 410 Gone")
	if es := s.audit(retention.ArchiveAuditAction); len(es) != 1 {
		t.Errorf("%d archive audit entries, want 1", len(es))
	}
}

// TestTakedownPageHostileIDs: the takedown page exists only for closed
// cases; any other id, well-formed or not, is 404, never a 500.
func TestTakedownPageHostileIDs(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	open := s.addCase(store.StatusMissing, nil)
	pending := s.addCase(store.StatusPending, nil)
	rejected := s.addCase(store.StatusRejected, func(c *store.Case) { c.PoliceFileNumber = "R-2" })
	for _, id := range []string{fmt.Sprint(open), fmt.Sprint(pending), fmt.Sprint(rejected), "999999", "0", "-1", "abc", "01", "1e3",
		"99999999999999999999999", "%00", "1%3BDROP%20TABLE%20cases", "%3Cscript%3E"} {
		rec := mod.get("/admin/cases/" + id + "/takedown")
		if rec.Code != http.StatusNotFound {
			t.Errorf("id %q: status %d, want 404", id, rec.Code)
		}
	}
	// Signed out: the sign-in page, not the case.
	located := s.addCase(store.StatusLocated, func(c *store.Case) { c.PoliceFileNumber = "L-2" })
	rec := s.browser().get(fmt.Sprintf("/admin/cases/%d/takedown", located))
	if rec.Code == http.StatusOK || strings.Contains(rec.Body.String(), "removal-request") {
		t.Errorf("signed-out takedown page: %d", rec.Code)
	}
}

// sitemapText is the sitemap with every part it names, in one string
// (past 50,000 URLs the index names parts).
func sitemapText(t *testing.T, b *browser) string {
	t.Helper()
	idx := b.get("/sitemap.xml")
	wantStatus(t, idx, http.StatusOK)
	out := idx.Body.String()
	for _, m := range regexp.MustCompile(`<loc>https://missing\.example\.ca(/sitemaps/[^<]+)</loc>`).FindAllStringSubmatch(out, -1) {
		out += b.get(m[1]).Body.String()
	}
	return out
}
