package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
	"lostinnl/internal/web/staff"
)

// writePurges is every route that is not a GET, with whether a successful
// write through it may change a public page (and so drops this instance's
// cached pages when the content revision moved). A new write route fails
// TestWriteRoutesDeclarePurges until it is listed here with a decision.
var writePurges = map[string]bool{
	"POST /cases/{id}/tips":         false, // tips are never public
	"POST /cases/{id}/notes":        false, // a new note waits for a moderator
	"POST /submit":                  false, // reports are pending
	"POST /report/{token}/add":      false, // additions go to moderators
	"POST /report/{token}/withdraw": false, // a pending report is never public; a published one only raises a request
	"POST /contact":                 false,
	// Subscriptions show on no public page.
	"POST /cases/{id}/follow":           false,
	"POST /alerts":                      false,
	"POST /alerts/confirm":              false,
	"POST /alerts/unsubscribe":          false,
	"POST /admin/outbox/{id}/requeue":   false,
	"POST /admin/account/notifications": false,
	"POST /admin/account/language":      false,

	"POST /admin/login":                false,
	"POST /admin/logout":               false,
	"POST /admin/set-password":         false,
	"POST /admin/account/2fa":          false,
	"POST /admin/account/password":     false,
	"POST /admin/reports/{id}/approve": true,
	"POST /admin/reports/{id}/reject":  false, // a report is never public

	"POST /admin/cases":                                   true,
	"POST /admin/cases/{id}":                              true,
	"POST /admin/cases/{id}/status":                       true,
	"POST /admin/cases/{id}/merge":                        true, // the report's photos join the (maybe public) case
	"POST /admin/cases/{id}/photos":                       true,
	"POST /admin/cases/{id}/photos/{pid}/move":            true,
	"POST /admin/cases/{id}/photos/{pid}/primary":         true,
	"POST /admin/cases/{id}/photos/{pid}/delete":          true,
	"POST /admin/cases/{id}/updates":                      true,
	"POST /admin/cases/{id}/updates/{uid}":                true,
	"POST /admin/cases/{id}/updates/{uid}/delete":         true,
	"POST /admin/cases/{id}/tips/{tid}":                   false,
	"POST /admin/cases/{id}/additions/{aid}/handled":      false,
	"POST /admin/cases/{id}/additions/photos/{pid}/adopt": true,
	"POST /admin/messages/{id}/read":                      false,

	// Public notes (issue 19).
	"POST /admin/cases/{id}/notes":    true, // the form and the approved notes appear or leave
	"POST /admin/notes/{nid}/approve": true,
	"POST /admin/notes/{nid}/reject":  false, // a pending note was never public
	"POST /admin/notes/{nid}/remove":  true,

	"POST /admin/resources":             true,
	"POST /admin/resources/{id}":        true,
	"POST /admin/resources/{id}/move":   true,
	"POST /admin/resources/{id}/delete": true,

	"POST /admin/users":                     false,
	"POST /admin/users/{id}/role":           false,
	"POST /admin/users/{id}/disable":        false,
	"POST /admin/users/{id}/enable":         false,
	"POST /admin/users/{id}/reset-2fa":      false,
	"POST /admin/users/{id}/reset-password": false,
	"POST /admin/settings/require-2fa":      false,
}

// TestWriteRoutesDeclarePurges: every write route's purge rule is declared
// in the route table and matches the decision above.
func TestWriteRoutesDeclarePurges(t *testing.T) {
	s := newAdminSite(t)
	h, _, err := newHandler(withMail(t, Deps{Store: s.st, Admin: &staff.Admin{Cipher: s.cipher}}))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, rt := range h.routes() {
		if strings.HasPrefix(rt.Pattern, "GET ") {
			if rt.Purges {
				t.Errorf("%s: a GET must not purge", rt.Pattern)
			}
			continue
		}
		seen[rt.Pattern] = true
		want, ok := writePurges[rt.Pattern]
		if !ok {
			t.Errorf("%s: write route without a purge decision in writePurges", rt.Pattern)
			continue
		}
		if rt.Purges != want {
			t.Errorf("%s: purges=%v, want %v", rt.Pattern, rt.Purges, want)
		}
	}
	for p := range writePurges {
		if !seen[p] {
			t.Errorf("writePurges lists %s, which the route table does not have", p)
		}
	}
}

// TestPurgeOnlyAfterSuccessfulWrite: a cached public page is dropped right
// after a moderator's successful change, not after a refused one, and not
// after a write no public page shows.
func TestPurgeOnlyAfterSuccessfulWrite(t *testing.T) {
	var cache *pagecache.Cache
	s := newAdminSite(t, func(d *Deps) {
		cache = pagecache.New(pagecache.Options{TTL: time.Hour, ConfirmWithin: time.Hour, Now: d.Now})
		d.PageCache = cache
	})
	mod, _ := s.staff()
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Purge Casetest" })
	tip := s.addTip(id, "Seen by the wharf", store.TipContact{})
	path := fmt.Sprintf("/cases/%d", id)
	rev, err := s.st.ContentRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cache.Confirm(rev)
	anon := s.browser()
	mustContain(t, anon.get(path).Body.String(), "Purge Casetest")
	kept := func() int { n, _ := cache.Len(); return n }
	if kept() != 1 {
		t.Fatalf("%d pages kept, want the case page", kept())
	}

	// Refused (an empty update): nothing changed, the page stays kept.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/updates", id), url.Values{"body": {""}}), http.StatusUnprocessableEntity)
	if kept() != 1 {
		t.Error("a refused write dropped the cached pages")
	}
	// A write no public page shows (a tip's state): the page stays kept.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/tips/%d", id, tip), url.Values{"state": {"forwarded"}, "notes": {"sent"}}), http.StatusSeeOther)
	if kept() != 1 {
		t.Error("a write no public page shows dropped the cached pages")
	}
	// A public update: dropped at once, and the next view shows it.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/updates", id), url.Values{"body": {"Searchers found a glove near the trail."}}), http.StatusSeeOther)
	if kept() != 0 {
		t.Error("a public change left the cached pages")
	}
	mustContain(t, anon.get(path).Body.String(), "found a glove")
}
