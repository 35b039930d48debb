package kit

import (
	"net/http"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// ContentText is a case text (circumstances, an update) ready for a page
// in the visitor's language (issue 18: texts are shown as entered, with
// the other language's version when there is one).
type ContentText struct {
	Text string
	// Lang is the lang attribute ("en", "fr") for a text in another
	// language than the page's, so screen readers pronounce it right; ""
	// when the text is in the page's language.
	Lang string
	// Label says the text is in the other language ("Written in French"),
	// "" otherwise.
	Label string
}

// ShowContent turns what store.ShowText picked into what the page prints;
// nil when there is no text at all, so templates can skip the block.
func ShowContent(r *http.Request, s store.ShownText) *ContentText {
	if s.Text == "" {
		return nil
	}
	ct := &ContentText{Text: s.Text}
	if s.Fallback {
		ct.Lang = i18n.Lang(s.Lang).Short()
		ct.Label = ContentLangLabel(L(r), s.Lang)
	}
	return ct
}

// ContentLangLabel says in lz's language which language a text is in.
func ContentLangLabel(lz *i18n.Localizer, lang string) string {
	if lang == store.ContentFrench {
		return lz.T("Written in French")
	}
	return lz.T("Written in English")
}

// PageContentLang is the page's language as a content language:
// store.ContentFrench on French pages, store.ContentEnglish on any other
// (the tests' pseudo-locale is English).
func PageContentLang(r *http.Request) string {
	if LangFrom(r.Context()) == i18n.French {
		return store.ContentFrench
	}
	return store.ContentEnglish
}

// ContentLangField is the select of the language a case is written in,
// for the staff case form (value as posted or stored; "" shows English,
// the default). The template passes the label and hint in its language.
func ContentLangField(value string, errs map[string]string, label, hint string) Field {
	f := NewField("content_lang", label, value, errs, "hint="+hint)
	f.Type = "select"
	if f.Value == "" {
		f.Value = store.ContentEnglish
	}
	// The partial translates option labels in the page's language.
	f.Options = []option{
		{store.ContentEnglish, i18n.MarkC("content language", "English"), "content language"},
		{store.ContentFrench, i18n.MarkC("content language", "French"), "content language"},
	}
	return f
}
