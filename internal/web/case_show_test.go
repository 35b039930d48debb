package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

func TestCasePageShowsEveryPublicField(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Gideon Gallowstest"
		c.Aliases = "Gid"
		c.Build = "slim"
		c.Features = "Scar over right eyebrow"
		c.Circumstances = "Last seen walking toward Signal Hill.\nHe had no coat."
	})
	ctx := context.Background()
	if _, err := s.st.AddUpdate(ctx, id, "Search teams are on the trail this morning.", nil); err != nil {
		t.Fatal(err)
	}
	rec := s.get(fmt.Sprintf("/cases/%d", id))
	wantStatus(t, rec, http.StatusOK)
	if cc := rec.Header().Get("Cache-Control"); cc != "public, max-age=60" {
		t.Errorf("Cache-Control %q", cc)
	}
	body := rec.Body.String()
	mustContain(t, body,
		"<title>Missing: Gideon Gallowstest, St. John&#39;s | Missing Persons NL</title>",
		`<meta name="description" content="Gideon Gallowstest was last seen November 20, 2026 at 21:30, Water Street, St. John&#39;s, Avalon`,
		"Also known as Gid",
		"170 cm (5 ft 7 in)", "70 kg (154 lb)", "slim", "brown", "green", "Scar over right eyebrow", "Red rain jacket",
		"November 20, 2026", "at 21:30", "Water Street", "Avalon",
		"Last seen walking toward Signal Hill.\nHe had no coat.",
		"If you have seen this person, <strong>call <a href=\"tel:911\">911</a></strong> or <strong>RNC</strong> at <a href=\"tel:709-729-8000\">709-729-8000</a> (file TEST-0001)",
		"Verified with police",
		// The tip form is one tap away from the top of the page.
		`<p class="case-jump"><a class="button" href="#tip">Send a tip</a>`,
		"Search teams are on the trail this morning.",
		`https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fmissing.example.ca%2Fcases%2F`,
		`https://x.com/intent/tweet?`,
		`mailto:?body=`,
		`class="button button-secondary copy-link"`,
		`<meta property="og:url" content="https://missing.example.ca/cases/`,
		`<link rel="canonical" href="https://missing.example.ca/cases/`,
		`action="/cases/`, `name="website"`,
		`media="print"`, `src="/static/portrait.`,
	)
	// An open case without a photo still has its share picture (text only).
	mustContain(t, body, `<meta property="og:image" content="https://missing.example.ca/cases/`,
		`/share.jpg">`, `<meta property="og:image:width" content="1200">`, `<meta property="og:image:height" content="630">`,
		`<meta name="twitter:card" content="summary_large_image">`, `/poster.pdf" type="application/pdf">Download poster`,
		`class="button button-secondary web-share" data-url="https://missing.example.ca/cases/`)
	mustNotContain(t, body, "Rita Reporter", "rita@example.com", "709-555-0100")
	assertNoInlineCode(t, body)
}

func TestCasePagePhotosAndOpenGraphImage(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	err := s.st.AddPhotos(context.Background(), id, []store.Photo{
		{Key: "k1primary", Primary: true, Width: 1600, Height: 2000},
		{Key: "k2second", Position: 1, Width: 1600, Height: 2000, Alt: "Wearing the red jacket"},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	body := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustContain(t, body,
		fmt.Sprintf(`<meta property="og:image" content="https://missing.example.ca/cases/%d/share.jpg">`, id),
		`src="/media/k1primary_800.jpg"`, `/media/k1primary_1600.jpg 1600w`,
		`alt="Wearing the red jacket"`, `class="gallery"`)
	// A gallery thumbnail opens the photo's own page, never the raw JPEG.
	mustContain(t, body, fmt.Sprintf(`<a href="/cases/%d/photos/2"><img src="/media/k2second_320.jpg"`, id))
	mustNotContain(t, body, `<a href="/media/k2second_1600.jpg"`)
	rec := s.get(fmt.Sprintf("/cases/%d/photos/2", id))
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(),
		"<h1>Photo 2 of 2: ", `src="/media/k2second_1600.jpg"`, `alt="Wearing the red jacket"`,
		fmt.Sprintf(`<a href="/cases/%d">← Back to `, id),
		fmt.Sprintf(`<a href="/cases/%d/photos/1" rel="prev">`, id))
	mustContain(t, s.get(fmt.Sprintf("/cases/%d/photos/1", id)).Body.String(), `src="/media/k1primary_1600.jpg"`, `rel="next"`)
	for _, bad := range []string{"0", "3", "-1", "01", "x", "99999999999999999999"} {
		wantStatus(t, s.get(fmt.Sprintf("/cases/%d/photos/%s", id, bad)), http.StatusNotFound)
	}
	// Listing cards and the API use the primary photo too.
	mustContain(t, s.get("/cases").Body.String(), `src="/media/k1primary_320.jpg"`)
	mustContain(t, s.get("/api/v1/cases").Body.String(), `"320":"https://missing.example.ca/media/k1primary_320.jpg"`)
}

// TestLocatedAndWithdrawnCase: from the moment a person is located, the
// page, the photo page and the API show the name and the notice only, and
// the page is noindex (header and meta); after the retention job's
// withdrawal nothing changes for the visitor.
func TestLocatedAndWithdrawnCase(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusLocated, func(c *store.Case) { c.FullName = "Libby Locatedtest" })
	ctx := context.Background()
	if err := s.st.AddPhotos(ctx, id, []store.Photo{{Key: "libbyphoto", Primary: true}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.AddUpdate(ctx, id, "Searchers checked the trail by the pond.", nil); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		rec := s.get(fmt.Sprintf("/cases/%d", id))
		wantStatus(t, rec, http.StatusOK)
		body := rec.Body.String()
		mustContain(t, body, "located-banner", "<strong>Located.</strong>", "<title>Located: Libby Locatedtest",
			"Libby Locatedtest</h1>", `<meta name="robots" content="noindex">`, "This notice will be removed on")
		mustNotContain(t, body, "libbyphoto", "/media/", "170 cm", "Red rain jacket", "Left home on foot", "<dt>Age",
			"call-box", "og:image", "share.jpg", "poster.pdf", "print-page", "web-share", "facebook.com", "x.com/intent",
			"Searchers checked", "TEST-0001", "709-729-8000", "Water Street", `name="message"`)
		if got := rec.Header().Get("X-Robots-Tag"); got != "noindex" {
			t.Errorf("%s: X-Robots-Tag %q", when, got)
		}
		photo := s.get(fmt.Sprintf("/cases/%d/photos/1", id))
		wantStatus(t, photo, http.StatusGone)
		if photo.Header().Get("X-Robots-Tag") != "noindex" {
			t.Errorf("%s: photo page not noindex", when)
		}
		api := s.get(fmt.Sprintf("/api/v1/cases/%d", id)).Body.String()
		mustContain(t, api, `"personal_withdrawn":true`, `"photo":null`, `"age":null`, `"photos":[]`, `"updates":[]`, "Libby Locatedtest")
		mustNotContain(t, api, "libbyphoto", "Red rain jacket", "Left home on foot", "Searchers checked")
	}
	check("located")
	if _, err := s.st.WithdrawPersonal(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	check("withdrawn")
}

func TestCaseTitleEscapesHostileName(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = xssAttr; c.Community = xssScript })
	body := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustNotContain(t, body, xssScript, "<img src=x")
	assertNoInlineCode(t, body)
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Error("hostile community not shown escaped")
	}
}

// TestCasePageEscapesEveryField: every text a case page prints — the
// description list, the timeline and the share links are written in Go
// (site/case_markup.go), not by html/template — arrives escaped, in both
// languages, and the police phone's tel: link cannot become a script.
func TestCasePageEscapesEveryField(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = xssAttr
		c.Build, c.HairColour, c.EyeColour = xssScript+"b", xssAttr+"h", `e' onmouseover='x`
		c.Features, c.Clothing = xssScript+"f", "</dd></dl><script>c</script>"
		c.LastSeenPlace, c.Community = xssAttr+"p", xssScript+"m"
		c.PoliceAgency, c.PoliceFileNumber = xssScript+"a", `"><b>n`
		c.PolicePhone = `javascript:alert(1)" onclick="x`
		c.Aliases, c.Circumstances = xssAttr+"al", "Left <script>circ</script> & went"
	})
	if _, err := s.st.AddUpdate(context.Background(), id, "Update "+xssScript+" & "+xssAttr, nil); err != nil {
		t.Fatal(err)
	}
	s.purge()
	for _, p := range []string{"/cases/%d", "/fr/cases/%d"} {
		rec := s.get(fmt.Sprintf(p, id))
		wantStatus(t, rec, http.StatusOK)
		body := rec.Body.String()
		mustNotContain(t, body, "<script>", "<img src=x", "<b>n", `onmouseover='x`, `" onclick="x`, "</dd></dl><script>")
		assertNoInlineCode(t, body)
		mustContain(t, body,
			"&lt;script&gt;alert(1)&lt;/script&gt;b", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;h", "e&#39; onmouseover=&#39;x",
			"&lt;/dd&gt;&lt;/dl&gt;&lt;script&gt;c&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;a",
			`href="tel:javascript:alert%281%29%22%20onclick=%22x"`,
			"Update &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;&gt;&lt;img",
			"&#34;&gt;&lt;img src=x onerror=alert(1)&gt;al", "Left &lt;script&gt;circ&lt;/script&gt; &amp; went",
			"<strong>&lt;script&gt;alert(1)&lt;/script&gt;a</strong>")
	}
}

// The empty tip form is rendered once and reused (caseView.TipBlank). A
// form shown again with a visitor's values and errors must be rendered
// for that request only, and must never leak into the shared copy that
// the next visitor of any case gets.
func TestCaseTipFormSharedBlankDoesNotLeak(t *testing.T) {
	s := newSite(t)
	a := s.addCase(store.StatusMissing, nil)
	b := s.addCase(store.StatusMissing, nil)
	blankControls := []string{
		`<textarea id="f-message" name="message" rows="6" maxlength="5000" required>`,
		`<input id="f-seen_at" name="seen_at" type="text" value="" maxlength="100" aria-describedby="f-seen_at-hint">`,
		`<input id="f-email" name="email" type="email" value="" maxlength="254" autocomplete="email">`,
		`<input type="text" id="f-website" name="website"`,
	}
	for _, id := range []int64{a, b} {
		rec := s.get(fmt.Sprintf("/cases/%d", id))
		wantStatus(t, rec, http.StatusOK)
		mustContain(t, rec.Body.String(), append(blankControls, fmt.Sprintf(`action="/cases/%d/tips"`, id))...)
	}

	rec := s.post(fmt.Sprintf("/cases/%d/tips", a), map[string][]string{
		"seen_at": {`Zqx lane <script>alert(1)</script>`},
		"email":   {"not-an-email"},
	})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	body := rec.Body.String()
	mustContain(t, body, `id="error-summary"`, `aria-invalid="true"`,
		`value="Zqx lane &lt;script&gt;alert(1)&lt;/script&gt;"`, `value="not-an-email"`)
	mustNotContain(t, body, "<script>alert(1)")

	s.purge()
	for _, id := range []int64{a, b} {
		body := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
		mustContain(t, body, blankControls...)
		mustNotContain(t, body, "Zqx lane", "not-an-email", `aria-invalid`, `id="error-summary"`)
	}
}
