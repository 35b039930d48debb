package site

import (
	"html/template"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// The case page's description list, timeline and share links are written
// in Go (kit.Markup) rather than in case.html: together some fifty values
// a page, each a reflective field lookup and escaper call in a template,
// which made them a third of a cold case page's CPU (issue 15). The markup
// is the one the template had (scripts/crawl/compare.sh finds no
// difference); kit.Markup escapes as html/template does.

// caseFacts is the description list: the person's details (unless
// withdrawn), when and where last seen, and the police contact.
func caseFacts(lz *i18n.Localizer, v *caseView, c *store.Case) template.HTML {
	var m kit.Markup
	fact := func(label, value, class string) {
		if value == "" {
			return
		}
		if class == "" {
			m.Raw("<div><dt>")
		} else {
			m.Raw(`<div class="wide"><dt>`)
		}
		m.Text(label)
		if class == "" {
			m.Raw("</dt><dd>")
		} else {
			m.Raw(`</dt><dd class="multiline">`)
		}
		m.Text(value)
		m.Raw("</dd></div>")
	}
	m.Raw(`<dl class="facts">` + "\n")
	if !c.PersonalWithdrawn {
		fact(lz.TC("case page", "Age when missing"), v.Age, "")
		m.Raw("\n<div><dt>")
		m.Text(lz.T("Sex"))
		m.Raw("</dt><dd>")
		m.Text(v.Sex)
		m.Raw("</dd></div>\n")
		for _, f := range [...]struct{ label, value, class string }{
			{lz.TC("case page", "Height"), v.Height, ""},
			{lz.TC("case page", "Weight"), v.Weight, ""},
			{lz.TC("case page", "Build"), c.Build, ""},
			{lz.TC("case page", "Hair"), c.HairColour, ""},
			{lz.TC("case page", "Eyes"), c.EyeColour, ""},
			{lz.TC("case page", "Distinguishing features"), c.Features, "wide"},
			{lz.TC("case page", "Last seen wearing"), c.Clothing, "wide"},
		} {
			fact(f.label, f.value, f.class)
			m.Raw("\n")
		}
	}
	m.Raw("<div><dt>")
	m.Text(lz.T("Last seen"))
	m.Raw(`</dt><dd><time datetime="`)
	m.Text(v.SeenISO)
	m.Raw(`">`)
	m.Text(v.SeenWhen)
	m.Raw("</time></dd></div>\n")
	fact(lz.T("Place"), c.LastSeenPlace, "")
	m.Raw("\n")
	fact(lz.TC("case page", "Community"), c.Community, "")
	m.Raw("\n<div><dt>")
	m.Text(lz.T("Region"))
	m.Raw("</dt><dd>")
	m.Text(v.Region)
	m.Raw("</dd></div>\n")
	if c.PoliceAgency != "" {
		m.Raw("<div><dt>")
		m.Text(lz.TC("case page", "Police"))
		m.Raw("</dt><dd>")
		m.Text(c.PoliceAgency)
		if c.PoliceFileNumber != "" {
			m.Raw(", ")
			m.Text(lz.T("file {number}", "number", c.PoliceFileNumber))
		}
		if c.PolicePhone != "" {
			m.Raw(`, <a href="tel:`)
			m.URLPart(c.PolicePhone)
			m.Raw(`">`)
			m.Text(c.PolicePhone)
			m.Raw("</a>")
		}
		m.Raw("</dd></div>")
	}
	m.Raw("\n</dl>")
	return m.HTML()
}

// caseTimeline is the updates section, or nothing without updates.
func caseTimeline(lz *i18n.Localizer, updates []updateView) template.HTML {
	if len(updates) == 0 {
		return ""
	}
	var m kit.Markup
	m.Raw(`<section class="updates" aria-labelledby="updates-title">` + "\n" + `<h2 id="updates-title">`)
	m.Text(lz.TC("case page heading", "Updates"))
	m.Raw("</h2>\n" + `<ol class="timeline">` + "\n")
	for _, u := range updates {
		m.Raw(`<li><p class="update-date"><time datetime="`)
		m.Text(u.ISO)
		m.Raw(`">`)
		m.Text(u.Stamp)
		m.Raw("</time></p>")
		if u.Body != nil {
			contentText(&m, u.Body, "")
		}
		m.Raw("</li>\n")
	}
	m.Raw("</ol>\n</section>\n")
	return m.HTML()
}

// caseShareLinks is the share section's list and the page's address.
func caseShareLinks(lz *i18n.Localizer, v *caseView) template.HTML {
	var m kit.Markup
	newTab := func() {
		m.Raw(`<span class="visually-hidden"> `)
		m.Text(lz.TC("case page", "(opens in a new tab)"))
		m.Raw("</span></a></li>\n")
	}
	m.Raw(`<ul class="share-links">` + "\n")
	if v.Missing {
		m.Raw(`<li><button type="button" class="button button-secondary web-share" data-url="`)
		m.URL(v.URL)
		m.Raw(`" data-title="`)
		m.Text(v.ShareText)
		m.Raw(`" hidden>`)
		m.Text(lz.TC("case page", "Share…"))
		m.Raw("</button></li>\n")
	}
	m.Raw(`<li><button type="button" class="button button-secondary copy-link" data-url="`)
	m.URL(v.URL)
	m.Raw(`"`)
	if lz.Lang().Short() != "en" {
		m.Attr("data-copied", lz.T("Link copied"))
		m.Attr("data-copy-failed", lz.T("Could not copy: the link is shown below"))
	}
	m.Raw(` hidden>`)
	m.Text(lz.TC("case page", "Copy link"))
	m.Raw(`</button><span class="copy-status" aria-live="polite"></span></li>` + "\n")
	m.Raw(`<li><a class="button button-secondary" href="`)
	m.URL(v.Facebook)
	m.Raw(`" rel="noopener noreferrer" target="_blank">Facebook`)
	newTab()
	m.Raw(`<li><a class="button button-secondary" href="`)
	m.URL(v.X)
	m.Raw(`" rel="noopener noreferrer" target="_blank">X`)
	newTab()
	m.Raw(`<li><a class="button button-secondary" href="`)
	m.URL(v.Mail)
	m.Raw(`">`)
	m.Text(lz.TC("share by", "Email"))
	m.Raw("</a></li>\n" + `<li><button type="button" class="button button-secondary print-page" hidden>`)
	m.Text(lz.TC("case page", "Print poster"))
	m.Raw("</button></li>\n")
	if v.Poster != "" {
		m.Raw(`<li><a class="button button-secondary" href="`)
		m.URL(v.Poster)
		m.Raw(`" type="application/pdf">`)
		m.Text(lz.T("Download poster (PDF, Letter)"))
		m.Raw(`</a> <a href="`)
		m.URL(v.PosterA4)
		m.Raw(`" type="application/pdf">A4</a></li>` + "\n")
	}
	m.Raw("</ul>\n" + `<p class="share-url">`)
	m.Text(lz.TC("case page", "Link to this page:"))
	m.Raw(` <a href="`)
	m.URL(v.URL)
	m.Raw(`">`)
	m.Text(v.URL)
	m.Raw("</a></p>")
	return m.HTML()
}

// caseHeading is the header's status badges, name, aliases and summary.
func caseHeading(lz *i18n.Localizer, v *caseView, c *store.Case) template.HTML {
	var m kit.Markup
	m.Raw(`<p class="case-label"><span class="badge badge-`)
	m.Text(v.Status)
	m.Raw(`">`)
	m.Text(v.StatusLabel)
	m.Raw("</span>")
	if c.PoliceVerified {
		m.Raw(` <span class="badge badge-verified">`)
		m.Text(lz.T("Verified with police"))
		m.Raw("</span>")
	}
	m.Raw("</p>\n" + `<h1 id="case-name">`)
	m.Text(c.FullName)
	m.Raw("</h1>\n")
	if v.Aliases != "" {
		m.Raw(`<p class="aliases">`)
		m.Text(lz.T("Also known as {names}", "names", v.Aliases))
		m.Raw("</p>")
	}
	m.Raw("\n" + `<p class="case-summary">`)
	m.Text(lz.T("Last seen {when}, {region}.", "when", v.LastSeen, "region", v.Region))
	m.Raw("</p>")
	return m.HTML()
}

// caseCall is the call box's sentence: 911, and the police service with
// its phone and file number when known.
func caseCall(lz *i18n.Localizer, v *caseView, c *store.Case) template.HTML {
	switch {
	case c.PoliceAgency == "":
		return kit.TH(lz, `If you have seen this person, <strong>call <a href="tel:911">911</a></strong>.`)
	case c.PolicePhone != "" && c.PoliceFileNumber != "":
		return kit.TH(lz, `If you have seen this person, <strong>call <a href="tel:911">911</a></strong> or <strong>{agency}</strong> at <a href="tel:{tel}">{phone}</a> (file {file}).`,
			"agency", c.PoliceAgency, "tel", v.PoliceTel, "phone", c.PolicePhone, "file", c.PoliceFileNumber)
	case c.PolicePhone != "":
		return kit.TH(lz, `If you have seen this person, <strong>call <a href="tel:911">911</a></strong> or <strong>{agency}</strong> at <a href="tel:{tel}">{phone}</a>.`,
			"agency", c.PoliceAgency, "tel", v.PoliceTel, "phone", c.PolicePhone)
	case c.PoliceFileNumber != "":
		return kit.TH(lz, `If you have seen this person, <strong>call <a href="tel:911">911</a></strong> or <strong>{agency}</strong> (file {file}).`,
			"agency", c.PoliceAgency, "file", c.PoliceFileNumber)
	}
	return kit.TH(lz, `If you have seen this person, <strong>call <a href="tel:911">911</a></strong> or <strong>{agency}</strong>.`, "agency", c.PoliceAgency)
}

// caseCircumstances is the circumstances section, or nothing.
func caseCircumstances(lz *i18n.Localizer, t *kit.ContentText) template.HTML {
	if t == nil {
		return ""
	}
	var m kit.Markup
	m.Raw(`<section aria-labelledby="circ-title">` + "\n" + `<h2 id="circ-title">`)
	m.Text(lz.TC("case page heading", "Circumstances"))
	m.Raw("</h2>\n")
	contentText(&m, t, "\n")
	m.Raw("\n</section>\n")
	return m.HTML()
}

// contentText writes a text that may be in the page's other language: its
// "written in …" label and the text marked with its lang, sep between the
// two paragraphs; or the text alone.
func contentText(m *kit.Markup, t *kit.ContentText, sep string) {
	if t.Label != "" {
		m.Raw(`<p class="small">`)
		m.Text(t.Label)
		m.Raw("</p>" + sep + `<p class="multiline" lang="`)
		m.Text(t.Lang)
		m.Raw(`">`)
	} else {
		m.Raw(`<p class="multiline">`)
	}
	m.Text(t.Text)
	m.Raw("</p>")
}
