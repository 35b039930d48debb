package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/staff"
)

// adminRouteRules is the expected access rule of EVERY admin route. Adding
// a route to adminRoutes without adding it here fails
// TestAdminRouteTableMatchesExpectations: a new admin page cannot slip in
// without someone deciding, in review, who may use it.
var adminRouteRules = map[string]kit.Access{
	"GET /admin/login":   kit.Public,
	"POST /admin/login":  kit.Public,
	"POST /admin/logout": kit.Public,

	"GET /admin": kit.Staff,

	"GET /admin/account/2fa":      kit.Staff,
	"POST /admin/account/2fa":     kit.Staff,
	"GET /admin/account/totp.png": kit.Staff,

	"GET /admin/reports":               kit.Staff,
	"GET /admin/reports/{id}":          kit.Staff,
	"POST /admin/reports/{id}/approve": kit.Staff,
	"POST /admin/reports/{id}/reject":  kit.Staff,

	"GET /admin/cases":                            kit.Staff,
	"GET /admin/cases/new":                        kit.Staff,
	"POST /admin/cases":                           kit.Staff,
	"GET /admin/cases/{id}":                       kit.Staff,
	"POST /admin/cases/{id}":                      kit.Staff,
	"GET /admin/cases/{id}/status":                kit.Staff,
	"POST /admin/cases/{id}/status":               kit.Staff,
	"GET /admin/cases/{id}/merge":                 kit.Staff, // moderators merge duplicate reports
	"POST /admin/cases/{id}/merge":                kit.Staff,
	"GET /admin/cases/{id}/takedown":              kit.Staff, // moderators close cases, so they follow up the takedown
	"POST /admin/cases/{id}/photos":               kit.Staff,
	"POST /admin/cases/{id}/photos/{pid}/move":    kit.Staff,
	"POST /admin/cases/{id}/photos/{pid}/primary": kit.Staff,
	"POST /admin/cases/{id}/photos/{pid}/delete":  kit.Staff,
	"POST /admin/cases/{id}/updates":              kit.Staff,
	"POST /admin/cases/{id}/updates/{uid}":        kit.Staff,
	"POST /admin/cases/{id}/updates/{uid}/delete": kit.Staff,
	"GET /admin/cases/{id}/tips":                  kit.Staff,
	"GET /admin/cases/{id}/tips.csv":              kit.Staff,
	"POST /admin/cases/{id}/tips/{tid}":           kit.Staff,
	"GET /admin/media/{name}":                     kit.Staff,

	// The reporter's additions on the case page.
	"POST /admin/cases/{id}/additions/{aid}/handled":      kit.Staff,
	"POST /admin/cases/{id}/additions/photos/{pid}/adopt": kit.Staff,

	"GET /admin/tips": kit.Staff,

	// Public notes (issue 19): moderators decide them, like tips.
	"POST /admin/cases/{id}/notes":    kit.Staff,
	"GET /admin/notes":                kit.Staff,
	"POST /admin/notes/{nid}/approve": kit.Staff,
	"POST /admin/notes/{nid}/reject":  kit.Staff,
	"POST /admin/notes/{nid}/remove":  kit.Staff,

	"GET /admin/messages":            kit.Staff,
	"GET /admin/messages/{id}":       kit.Staff,
	"POST /admin/messages/{id}/read": kit.Staff,

	"GET /admin/resources":              kit.AdminOnly,
	"GET /admin/resources/new":          kit.AdminOnly,
	"POST /admin/resources":             kit.AdminOnly,
	"GET /admin/resources/{id}":         kit.AdminOnly,
	"POST /admin/resources/{id}":        kit.AdminOnly,
	"POST /admin/resources/{id}/move":   kit.AdminOnly,
	"POST /admin/resources/{id}/delete": kit.AdminOnly,

	"GET /admin/users":                 kit.AdminOnly,
	"POST /admin/users":                kit.AdminOnly,
	"POST /admin/users/{id}/role":      kit.AdminOnly,
	"POST /admin/users/{id}/disable":   kit.AdminOnly,
	"POST /admin/users/{id}/enable":    kit.AdminOnly,
	"POST /admin/users/{id}/reset-2fa": kit.AdminOnly,
	"POST /admin/settings/require-2fa": kit.AdminOnly,

	"GET /admin/audit": kit.AdminOnly,

	"GET /admin/outbox":                 kit.AdminOnly,
	"GET /admin/outbox/{id}":            kit.AdminOnly,
	"POST /admin/outbox/{id}/requeue":   kit.AdminOnly,
	"GET /admin/account/notifications":  kit.Staff,
	"POST /admin/account/notifications": kit.Staff,
	"POST /admin/account/language":      kit.Staff,

	// Password lifecycle: one's own change, an admin's reset, and the
	// set-password link of a reset (public: the link's token is the proof).
	"GET /admin/account/password":           kit.Staff,
	"POST /admin/account/password":          kit.Staff,
	"POST /admin/users/{id}/reset-password": kit.AdminOnly,
	"GET /admin/set-password":               kit.Public,
	"POST /admin/set-password":              kit.Public,
}

func TestAdminRouteTableMatchesExpectations(t *testing.T) {
	s := newAdminSite(t)
	h, _, err := newHandler(withMail(t, Deps{Store: s.st, Admin: &staff.Admin{Cipher: s.cipher}}))
	if err != nil {
		t.Fatal(err)
	}
	inTable := map[string]bool{}
	for _, rt := range h.routes() {
		if !isAdminPattern(rt.Pattern) {
			if rt.Access != kit.Public {
				t.Errorf("route %q outside /admin has a staff rule; the admin area lives under /admin", rt.Pattern)
			}
			continue
		}
		inTable[rt.Pattern] = true
		want, ok := adminRouteRules[rt.Pattern]
		if !ok {
			t.Errorf("admin route %q is not listed in adminRouteRules: decide its access rule and add it to the test", rt.Pattern)
			continue
		}
		if rt.Access != want {
			t.Errorf("admin route %q has access %d, the test expects %d", rt.Pattern, rt.Access, want)
		}
	}
	for p := range adminRouteRules {
		if !inTable[p] {
			t.Errorf("adminRouteRules lists %q, which is not in the route table", p)
		}
	}
}

// TestAdminRoutePublicRuleRefused: default deny at start-up. A line under
// /admin that is public (e.g. its access left at the zero value) stops New.
func TestAdminRoutePublicRuleRefused(t *testing.T) {
	noop := func(http.ResponseWriter, *http.Request) error { return nil }
	for _, rts := range [][]kit.Route{
		{{Pattern: "GET /admin/secret", Handler: noop}},                               // access left out: zero value is public
		{{Pattern: "POST /admin/users/{id}/wipe", Access: kit.Public, Handler: noop}}, // explicitly public
		{{Pattern: "GET /admin/x", Access: kit.Access(7), Handler: noop}},             // unknown rule
		{{Pattern: "GET /admin/x", Access: kit.Staff, Handler: noop}, {Pattern: "GET /admin/x", Access: kit.Staff, Handler: noop}},
	} {
		if err := checkAdminRoutes(rts); err == nil {
			t.Errorf("checkAdminRoutes accepted %+v", rts[0].Pattern)
		}
	}
	ok := []kit.Route{
		{Pattern: "GET /admin/login", Access: kit.Public, Handler: noop},
		{Pattern: "GET /admin/x", Access: kit.Staff, Handler: noop},
		{Pattern: "GET /admin/y", Access: kit.AdminOnly, Handler: noop},
		{Pattern: "GET /cases", Access: kit.Public, Handler: noop},
	}
	if err := checkAdminRoutes(ok); err != nil {
		t.Errorf("checkAdminRoutes refused a good table: %v", err)
	}
}

// routeFixtures creates one record of each kind so every path variable of
// the admin routes can name something that exists.
type routeFixtures struct {
	caseID, photoID, updateID, tipID, msgID, resID, victimID, pubID int64
	photoName                                                       string
}

func (s *adminSite) fixtures() routeFixtures {
	s.t.Helper()
	ctx := context.Background()
	var f routeFixtures
	f.caseID = s.addCase(store.StatusPending, nil)
	pub := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "TEST-PUB" })
	f.pubID = pub
	f.tipID = s.addTip(pub, "Saw her near the wharf", store.TipContact{Name: "Tim Tipster"})
	key := "k" + strings.Repeat("a", 10)
	p, err := media.NewPipeline(media.Config{}, nil).Process(ctx, strings.NewReader(string(testPNG(s.t, 40, 50))))
	if err != nil {
		s.t.Fatal(err)
	}
	err = s.bucket.PutAndCommit(ctx, []*media.Processed{p}, func(keys []string) error {
		key = keys[0]
		return s.st.AddPhotos(ctx, f.caseID, []store.Photo{{Key: keys[0], Width: 40, Height: 50}}, nil)
	})
	if err != nil {
		s.t.Fatal(err)
	}
	ps, err := s.st.ListPhotos(ctx, f.caseID)
	if err != nil || len(ps) != 1 {
		s.t.Fatalf("photos: %v %d", err, len(ps))
	}
	f.photoID, f.photoName = ps[0].ID, media.BlobName(key, media.VariantSmall)
	if f.updateID, err = s.st.AddUpdate(ctx, f.caseID, "Search continues", nil); err != nil {
		s.t.Fatal(err)
	}
	if f.msgID, err = s.st.CreateMessage(ctx, &store.Message{Name: "Mary", Email: "mary@example.com", Subject: "Hi", Body: "Hello"}); err != nil {
		s.t.Fatal(err)
	}
	rs, err := s.st.ListResources(ctx)
	if err != nil || len(rs) == 0 {
		s.t.Fatalf("resources: %v", err)
	}
	f.resID = rs[0].ID
	v, _ := s.addUser("victim@example.org", store.RoleModerator, true)
	f.victimID = v.ID
	return f
}

// path fills a route pattern's variables with fixture ids.
func (f routeFixtures) path(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	idOf := map[string]int64{"/admin/reports/": f.caseID, "/admin/cases/": f.caseID, "/admin/messages/": f.msgID,
		"/admin/resources/": f.resID, "/admin/users/": f.victimID, "/cases/": f.pubID, "/api/v1/cases/": f.pubID}
	for prefix, id := range idOf {
		if strings.HasPrefix(path, prefix+"{id}") {
			path = strings.Replace(path, "{id}", fmt.Sprint(id), 1)
		}
	}
	r := strings.NewReplacer("{pid}", fmt.Sprint(f.photoID), "{uid}", fmt.Sprint(f.updateID), "{tid}", fmt.Sprint(f.tipID), "{name}", f.photoName)
	return method, r.Replace(path)
}

// TestAdminRouteAccess requests EVERY route of the table as anonymous,
// moderator and admin: for admin routes, anonymous → 303 to the sign-in
// page and moderator on admin-only → 403; everything else never 403, never
// the sign-in redirect, never 5xx. A route outside /admin must be public.
func TestAdminRouteAccess(t *testing.T) {
	s := newAdminSite(t)
	f := s.fixtures()
	mod, adm := s.staff()
	anon := s.browser()
	hh, _, err := newHandler(withMail(t, Deps{Store: s.st, Admin: &staff.Admin{Cipher: s.cipher}}))
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]kit.Access{}
	var patterns []string
	for _, rt := range hh.routes() {
		want, listed := adminRouteRules[rt.Pattern]
		switch {
		case isAdminPattern(rt.Pattern) && !listed:
			t.Errorf("admin route %q has no expected rule in adminRouteRules", rt.Pattern)
			continue
		case !isAdminPattern(rt.Pattern):
			want = kit.Public
		}
		if rt.Access != want {
			t.Errorf("route %q: access %d, want %d", rt.Pattern, rt.Access, want)
		}
		rules[rt.Pattern] = want
		if rt.Pattern != "POST /admin/logout" {
			patterns = append(patterns, rt.Pattern)
		}
	}
	sort.Strings(patterns)
	patterns = append(patterns, "POST /admin/logout") // last: it ends the session
	type who struct {
		name string
		b    *browser
		role store.Role
	}
	for _, w := range []who{{"anonymous", anon, ""}, {"moderator", mod, store.RoleModerator}, {"admin", adm, store.RoleAdmin}} {
		for _, p := range patterns {
			rule := rules[p]
			method, path := f.path(p)
			t.Run(w.name+" "+method+" "+path, func(t *testing.T) {
				var code int
				var loc string
				if method == http.MethodGet {
					r := w.b.get(path)
					code, loc = r.Code, r.Header().Get("Location")
					if code == http.StatusForbidden && !strings.Contains(r.Body.String(), `aria-label="Admin"`) {
						t.Error("a signed-in user's 403 page must use the admin layout")
					}
				} else {
					r := w.b.post(path, url.Values{})
					code, loc = r.Code, r.Header().Get("Location")
				}
				toLogin := code == http.StatusSeeOther && strings.HasPrefix(loc, "/admin/login") && !strings.HasPrefix(loc, "/admin/login?out=1")
				switch {
				case rule == kit.Public:
					if code == http.StatusForbidden || code >= 500 {
						t.Errorf("status %d", code)
					}
				case w.role == "":
					if !toLogin {
						t.Errorf("anonymous: status %d Location %q, want 303 to /admin/login", code, loc)
					}
				case rule == kit.AdminOnly && w.role == store.RoleModerator:
					if code != http.StatusForbidden {
						t.Errorf("moderator on admin-only route: status %d, want 403", code)
					}
				default:
					if code == http.StatusForbidden || toLogin {
						t.Errorf("%s: status %d Location %q, want access", w.name, code, loc)
					}
				}
			})
		}
	}
}

// TestAdminUnknownPathAnonymous: an /admin path that matches no route
// tells an anonymous visitor nothing; it is the sign-in redirect too.
func TestAdminUnknownPathAnonymous(t *testing.T) {
	s := newAdminSite(t)
	b := s.browser()
	for _, p := range []string{"/admin/nope", "/admin/users/1/secret", "/admin/"} {
		wantLoginRedirect(t, b.get(p))
	}
	rec := b.get("/admin/cases?status=pending")
	wantLoginRedirect(t, rec)
	if loc := rec.Header().Get("Location"); loc != "/admin/login?next=%2Fadmin%2Fcases%3Fstatus%3Dpending" {
		t.Errorf("next not kept: %q", loc)
	}
}
