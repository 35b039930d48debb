package kit

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// Card is one case card of the home page and the listings with every
// string it shows prepared. The "card" partial (_partials.html) is its
// reference rendering; CardList writes the same bytes without running a
// template: html/template calls its escapers through reflection, about a
// dozen calls per card, which was most of a listing page's cost.
type Card struct {
	URL, Img, Name string
	Status         store.Status // for the badge's class
	StatusLabel    string
	Verified       bool
	// Facts: the age, date and place are shown (missing persons only: a
	// located person's card shows the name only, issue 17 point 8).
	Facts       bool
	Age         string // "" when unknown or the family withdrew the details
	LastSeenISO string
	LastSeen    string
	Place       string // "Community, Region" or "Region"
}

// Cards prepares the cards of cases, in order.
func (h *Env) Cards(cases []store.Case) []Card { return h.cardsIn(i18n.For(i18n.English), cases) }

func (h *Env) cardsIn(lz *i18n.Localizer, cases []store.Case) []Card {
	out := make([]Card, len(cases))
	portrait := ""
	for i := range cases {
		c := &cases[i]
		k := &out[i]
		k.URL = i18n.Path(lz.Lang(), "/cases/"+strconv.FormatInt(c.ID, 10))
		k.Facts = c.Status == store.StatusMissing
		if c.PrimaryPhoto != nil && k.Facts && !c.PersonalWithdrawn {
			k.Img = h.PhotoURL(c.PrimaryPhoto.Key, "320")
		} else {
			if portrait == "" {
				portrait = h.Assets.URL("portrait.svg")
			}
			k.Img = portrait
		}
		k.Name = c.FullName
		k.Status, k.StatusLabel = c.Status, lz.TC("case status", StatusLabel(c.Status))
		k.Verified = c.PoliceVerified
		if !c.PersonalWithdrawn {
			k.Age = AgeText(c)
		}
		k.LastSeenISO = c.LastSeenDate.Format(time.DateOnly)
		k.LastSeen = FormatDate(c.LastSeenDate)
		if lz.Lang() != i18n.English {
			k.LastSeen = lz.Date(c.LastSeenDate)
		}
		k.Place = c.Region
		if c.Community != "" {
			k.Place = c.Community + ", " + c.Region
		}
	}
	return out
}

// CardList is the cards of cases as HTML for the HTML text context (the
// inside of a <ul class="cards">), byte for byte what ranging the "card"
// template of page over Cards(cases) gives (TestCardListMatchesTemplate).
// A card whose links are anything but plain paths or http(s) URLs of safe
// characters (never seen: ids, media names and asset names are ours) is
// rendered by the template itself, so html/template's URL filtering still
// applies to it.
func (h *Env) CardList(page string, cases []store.Case) (template.HTML, error) {
	return h.CardListIn(i18n.English, page, cases)
}

// CardListFor is CardList in the request's language.
func (h *Env) CardListFor(r *http.Request, page string, cases []store.Case) (template.HTML, error) {
	return h.CardListIn(LangFrom(r.Context()), page, cases)
}

// CardListIn is CardList in language l.
func (h *Env) CardListIn(l i18n.Lang, page string, cases []store.Case) (template.HTML, error) {
	if len(cases) == 0 {
		return "", nil
	}
	lz := i18n.For(l)
	cards := h.cardsIn(lz, cases)
	// The labels, once per list (the same words as the "card" template).
	verified := lz.T("Verified with police")
	age, lastSeen, place := lz.T("Age"), lz.T("Last seen"), lz.T("Place")
	var b strings.Builder
	b.Grow(len(cards) * 640)
	for i := range cards {
		k := &cards[i]
		if !plainURL(k.URL) || !plainURL(k.Img) {
			f, err := h.Render.FragmentLang(l, page, "card", k)
			if err != nil {
				return "", err
			}
			b.WriteString(string(f))
			continue
		}
		b.WriteString("<li class=\"card\">\n<a class=\"card-link\" href=\"")
		b.WriteString(k.URL)
		b.WriteString("\">\n<img class=\"card-img\" src=\"")
		b.WriteString(k.Img)
		b.WriteString("\" alt=\"\" width=\"320\" height=\"400\" loading=\"lazy\">\n<span class=\"card-name\">")
		escapeHTML(&b, k.Name)
		b.WriteString("</span>\n</a>\n<p class=\"card-status\"><span class=\"badge badge-")
		escapeHTML(&b, string(k.Status))
		b.WriteString("\">")
		escapeHTML(&b, k.StatusLabel)
		b.WriteString("</span>")
		if k.Verified {
			b.WriteString(" <span class=\"badge badge-verified\">")
			escapeHTML(&b, verified)
			b.WriteString("</span>")
		}
		b.WriteString("</p>\n<dl class=\"card-facts\">\n")
		if k.Facts {
			if k.Age != "" {
				b.WriteString("<div><dt>")
				escapeHTML(&b, age)
				b.WriteString("</dt><dd>")
				escapeHTML(&b, k.Age)
				b.WriteString("</dd></div>")
			}
			b.WriteString("\n<div><dt>")
			escapeHTML(&b, lastSeen)
			b.WriteString("</dt><dd><time datetime=\"")
			escapeHTML(&b, k.LastSeenISO)
			b.WriteString("\">")
			escapeHTML(&b, k.LastSeen)
			b.WriteString("</time></dd></div>\n<div><dt>")
			escapeHTML(&b, place)
			b.WriteString("</dt><dd>")
			escapeHTML(&b, k.Place)
			b.WriteString("</dd></div>\n")
		}
		b.WriteString("</dl>\n</li>\n")
	}
	// Every value above was escaped as html/template escapes it in these
	// contexts (text and quoted attributes); the URLs are checked plain.
	return template.HTML(b.String()), nil
}

// plainURL: a site path or http(s) URL made only of characters that
// html/template's URL filter, normalizer and attribute escaper all leave
// as they are.
func plainURL(u string) bool {
	if !strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return false
	}
	for i := 0; i < len(u); i++ {
		c := u[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("/._~:-", c) >= 0) {
			return false
		}
	}
	return true
}

// escapeHTML writes s escaped as html/template escapes text and quoted
// attribute values: the five HTML specials, '+' (against UTF-7 sniffing)
// and NUL (as U+FFFD). Byte by byte is enough: every byte of a multi-byte
// UTF-8 sequence is above 0x7F, and invalid bytes are kept, as there.
func escapeHTML(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case 0:
			rep = "\uFFFD"
		case '"':
			rep = "&#34;"
		case '&':
			rep = "&amp;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}
