package feed

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/i18n"
)

// NS is the Atom 1.0 namespace.
const NS = "http://www.w3.org/2005/Atom"

// ContentType is the media type a feed is served with.
const ContentType = "application/atom+xml; charset=utf-8"

// Feed is one Atom feed. ID, Title, Self and Updated are required (RFC
// 4287 §4.1.1 asks for id, title and updated; we always give a self link so
// readers can find the feed again). Author names the publisher: the RFC
// requires an author on the feed when entries have none of their own.
type Feed struct {
	ID        string    // a stable URL or tag URI; never changes for this feed
	Lang      i18n.Lang // xml:lang of the document; zero: English
	Title     string
	Subtitle  string
	Self      string // absolute URL of the feed itself
	Alternate string // absolute URL of the HTML page it mirrors
	Updated   time.Time
	Author    string
	Entries   []Entry
}

// Entry is one Atom entry. ID, Title and Updated are required.
type Entry struct {
	ID        string
	Title     string
	Link      string // absolute URL of the entry's page
	Updated   time.Time
	Published time.Time // zero: omitted
	Summary   string    // plain text
	Category  string    // e.g. the region; empty: omitted
}

type xmlFeed struct {
	XMLName  xml.Name   `xml:"feed"`
	NS       string     `xml:"xmlns,attr"`
	Lang     string     `xml:"xml:lang,attr"`
	ID       string     `xml:"id"`
	Title    xmlText    `xml:"title"`
	Subtitle *xmlText   `xml:"subtitle,omitempty"`
	Updated  string     `xml:"updated"`
	Author   xmlPerson  `xml:"author"`
	Links    []xmlLink  `xml:"link"`
	Entries  []xmlEntry `xml:"entry"`
}

type xmlText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type xmlPerson struct {
	Name string `xml:"name"`
}

type xmlLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type xmlCategory struct {
	Term string `xml:"term,attr"`
}

type xmlEntry struct {
	ID        string       `xml:"id"`
	Title     xmlText      `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published,omitempty"`
	Links     []xmlLink    `xml:"link"`
	Category  *xmlCategory `xml:"category,omitempty"`
	Summary   *xmlText     `xml:"summary,omitempty"`
}

// Write renders f as an Atom document. It refuses a feed without the
// elements RFC 4287 requires rather than write an invalid one.
func Write(w io.Writer, f Feed) error {
	b, err := Render(f)
	if err != nil {
		return err
	}
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("feed: write: %w", err)
	}
	return nil
}

// Render is Write into a byte slice, which the web layer keeps to compute
// the ETag and answer conditional requests.
func Render(f Feed) ([]byte, error) {
	if err := check(f); err != nil {
		return nil, err
	}
	x := xmlFeed{
		NS:      NS,
		Lang:    lang(f.Lang),
		ID:      Clean(f.ID),
		Title:   text(f.Title),
		Updated: stamp(f.Updated),
		Author:  xmlPerson{Name: Clean(f.Author)},
		Links:   []xmlLink{{Rel: "self", Type: "application/atom+xml", Href: Clean(f.Self)}},
	}
	if f.Subtitle != "" {
		s := text(f.Subtitle)
		x.Subtitle = &s
	}
	if f.Alternate != "" {
		x.Links = append(x.Links, xmlLink{Rel: "alternate", Type: "text/html", Href: Clean(f.Alternate)})
	}
	for _, e := range f.Entries {
		xe := xmlEntry{ID: Clean(e.ID), Title: text(e.Title), Updated: stamp(e.Updated)}
		if !e.Published.IsZero() {
			xe.Published = stamp(e.Published)
		}
		if e.Link != "" {
			xe.Links = []xmlLink{{Rel: "alternate", Type: "text/html", Href: Clean(e.Link)}}
		}
		if e.Category != "" {
			xe.Category = &xmlCategory{Term: Clean(e.Category)}
		}
		if e.Summary != "" {
			s := text(e.Summary)
			xe.Summary = &s
		}
		x.Entries = append(x.Entries, xe)
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	if err := enc.Encode(x); err != nil {
		return nil, fmt.Errorf("feed: encode: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func check(f Feed) error {
	var missing []string
	if strings.TrimSpace(f.ID) == "" {
		missing = append(missing, "id")
	}
	if strings.TrimSpace(f.Title) == "" {
		missing = append(missing, "title")
	}
	if f.Self == "" {
		missing = append(missing, "self link")
	}
	if f.Updated.IsZero() {
		missing = append(missing, "updated")
	}
	if strings.TrimSpace(f.Author) == "" {
		missing = append(missing, "author")
	}
	for i, e := range f.Entries {
		if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Title) == "" || e.Updated.IsZero() {
			missing = append(missing, fmt.Sprintf("entry %d id, title or updated", i))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("feed: missing %s", strings.Join(missing, ", "))
	}
	return nil
}

// text is plain text: the encoder escapes <, & and > so "<script>" and
// "]]>" arrive as text, never markup.
func text(s string) xmlText { return xmlText{Type: "text", Text: Clean(s)} }

// lang is the feed's xml:lang (RFC 4287 §2): readers pick fonts,
// hyphenation and speech by it.
func lang(l i18n.Lang) string {
	if l == "" {
		return string(i18n.English)
	}
	return string(l)
}

// stamp is an RFC 3339 date in UTC, whole seconds (RFC 4287 §3.3).
func stamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }

// Clean removes what XML 1.0 cannot carry at all: control characters other
// than tab, newline and carriage return, surrogates, U+FFFE/U+FFFF and
// invalid UTF-8. encoding/xml would turn them into U+FFFD; dropping them
// keeps a stray control byte in a name from showing as a box.
func Clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !xmlChar(r) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !(r == utf8.RuneError && n == 1) && xmlChar(r) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// xmlChar is the Char production of XML 1.0 §2.2.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// Validators are what the web layer needs for conditional GET.
type Validators struct {
	ETag         string    // strong, quoted: a hash of the exact bytes
	LastModified time.Time // the feed's updated, whole seconds, UTC
}

// ValidatorsOf computes the ETag of a rendered document and its
// Last-Modified. The ETag hashes the bytes, so any change (an entry leaving
// when a case closes, an edited summary) gives a new one even when
// Updated stays the same.
func ValidatorsOf(body []byte, updated time.Time) Validators {
	sum := sha256.Sum256(body)
	return Validators{
		ETag:         `"` + hex.EncodeToString(sum[:16]) + `"`,
		LastModified: updated.UTC().Truncate(time.Second),
	}
}

// ErrClosed: the case is not open, so it has no feed (the web layer answers
// 410 Gone).
var ErrClosed = errors.New("feed: case is not open")
