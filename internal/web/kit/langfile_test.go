package kit

import (
	"net/http/httptest"
	"testing"

	"lostinnl/internal/i18n"
)

func TestLangFile(t *testing.T) {
	en := httptest.NewRequest("GET", "/cases/1", nil)
	fr := en.WithContext(WithLang(en.Context(), i18n.French))
	for _, tc := range []struct{ r, p, want string }{
		{"en", "/cases/1/poster.pdf", "/cases/1/poster.pdf"},
		{"fr", "/cases/1/poster.pdf", "/cases/1/poster.pdf?lang=fr"},
		{"fr", "/cases/1/poster.pdf?size=a4", "/cases/1/poster.pdf?size=a4&lang=fr"},
		{"fr", "/feeds/cases", "/feeds/cases?lang=fr"},
	} {
		r := en
		if tc.r == "fr" {
			r = fr
		}
		if got := LangFile(r, tc.p); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.r, tc.p, got, tc.want)
		}
	}
}
