package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

// TestAdminLanguagePreference: the admin area follows each staff member's
// saved language (issue 18): French pages with lang="fr-CA" after they
// choose French, English again after they switch back, and nobody else's
// pages change. Only the two codes are accepted, only from the site's own
// pages, only for a signed-in user.
func TestAdminLanguagePreference(t *testing.T) {
	s := newAdminSite(t)
	mod, adm := s.staff()
	ctx := context.Background()
	u, err := s.st.GetUserByEmail(ctx, "mod@example.org")
	if err != nil {
		t.Fatal(err)
	}
	lang := func() string {
		t.Helper()
		got, err := s.st.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Lang
	}

	rec := mod.get("/admin")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `<html lang="en-CA">`, ">Dashboard</a>", `value="fr-CA"`, `lang="fr">Français</button>`)

	// The header's switch comes back to the page it was used on.
	rec = mod.post("/admin/account/language", url.Values{"lang": {"fr-CA"}, "next": {"/admin/reports?page=2"}})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/admin/reports?page=2" {
		t.Fatalf("redirected to %q", loc)
	}
	if got := lang(); got != store.LangFrench {
		t.Fatalf("saved language %q", got)
	}
	if es := s.audit("user.lang"); len(es) != 1 || es[0].UserID == nil || *es[0].UserID != u.ID || !strings.Contains(es[0].Summary, "fr-CA") {
		t.Fatalf("audit = %+v", es)
	}
	rec = mod.get("/admin")
	wantStatus(t, rec, http.StatusOK)
	body := rec.Body.String()
	mustContain(t, body, `<html lang="fr-CA">`, ">Tableau de bord</a>", ">Se déconnecter</button>",
		"L&#39;espace du personnel est maintenant en français.", `value="en-CA"`, `lang="en">English</button>`)
	mustNotContain(t, body, ">Dashboard</a>", ">Sign out</button>")
	rec = mod.get("/admin/account/notifications")
	mustContain(t, rec.Body.String(), "<h1>Préférences</h1>", `id="f-lang-fr" name="lang" value="fr-CA" checked`, "Vous recevez ces courriels.")
	// Error pages of the admin area are in the user's language too.
	rec = mod.get("/admin/no-such-page")
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), `<html lang="fr-CA">`)
	// The French site's prefix does not reach the admin area.
	wantStatus(t, mod.get("/fr/admin"), http.StatusNotFound)

	// Someone else's pages are not affected.
	mustContain(t, adm.get("/admin").Body.String(), `<html lang="en-CA">`, ">Dashboard</a>")

	// Hostile values: a clear 400 (in the user's language), nothing saved.
	for _, bad := range []url.Values{
		{}, {"lang": {""}}, {"lang": {"fr"}}, {"lang": {"FR-CA"}}, {"lang": {"de-DE"}}, {"lang": {"en-XA"}},
		{"lang": {"en-CA\r\nX: y"}}, {"lang": {strings.Repeat("fr-CA", 40000)}},
		{"lang": {"<script>alert(1)</script>"}},
	} {
		rec := mod.post("/admin/account/language", bad)
		if bad.Get("lang") == strings.Repeat("fr-CA", 40000) {
			if rec.Code != http.StatusBadRequest && rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("huge value: status %d", rec.Code)
			}
		} else {
			wantStatus(t, rec, http.StatusBadRequest)
			mustContain(t, rec.Body.String(), "Choisissez l&#39;anglais ou le français.")
			mustNotContain(t, rec.Body.String(), "<script>alert")
		}
		if got := lang(); got != store.LangFrench {
			t.Fatalf("%v changed the language to %q", bad, got)
		}
	}
	// A "next" outside the admin area is not followed.
	for _, next := range []string{"//evil.example/", "https://evil.example/admin", "/admin/../x", "/cases", "/admin/logout"} {
		rec := mod.post("/admin/account/language", url.Values{"lang": {"fr-CA"}, "next": {next}})
		wantStatus(t, rec, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); loc != "/admin/account/notifications" {
			t.Fatalf("next %q: redirected to %q", next, loc)
		}
	}

	// Cross-site posts are refused (the site's CSRF protection).
	req := httptest.NewRequest(http.MethodPost, "/admin/account/language", strings.NewReader("lang=en-CA"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, mod.do(req), http.StatusForbidden)
	if got := lang(); got != store.LangFrench {
		t.Fatalf("a cross-site post changed the language to %q", got)
	}
	// Signed out: the sign-in page, nothing saved.
	wantLoginRedirect(t, s.browser().post("/admin/account/language", url.Values{"lang": {"en-CA"}}))
	if got := lang(); got != store.LangFrench {
		t.Fatalf("an anonymous post changed the language to %q", got)
	}

	// And back to English.
	rec = mod.post("/admin/account/language", url.Values{"lang": {"en-CA"}})
	wantStatus(t, rec, http.StatusSeeOther)
	rec = mod.get("/admin/account/notifications")
	mustContain(t, rec.Body.String(), `<html lang="en-CA">`, "<h1>Preferences</h1>", "The staff area is now in English.", `id="f-lang-en" name="lang" value="en-CA" checked`)
}
