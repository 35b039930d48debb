package kit

import (
	"html/template"
	"strconv"
	"strings"
)

// Markup builds a part of a page in Go, for the parts every request
// renders with many values: html/template pays a reflective call per value
// printed (its escaper) and per field it looks up, which made those parts
// most of a page's CPU (issue 15's profiles). Markup escapes exactly where
// a template would: Text for element text, RCDATA (<title>) and quoted
// attribute values; URL for href and src values. Raw is only for markup
// written in this program's source, never for data.
// TestMarkupEscapesAsHTMLTemplate holds both to html/template's output.
type Markup struct{ b strings.Builder }

// Grow makes room for n more bytes: one allocation for a part whose size
// is known roughly, instead of one each time the text doubles.
func (m *Markup) Grow(n int) { m.b.Grow(n) }

// Raw writes markup from this program's source as it is.
func (m *Markup) Raw(s string) { m.b.WriteString(s) }

// Text writes s escaped for text and quoted attribute values.
func (m *Markup) Text(s string) { escapeHTML(&m.b, s) }

// Attr writes ` name="value"`, the value escaped as Text: for the
// attributes whose value is text (labels, messages for the scripts).
func (m *Markup) Attr(name, value string) {
	m.b.WriteString(" " + name + `="`)
	escapeHTML(&m.b, value)
	m.b.WriteByte('"')
}

// Int writes n in decimal.
func (m *Markup) Int(n int) { m.b.WriteString(strconv.Itoa(n)) }

// URL writes u for a quoted href or src attribute: a scheme other than
// http, https or mailto becomes "#ZgotmplZ" (the value html/template puts
// in place of a URL it refuses), bytes a URL may not hold are
// percent-encoded (valid %XX escapes are kept), and the result is escaped
// for the attribute.
func (m *Markup) URL(u string) {
	if !safeURLScheme(u) {
		m.b.WriteString("#ZgotmplZ")
		return
	}
	m.URLPart(u)
}

// URLPart writes s as the rest of a URL whose start (a scheme such as
// "tel:", or a path) the caller wrote: encoded and escaped like URL, with
// no scheme check, as html/template treats a value after a URL's start.
func (m *Markup) URLPart(u string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == '&':
			m.b.WriteString("&amp;")
		case c == '+':
			m.b.WriteString("&#43;")
		case urlKeeps(c):
			m.b.WriteByte(c)
		case c == '%' && i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2]):
			m.b.WriteByte(c)
		default:
			m.b.WriteByte('%')
			m.b.WriteByte(hex[c>>4])
			m.b.WriteByte(hex[c&15])
		}
	}
}

// HTML is what was written, for a template to print as it is.
func (m *Markup) HTML() template.HTML { return template.HTML(m.b.String()) }

// safeURLScheme: u has no scheme (a path, a query, a fragment) or one of
// http, https and mailto. A colon after the first slash is not a scheme's.
func safeURLScheme(u string) bool {
	scheme, _, ok := strings.Cut(u, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// urlKeeps: the characters RFC 3986 allows unescaped in a URL (unreserved
// and reserved), except the quote and parentheses, which html/template
// encodes so a URL is safe in any attribute quoting and in CSS.
func urlKeeps(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!#$&*+,/:;=?@[]", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
