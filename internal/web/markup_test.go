package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

var (
	idAttrRe   = regexp.MustCompile(`\sid="([^"]*)"`)
	refAttrRe  = regexp.MustCompile(`\s(aria-describedby|aria-labelledby|for)="([^"]*)"`)
	fragLinkRe = regexp.MustCompile(`\shref="#([^"]+)"`)
	inputRe    = regexp.MustCompile(`<(input|select|textarea)\s[^>]*>`)
)

// assertMarkupRefs checks what assistive technology relies on: ids are
// unique and space-free, every id reference (label for, aria-describedby,
// aria-labelledby, in-page links) points at an existing id, and every
// visible form control has a label.
func assertMarkupRefs(t *testing.T, what, body string) {
	t.Helper()
	ids := map[string]int{}
	for _, m := range idAttrRe.FindAllStringSubmatch(body, -1) {
		ids[m[1]]++
		if strings.ContainsAny(m[1], " \t\n") || m[1] == "" {
			t.Errorf("%s: bad id %q", what, m[1])
		}
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("%s: id %q used %d times", what, id, n)
		}
	}
	for _, m := range refAttrRe.FindAllStringSubmatch(body, -1) {
		for _, ref := range strings.Fields(m[2]) {
			if ids[ref] == 0 {
				t.Errorf("%s: %s refers to missing id %q", what, m[1], ref)
			}
		}
	}
	for _, m := range fragLinkRe.FindAllStringSubmatch(body, -1) {
		if ids[m[1]] == 0 {
			t.Errorf("%s: link to missing #%s", what, m[1])
		}
	}
	labelled := map[string]bool{}
	for _, m := range refAttrRe.FindAllStringSubmatch(body, -1) {
		if m[1] == "for" {
			labelled[m[2]] = true
		}
	}
	for _, tag := range inputRe.FindAllString(body, -1) {
		if strings.Contains(tag, `type="hidden"`) || strings.Contains(tag, `type="submit"`) {
			continue
		}
		m := idAttrRe.FindStringSubmatch(tag)
		if m == nil || !labelled[m[1]] {
			t.Errorf("%s: control without a label: %s", what, tag)
		}
	}
}

func TestMarkupReferencesResolve(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.Demo = true })
	id := s.addCase(store.StatusMissing, nil)
	loc := s.addCase(store.StatusLocated, func(c *store.Case) { c.PoliceFileNumber = "M2" })
	for _, p := range []string{"/", "/cases", "/cases?age_min=x&q=none", fmt.Sprintf("/cases/%d", id), fmt.Sprintf("/cases/%d?tip=sent", id), fmt.Sprintf("/cases/%d", loc),
		"/submit", "/submit/thanks", "/resources", "/contact", "/contact/thanks", "/about", "/privacy", "/nope"} {
		assertMarkupRefs(t, p, s.get(p).Body.String())
	}
	// Pages with every error shown.
	rec := s.postMultipart("/submit", url.Values{"age": {"x"}}, nil)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	assertMarkupRefs(t, "report errors", rec.Body.String())
	rec = s.post(fmt.Sprintf("/cases/%d/tips", id), url.Values{"email": {"x"}, "phone": {"x"}, "seen_at": {"2999-01-01"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	assertMarkupRefs(t, "tip errors", rec.Body.String())
	rec = s.post("/contact", url.Values{"email": {"x"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	assertMarkupRefs(t, "contact errors", rec.Body.String())
}
