package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// TestAdminFlowLikeTheBrowserTest walks the browser scenario over
// plain HTTP, following only links and forms found on the pages, so the
// later chromedp test has the same path: sign in with password and TOTP,
// approve a pending report with a photo, see it public with the badge,
// mark it located, see the banner, and find each step in the audit log.
func TestAdminFlowLikeTheBrowserTest(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	_, secret := s.addUser("admin@example.org", store.RoleAdmin, true)
	id := s.addCase(store.StatusPending, func(c *store.Case) { c.FullName = "Flora Flowtest"; c.PoliceVerified = false })
	p, err := media.NewPipeline(media.Config{}, nil).Process(ctx, strings.NewReader(string(testPNG(t, 64, 80))))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.bucket.PutAndCommit(ctx, []*media.Processed{p}, func(keys []string) error {
		return s.st.AddPhotos(ctx, id, []store.Photo{{Key: keys[0], Width: 64, Height: 80}}, nil)
	}); err != nil {
		t.Fatal(err)
	}

	b := s.browser()
	rec := b.get("/admin")
	wantLoginRedirect(t, rec)
	rec = b.get(rec.Header().Get("Location"))
	mustContain(t, rec.Body.String(), `id="login-form"`, `id="f-email"`, `id="f-password"`)
	rec = b.post("/admin/login", url.Values{"email": {"admin@example.org"}, "password": {testPassword}, "next": {""}})
	rec = b.get(rec.Header().Get("Location"))
	mustContain(t, rec.Body.String(), `id="code-form"`, `id="f-code"`)
	code, _ := auth.TOTPCode(secret, s.clock.Now())
	rec = b.post("/admin/login", url.Values{"code": {code}})
	wantStatus(t, rec, http.StatusSeeOther)
	rec = b.get(rec.Header().Get("Location"))
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `href="/admin/reports"`)

	rec = b.get("/admin/reports")
	link := fmt.Sprintf(`href="/admin/reports/%d"`, id)
	mustContain(t, rec.Body.String(), link, "Flora Flowtest")
	rec = b.get(fmt.Sprintf("/admin/reports/%d", id))
	body := rec.Body.String()
	mustContain(t, body, `id="approve-form"`, `id="f-police_verified"`, `id="approve"`, `src="/admin/media/`)
	img := regexp.MustCompile(`src="(/admin/media/[^"]+)"`).FindStringSubmatch(body)
	wantStatus(t, b.get(img[1]), http.StatusOK)
	vals := formValues(t, body, "approve-form")
	vals.Set("police_verified", "yes")
	rec = b.post(fmt.Sprintf("/admin/reports/%d/approve", id), vals)
	wantStatus(t, rec, http.StatusSeeOther)

	s.clock.Add(10 * time.Second) // past the public page cache
	pub := s.browser()
	list := pub.get("/cases").Body.String()
	mustContain(t, list, "Flora Flowtest", "Verified with police")

	rec = b.get(fmt.Sprintf("/admin/cases/%d", id))
	mustContain(t, rec.Body.String(), `id="to-located"`)
	rec = b.get(fmt.Sprintf("/admin/cases/%d/status?to=located", id))
	mustContain(t, rec.Body.String(), `id="status-form"`, `id="f-confirm"`)
	rec = b.post(fmt.Sprintf("/admin/cases/%d/status", id), url.Values{"to": {"located"}, "confirm": {"yes"}})
	wantStatus(t, rec, http.StatusSeeOther)
	s.clock.Add(10 * time.Second)
	mustContain(t, pub.get(fmt.Sprintf("/cases/%d", id)).Body.String(), "Located")

	audit := b.get("/admin/audit").Body.String()
	for _, a := range []string{"user.login", "case.update", "case.publish", "case.locate"} {
		mustContain(t, audit, "<code>"+a+"</code>")
	}
}

// formValues reads the named form's inputs, selects and textareas as a
// browser would submit them (checkboxes only when checked).
func formValues(t *testing.T, page, formID string) url.Values {
	t.Helper()
	i := strings.Index(page, `id="`+formID+`"`)
	if i < 0 {
		t.Fatalf("form %s not found", formID)
	}
	form := page[i:]
	form = form[:strings.Index(form, "</form>")]
	vals := url.Values{}
	attr := func(tag, name string) string {
		m := regexp.MustCompile(name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return ""
		}
		return unescapeHTML(m[1])
	}
	for _, tag := range regexp.MustCompile(`<input [^>]*>`).FindAllString(form, -1) {
		if attr(tag, "type") == "checkbox" && !strings.Contains(tag, " checked") || attr(tag, "type") == "file" {
			continue
		}
		if n := attr(tag, "name"); n != "" {
			vals.Set(n, attr(tag, "value"))
		}
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		vals.Set(m[1], unescapeHTML(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		if sel := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(m[2]); sel != nil {
			vals.Set(m[1], unescapeHTML(sel[1]))
		}
	}
	return vals
}

func unescapeHTML(s string) string {
	return strings.NewReplacer("&#39;", "'", "&#34;", `"`, "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&#43;", "+", "&amp;", "&").Replace(s)
}
