package store

// The languages a case's texts may be entered in (issue 18). They are
// the site's language tags (internal/i18n's English and French); the store
// keeps its own copy so it needs no import of the translation package.
const (
	ContentEnglish = "en-CA"
	ContentFrench  = "fr-CA"
)

// ValidContentLang reports whether s is a language a case may be written
// in. "" is valid: it means English, the column's default.
func ValidContentLang(s string) bool {
	return s == "" || s == ContentEnglish || s == ContentFrench
}

// defaultContentLang sets an unset ContentLang to English, the column's
// default, so what is written is what a later read gives back.
func defaultContentLang(c *Case) {
	if c.ContentLang == "" {
		c.ContentLang = ContentEnglish
	}
}

// OtherContentLang is the other of the two content languages (anything
// but French counts as English).
func OtherContentLang(lang string) string {
	if lang == ContentFrench {
		return ContentEnglish
	}
	return ContentFrench
}

// readerLang maps a page's language to a content language: French, or
// English for anything else (the pseudo-locale of the tests is English).
func readerLang(lang string) string {
	if lang == ContentFrench {
		return ContentFrench
	}
	return ContentEnglish
}

// ShownText is a case text as one reader gets it.
type ShownText struct {
	Text string
	// Lang is the language Text is written in (ContentEnglish or
	// ContentFrench).
	Lang string
	// Fallback: there is no version in the reader's language, so Text is
	// the other language's; pages label it and mark it with its lang
	// attribute so screen readers pronounce it right.
	Fallback bool
}

// ShowText picks what a reader of readerLang sees of a text entered in
// contentLang (original) with an optional version in the other language
// (alt, "" for none): the text in the reader's language when there is
// one, else the other, as a Fallback. One copy of this rule, so the case
// page, the API and mail all show the same.
func ShowText(original, alt, contentLang, reader string) ShownText {
	if contentLang == "" {
		contentLang = ContentEnglish
	}
	reader = readerLang(reader)
	mine, other := alt, original
	if reader == contentLang {
		mine, other = original, alt
	}
	if mine != "" || other == "" {
		return ShownText{Text: mine, Lang: reader}
	}
	return ShownText{Text: other, Lang: OtherContentLang(reader), Fallback: true}
}

// CircumstancesFor is the circumstances as a reader of lang sees them
// (ShowText).
func (c *Case) CircumstancesFor(lang string) ShownText {
	return ShowText(c.Circumstances, c.CircumstancesAlt, c.ContentLang, lang)
}

// BodyFor is the update as a reader of lang sees it: an update is written
// in its case's language (ShowText).
func (u *Update) BodyFor(c *Case, lang string) ShownText {
	return ShowText(u.Body, u.BodyAlt, c.ContentLang, lang)
}
