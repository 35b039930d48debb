package site

import (
	"html/template"
	"testing"

	"lostinnl/internal/i18n"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// TestListTopMatchesTemplate: listTop writes exactly what the "list-top"
// template of cases.html renders, in both languages, for every status,
// with and without problems and active filters, and with values full of
// what HTML and URLs must escape.
func TestListTopMatchesTemplate(t *testing.T) {
	h := &kit.Env{PhotoURL: func(key, v string) string { return "/media/" + key }}
	var err error
	if h.Assets, err = kit.LoadAssets(); err != nil {
		t.Fatal(err)
	}
	if h.Render, err = kit.NewLangRenderer(kit.TemplateFS, h.TemplateFuncs(), h.LangFuncs, i18n.French); err != nil {
		t.Fatal(err)
	}
	hostile := `<script>alert("x")</script> & +1 'q' ` + "\x00 \xff Côté"
	views := []listView{
		{},
		{Filter: form.ListFilter{Status: "located", Q: "Mary O'Brien"}},
		{Filter: form.ListFilter{Status: "all", Q: hostile, AgeMin: `1"2`, AgeMax: "<9>", Since: "2026-01-01", Until: "x&y"},
			Problems: []string{"Age must be a number", hostile}},
		{Filter: form.ListFilter{Status: "bogus"}, Problems: []string{""}},
	}
	chips := [][]form.Chip{
		nil,
		{{Label: "“Walsh”", Remove: "/cases"}},
		{{Label: hostile, Remove: "/fr/cases?q=a+b%20c&region=Avalon"}, {Label: "Region: Avalon", Remove: `/cases?q="><script>`},
			{Label: "x", Remove: "javascript:alert(1)"}, {Label: "y", Remove: "/cases?q=100%"}},
	}
	for _, l := range []i18n.Lang{i18n.English, i18n.French} {
		for _, v := range views {
			for _, c := range chips {
				v.Chips = c
				v.Selects, v.SortSelect = template.HTML("<div>selects</div>\n"), template.HTML("<div>sort</div>\n")
				want, err := h.Render.FragmentLang(l, "cases.html", "list-top", v)
				if err != nil {
					t.Fatal(err)
				}
				if got := listTop(i18n.For(l), &v); got != want {
					t.Fatalf("%s, filter %+v, %d chips:\n got %s\nwant %s", l, v.Filter, len(c), got, want)
				}
			}
		}
	}
}
