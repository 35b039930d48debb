package kit

import (
	"strings"
	"testing"
	"time"

	"lostinnl/internal/store"
)

func testEnv(t *testing.T, photoURL func(key, variant string) string) *Env {
	t.Helper()
	h := &Env{PhotoURL: photoURL}
	var err error
	if h.Assets, err = LoadAssets(); err != nil {
		t.Fatal(err)
	}
	if h.Render, err = NewRenderer(TemplateFS, h.TemplateFuncs()); err != nil {
		t.Fatal(err)
	}
	return h
}

// CardList writes exactly what the "card" partial renders, for names and
// places full of what HTML must escape, for every optional part, and for
// links that must go through html/template's URL filter instead.
func TestCardListMatchesTemplate(t *testing.T) {
	age, born := 34, time.Date(1990, 5, 6, 0, 0, 0, 0, time.UTC)
	seen := time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	cases := []store.Case{
		{ID: 1, Status: store.StatusMissing, FullName: "Mary O'Brien", Age: &age, LastSeenDate: seen, Community: "St. John's", Region: "Avalon", PoliceVerified: true, PrimaryPhoto: &store.Photo{Key: "abc123"}},
		{ID: 22, Status: store.StatusLocated, FullName: `<script>alert("x")</script> & +1`, BirthDate: &born, LastSeenDate: seen, Region: "Labrador"},
		{ID: 333, Status: store.StatusMissing, FullName: "Nul\x00byte \xff invalid Côté", LastSeenDate: seen, Community: "Port aux <Basques>", Region: "Western", PersonalWithdrawn: true, PrimaryPhoto: &store.Photo{Key: "hidden"}},
		{ID: 4444, Status: store.Status(`odd"status`), FullName: "", Region: ""},
	}
	for _, tc := range []struct {
		name  string
		photo func(key, variant string) string
	}{
		{"plain links", func(key, v string) string { return "/media/" + key + "-" + v + ".jpg" }},
		{"links for the URL filter", func(key, v string) string { return "javascript:alert('" + key + "')" }},
		{"links to normalize", func(key, v string) string { return "/media/a b+c\"d?x=1&y=<2>/" + key }},
	} {
		h := testEnv(t, tc.photo)
		got, err := h.CardList("cases.html", cases)
		if err != nil {
			t.Fatal(err)
		}
		var want strings.Builder
		for _, k := range h.Cards(cases) {
			f, err := h.Render.Fragment("cases.html", "card", k)
			if err != nil {
				t.Fatal(err)
			}
			want.WriteString(string(f))
		}
		if string(got) != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want.String())
		}
		if strings.Contains(string(got), "<script>") || strings.Contains(string(got), "javascript:") {
			t.Errorf("%s: unescaped: %s", tc.name, got)
		}
	}
	if got, err := testEnv(t, nil).CardList("cases.html", nil); err != nil || got != "" {
		t.Errorf("no cases: %q, %v", got, err)
	}
}
