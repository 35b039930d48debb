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
)

// adminRouteRules is the expected access rule of EVERY admin route. Adding
// a route to adminRoutes without adding it here fails
// TestAdminRouteTableMatchesExpectations: a new admin page cannot slip in
// without someone deciding, in review, who may use it.
var adminRouteRules = map[string]access{
	"GET /admin/login":   public,
	"POST /admin/login":  public,
	"POST /admin/logout": public,

	"GET /admin": staff,

	"GET /admin/account/2fa":      staff,
	"POST /admin/account/2fa":     staff,
	"GET /admin/account/totp.png": staff,

	"GET /admin/reports":               staff,
	"GET /admin/reports/{id}":          staff,
	"POST /admin/reports/{id}/approve": staff,
	"POST /admin/reports/{id}/reject":  staff,

	"GET /admin/cases":                            staff,
	"GET /admin/cases/new":                        staff,
	"POST /admin/cases":                           staff,
	"GET /admin/cases/{id}":                       staff,
	"POST /admin/cases/{id}":                      staff,
	"GET /admin/cases/{id}/status":                staff,
	"POST /admin/cases/{id}/status":               staff,
	"POST /admin/cases/{id}/photos":               staff,
	"POST /admin/cases/{id}/photos/{pid}/move":    staff,
	"POST /admin/cases/{id}/photos/{pid}/primary": staff,
	"POST /admin/cases/{id}/photos/{pid}/delete":  staff,
	"POST /admin/cases/{id}/updates":              staff,
	"POST /admin/cases/{id}/updates/{uid}":        staff,
	"POST /admin/cases/{id}/updates/{uid}/delete": staff,
	"GET /admin/cases/{id}/tips":                  staff,
	"GET /admin/cases/{id}/tips.csv":              staff,
	"POST /admin/cases/{id}/tips/{tid}":           staff,
	"GET /admin/media/{name}":                     staff,

	// The reporter's additions on the case page.
	"POST /admin/cases/{id}/additions/{aid}/handled":      staff,
	"POST /admin/cases/{id}/additions/photos/{pid}/adopt": staff,

	"GET /admin/tips": staff,

	"GET /admin/messages":            staff,
	"GET /admin/messages/{id}":       staff,
	"POST /admin/messages/{id}/read": staff,

	"GET /admin/resources":              adminOnly,
	"GET /admin/resources/new":          adminOnly,
	"POST /admin/resources":             adminOnly,
	"GET /admin/resources/{id}":         adminOnly,
	"POST /admin/resources/{id}":        adminOnly,
	"POST /admin/resources/{id}/move":   adminOnly,
	"POST /admin/resources/{id}/delete": adminOnly,

	"GET /admin/users":                 adminOnly,
	"POST /admin/users":                adminOnly,
	"POST /admin/users/{id}/role":      adminOnly,
	"POST /admin/users/{id}/disable":   adminOnly,
	"POST /admin/users/{id}/enable":    adminOnly,
	"POST /admin/users/{id}/reset-2fa": adminOnly,
	"POST /admin/settings/require-2fa": adminOnly,

	"GET /admin/audit": adminOnly,

	// Password lifecycle: one's own change, an admin's reset, and the
	// set-password link of a reset (public: the link's token is the proof).
	"GET /admin/account/password":           staff,
	"POST /admin/account/password":          staff,
	"POST /admin/users/{id}/reset-password": adminOnly,
	"GET /admin/set-password":               public,
	"POST /admin/set-password":              public,
}

func TestAdminRouteTableMatchesExpectations(t *testing.T) {
	s := newAdminSite(t)
	h, _, err := newHandler(Deps{Store: s.st, Admin: &Admin{Cipher: s.cipher}})
	if err != nil {
		t.Fatal(err)
	}
	inTable := map[string]bool{}
	for _, rt := range h.routes() {
		if !isAdminPattern(rt.pattern) {
			if rt.access != public {
				t.Errorf("route %q outside /admin has a staff rule; the admin area lives under /admin", rt.pattern)
			}
			continue
		}
		inTable[rt.pattern] = true
		want, ok := adminRouteRules[rt.pattern]
		if !ok {
			t.Errorf("admin route %q is not listed in adminRouteRules: decide its access rule and add it to the test", rt.pattern)
			continue
		}
		if rt.access != want {
			t.Errorf("admin route %q has access %d, the test expects %d", rt.pattern, rt.access, want)
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
	for _, rts := range [][]route{
		{{pattern: "GET /admin/secret", h: noop}},                           // access left out: zero value is public
		{{pattern: "POST /admin/users/{id}/wipe", access: public, h: noop}}, // explicitly public
		{{pattern: "GET /admin/x", access: access(7), h: noop}},             // unknown rule
		{{pattern: "GET /admin/x", access: staff, h: noop}, {pattern: "GET /admin/x", access: staff, h: noop}},
	} {
		if err := checkAdminRoutes(rts); err == nil {
			t.Errorf("checkAdminRoutes accepted %+v", rts[0].pattern)
		}
	}
	ok := []route{
		{pattern: "GET /admin/login", access: public, h: noop},
		{pattern: "GET /admin/x", access: staff, h: noop},
		{pattern: "GET /admin/y", access: adminOnly, h: noop},
		{pattern: "GET /cases", access: public, h: noop},
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
	hh, _, err := newHandler(Deps{Store: s.st, Admin: &Admin{Cipher: s.cipher}})
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]access{}
	var patterns []string
	for _, rt := range hh.routes() {
		want, listed := adminRouteRules[rt.pattern]
		switch {
		case isAdminPattern(rt.pattern) && !listed:
			t.Errorf("admin route %q has no expected rule in adminRouteRules", rt.pattern)
			continue
		case !isAdminPattern(rt.pattern):
			want = public
		}
		if rt.access != want {
			t.Errorf("route %q: access %d, want %d", rt.pattern, rt.access, want)
		}
		rules[rt.pattern] = want
		if rt.pattern != "POST /admin/logout" {
			patterns = append(patterns, rt.pattern)
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
				case rule == public:
					if code == http.StatusForbidden || code >= 500 {
						t.Errorf("status %d", code)
					}
				case w.role == "":
					if !toLogin {
						t.Errorf("anonymous: status %d Location %q, want 303 to /admin/login", code, loc)
					}
				case rule == adminOnly && w.role == store.RoleModerator:
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
