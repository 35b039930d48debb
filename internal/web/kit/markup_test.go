package kit

import (
	"html/template"
	"strings"
	"testing"
)

// TestMarkupEscapesAsHTMLTemplate: Markup writes exactly what html/template
// writes for the same value in the same place, hostile values included, so
// a part of a page moved from a template to Go escapes as before.
func TestMarkupEscapesAsHTMLTemplate(t *testing.T) {
	values := []string{
		"Kit Gullcry", `<script>alert("x")</script>`, `a & b 'c' "d" +e`, "nul\x00byte",
		"Côté ☺ Saint-Pierre", "\xff\xfe invalid", "</title><b>", "{{.}}", "",
		"/cases/12?tip=sent#tip", "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fx.test%2Fcases%2F1",
		"mailto:?subject=Missing%20A&body=x", "javascript:alert(1)", "JavaScript:x", "data:text/html,<b>",
		"vbscript:x", "/a b/c'd\"e(f)g<h>", "tel:709 555 0100", "//evil.test/x", "/x:y", "%zz%4", "%41%4",
		"http://h.test/%E2%98%BA?q=a+b&r=1", "HTTPS://X.TEST/", "/fr/cases?status=located&page=2", "\t\n\r /x",
		"#frag", "?q=é", "/cases/1?x=[a]&y=@!$*,;",
	}
	text := template.Must(template.New("t").Parse(`<p title="{{.}}">{{.}}</p><title>{{.}}</title>`))
	href := template.Must(template.New("u").Parse(`<a href="{{.}}">`))
	tel := template.Must(template.New("u").Parse(`<a href="tel:{{.}}">`))
	for _, v := range values {
		var want strings.Builder
		if err := text.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		var m Markup
		m.Raw(`<p`)
		m.Attr("title", v)
		m.Raw(`>`)
		m.Text(v)
		m.Raw(`</p><title>`)
		m.Text(v)
		m.Raw(`</title>`)
		if got := string(m.HTML()); got != want.String() {
			t.Errorf("Text(%q):\n got %s\nwant %s", v, got, want.String())
		}
		want.Reset()
		if err := href.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		var u Markup
		u.Raw(`<a href="`)
		u.URL(v)
		u.Raw(`">`)
		if got := string(u.HTML()); got != want.String() {
			t.Errorf("URL(%q):\n got %s\nwant %s", v, got, want.String())
		}
		want.Reset()
		if err := tel.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		var p Markup
		p.Raw(`<a href="tel:`)
		p.URLPart(v)
		p.Raw(`">`)
		if got := string(p.HTML()); got != want.String() {
			t.Errorf("URLPart(%q):\n got %s\nwant %s", v, got, want.String())
		}
	}
}
