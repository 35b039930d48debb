package site

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/shareimg"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// caseView is everything case.html shows, already formatted. The case page
// is the one opened by thousands of phones at once from a shared link, and
// html/template pays a reflective call for every function call, comparison
// and escaper in an action; so labels, dates, photo URLs and the tip form's
// fields are worked out here once, in plain Go, and the template mostly
// prints strings. Escaping stays html/template's job: nothing here is
// template.HTML.
type caseView struct {
	Case    *store.Case
	Primary *store.Photo // nil when there is no photo or when withdrawn
	Form    *form.TipForm
	Errors  map[string]string
	Notice  string // a server-side problem while saving the tip
	TipSent bool
	ShowTip bool

	Status      string // "missing" or "located", for class names
	StatusLabel string // "Missing", "Located"
	Missing     bool
	Located     bool
	LocatedDate string // "November 3, 2026" (when it was reported) or ""
	Aliases     string // empty when withdrawn
	LastSeen    string // date, time and place in one line
	Age         string
	Sex         string
	Height      string
	Weight      string
	Region      string           // the case's region in the page's language
	SeenISO     string           // <time datetime>
	SeenWhen    string           // the date, and the time when known
	PoliceTel   string           // the police phone as a tel: URL's rest
	PosterA4    string           // the A4 poster's link; Poster is the Letter one
	Circum      *kit.ContentText // circumstances in the page's language if they exist in it; nil when none or withdrawn

	PrimarySrc    string
	PrimarySrcset string
	PrimaryAlt    string
	Gallery       []galleryPhoto // the other photos, in order
	Portrait      string         // placeholder image when there is no photo

	Updates []updateView
	Map     *kit.PlaceMap // the last-seen area, open cases with a place only
	Notes   *notesView    // public notes (case_notes.go); nil until filled

	TipAction    string
	FollowAction string
	Summary      []kit.FieldError
	Tip          tipFields     // the form's controls with the visitor's values and errors
	TipBlank     template.HTML // or, for the empty form, those controls already rendered

	URL       string // absolute canonical URL
	Poster    string // the poster PDF's path, open cases only ("" otherwise)
	ShareText string // the text the Web Share button passes
	Facebook  string
	X         string
	Mail      string

	// The description list, the updates and the share links, written in
	// Go (case_markup.go) from the fields above.
	Facts, Timeline, ShareLinks template.HTML
	// The header's badges, name and summary, the call box's sentence and
	// the circumstances, likewise.
	Heading, Call, Circumstances template.HTML
}

type galleryPhoto struct{ Href, Src, Alt string }

type updateView struct {
	ISO, Stamp string
	Body       *kit.ContentText // never nil: an update has a text
}

// tipFields are the tip form's controls, built with newField in Go
// rather than by a variadic template call per field.
type tipFields struct{ Message, SeenAt, SeenLocation, Name, Phone, Email kit.Field }

func newTipFields(lz *i18n.Localizer, f *form.TipForm, errs map[string]string) tipFields {
	return tipFields{
		Message:      kit.NewField("message", lz.T("What did you see or know?"), f.Message, errs, "required", "type=textarea", "max=5000", "rows=6"),
		SeenAt:       kit.NewField("seen_at", lz.T("When did you see them?"), f.SeenAt, errs, "max=100", "hint="+lz.T("A date and time, or words like “Tuesday evening”.")),
		SeenLocation: kit.NewField("seen_location", lz.TC("case page", "Where?"), f.SeenLocation, errs, "max=200"),
		Name:         kit.NewField("name", lz.TC("case page", "Your name"), f.Name, errs, "max=100", "auto=name"),
		Phone:        kit.NewField("phone", lz.TC("case page", "Phone"), f.Phone, errs, "type=tel", "max=40", "auto=tel"),
		Email:        kit.NewField("email", lz.TC("case page", "Email"), f.Email, errs, "type=email", "max=254", "auto=email"),
	}
}

// caseShow is GET /cases/{id}: one public case. A located case shows only
// its notice and name (case_closed.go); an archived one is 410 Gone;
// pending and rejected cases are 404, exactly like ids that never existed.
func (h *handler) caseShow(w http.ResponseWriter, r *http.Request) error {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return kit.ErrNotFound()
	}
	c, page, err := h.casePage(r, id)
	if err != nil {
		return err
	}
	v := &caseView{Form: &form.TipForm{}, TipSent: r.URL.Query().Get("tip") == "sent"}
	v.Notes = &notesView{Sent: r.URL.Query().Get("note") == "sent"}
	cache := kit.CacheShort
	if v.TipSent || v.Notes.Sent {
		cache = kit.CacheNone
	}
	return h.renderCase(w, r, http.StatusOK, cache, c, page, v)
}

// casePage is public case id and its page (photos, updates) from the read
// model, which holds them for a site small enough (readmodel.CasePage):
// no query. Otherwise, or when the case is not public, the case comes from
// the database (publishedCase: 410 for an archived case, 404 for one that
// is not public) and its page is nil, for renderCase to read.
func (h *handler) casePage(r *http.Request, id int64) (*store.Case, *store.CasePage, error) {
	m, err := h.Cases(r.Context())
	if err != nil {
		return nil, nil, err
	}
	if h.OwnWritesShown(m) {
		if c, page, ok := m.CasePage(id); ok {
			return &c, page, nil
		}
	}
	c, err := h.publishedCase(r, id)
	return c, nil, err
}

// renderCase fills the rest of the case view (photos, updates, share
// links) and renders it in the request's language; tipSave and noteSave
// use it to show a form again. pg holds the case's photos and updates
// when the read model had them; nil: they are read here.
func (h *handler) renderCase(w http.ResponseWriter, r *http.Request, status int, cache string, c *store.Case, pg *store.CasePage, v *caseView) error {
	if c.Status != store.StatusMissing {
		return h.renderLocated(w, r, status, cache, c)
	}
	ctx := r.Context()
	lz := kit.L(r)
	var err error
	// Only the public point, rounded to about a kilometre (internal/geo),
	// ever reaches a public page; the exact one is for staff.
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	v.Case = c
	v.Region = lz.TC("region", c.Region)
	// Links in the page's language: /fr/cases/1 on a French page.
	path := "/cases/" + strconv.FormatInt(c.ID, 10)
	page := kit.LangPath(r, path)
	if !c.PersonalWithdrawn {
		var photos []store.Photo
		if pg != nil {
			photos = pg.Photos
		} else if photos, err = h.Store.ListPhotos(ctx, c.ID); err != nil {
			return err
		}
		h.casePhotos(lz, v, c, photos, page)
		v.Age = kit.AgeText(c)
		v.Aliases = c.Aliases
		v.Circum = kit.ShowContent(r, c.CircumstancesFor(kit.PageContentLang(r)))
		v.Sex = lz.TC("sex", kit.SexLabel(c.Sex))
		if c.HeightCM != nil {
			v.Height = lz.Height(*c.HeightCM)
		}
		if c.WeightKG != nil {
			v.Weight = lz.Weight(*c.WeightKG)
		}
		v.Map = kit.NewPlaceMap(lz, c, v.Region)
	}
	var updates []store.Update
	if pg != nil {
		updates = pg.Updates
	} else if updates, err = h.Store.ListUpdates(ctx, c.ID); err != nil {
		return err
	}
	if len(updates) > 0 {
		v.Updates = make([]updateView, len(updates))
		lang, lz := kit.PageContentLang(r), kit.L(r)
		for i, u := range updates {
			body := u.BodyFor(c, lang)
			body.Text = c.PublicText(body.Text)
			v.Updates[i] = updateView{ISO: u.CreatedAt.UTC().Format(time.RFC3339), Stamp: lz.Stamp(u.CreatedAt, h.Loc), Body: kit.ShowContent(r, body)}
			if v.Updates[i].Body == nil {
				v.Updates[i].Body = &kit.ContentText{} // a blank update: the timeline keeps its date
			}
		}
	}

	if err := h.caseNotes(r, c, v); err != nil {
		return err
	}

	v.Status = string(c.Status)
	v.StatusLabel = lz.TC("case status", kit.StatusLabel(c.Status))
	v.Missing = c.Status == store.StatusMissing
	v.Located = c.Status == store.StatusLocated
	if c.LocatedAt != nil {
		v.LocatedDate = lz.Date(*c.LocatedAt)
	}
	v.LastSeen = lastSeenText(lz, c)
	v.SeenISO = c.LastSeenDate.Format(time.DateOnly)
	v.SeenWhen = lz.Date(c.LastSeenDate)
	if c.LastSeenTime != "" {
		v.SeenWhen = lz.T("{date} at {time}", "date", v.SeenWhen, "time", clockText(lz, c.LastSeenTime))
	}
	// html/template would have written the spaces of "709 555 0100" in
	// the tel: link as %20; the th message does not, so this does.
	v.PoliceTel = strings.ReplaceAll(c.PolicePhone, " ", "%20")
	v.FollowAction = page + "/follow"

	if err := h.caseTipForm(r, lz, v, page); err != nil {
		return err
	}
	h.caseShare(lz, c, v, page)
	v.Facts = caseFacts(lz, v, c)
	v.Timeline = caseTimeline(lz, v.Updates)
	v.Heading = caseHeading(lz, v, c)
	v.Call = caseCall(lz, v, c)
	v.Circumstances = caseCircumstances(lz, v.Circum)

	place := c.Community
	if place == "" {
		place = v.Region
	}
	p := h.Page(r, lz.T("Missing: {name}, {place}", "name", c.FullName, "place", place))
	p.Nav = "cases"
	p.Print = true
	p.Canonical = v.URL
	desc := lz.T("{name} was last seen {when}, {region}, Newfoundland and Labrador.", "name", c.FullName, "when", v.LastSeen, "region", v.Region)
	if c.PoliceAgency != "" {
		desc += " " + lz.T("If you have seen {name}, call 911 or {police}.", "name", c.FullName, "police", c.PoliceAgency)
	}
	p.Description = desc
	og := &kit.OpenGraph{Title: p.Title, Description: desc, URL: v.URL, Type: "article"}
	if !c.PersonalWithdrawn {
		// The share picture (case_share.go) exists for every open case,
		// with or without a photo. It and the poster are files, which have
		// no French address (lang.go's frenchPage): a French page names
		// their French versions with lang=fr (kit.LangFile).
		og.Image = h.AbsURL(kit.LangFile(r, path+"/share.jpg"))
		og.ImageWidth, og.ImageHeight = shareimg.Width, shareimg.Height
		og.ImageAlt = lz.T("Missing: {name}, last seen {date} in {place}", "name", c.FullName, "date", lz.Date(c.LastSeenDate), "place", place)
		v.Poster = path + "/poster.pdf"
		v.PosterA4 = kit.LangFile(r, v.Poster+"?size=a4")
		v.Poster = kit.LangFile(r, v.Poster)
	}
	p.OG = og
	v.ShareLinks = caseShareLinks(lz, v)
	p.Data = v
	return h.HTML(w, status, cache, "case.html", p)
}

// caseTipForm fills the tip form: its action (posted under the page's
// language, so the answer stays in it), the visitor's values and the
// errors in the page's language, or the empty form rendered once per
// language.
func (h *handler) caseTipForm(r *http.Request, lz *i18n.Localizer, v *caseView, page string) error {
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	v.ShowTip = v.Missing || len(v.Errors) > 0 || v.Notice != ""
	if !v.ShowTip {
		return nil
	}
	v.TipAction = page + "/tips"
	v.Errors = kit.TErrorsIn(lz, v.Errors)
	if v.Notice != "" {
		v.Notice = lz.T(v.Notice)
	}
	v.Summary = kit.ErrorSummary(v.Errors, form.TipFieldOrder)
	if len(v.Errors) == 0 && v.Form.Blank() {
		// Every case page shows the same empty form: render its controls
		// once per language rather than six field partials per request.
		blank, err := h.Render.VariantLang(lz.Lang(), "case.html", "tip-fields", "", func() any {
			return newTipFields(lz, &form.TipForm{}, nil)
		})
		if err != nil {
			return err
		}
		v.TipBlank = blank
		return nil
	}
	v.Tip = newTipFields(lz, v.Form, v.Errors)
	return nil
}

// caseShare fills the share links: the page's own address (a shared
// French link stays French) and the text that goes with it.
func (h *handler) caseShare(lz *i18n.Localizer, c *store.Case, v *caseView, page string) {
	v.URL = h.AbsURL(page)
	place := c.Community
	if place == "" {
		place = v.Region
	}
	shareText := lz.T("Missing: {name}, last seen in {place}, NL", "name", c.FullName, "place", place)
	v.ShareText = shareText
	v.Facebook = "https://www.facebook.com/sharer/sharer.php?" + url.Values{"u": {v.URL}}.Encode()
	v.X = "https://x.com/intent/tweet?" + url.Values{"text": {shareText}, "url": {v.URL}}.Encode()
	v.Mail = "mailto:?" + strings.ReplaceAll(url.Values{
		"subject": {shareText},
		"body":    {lz.T("Please help find this person. If you have seen them, call 911 or the police.") + "\n\n" + v.URL},
	}.Encode(), "+", "%20")
}

// lastSeenText is one line such as "November 3, 2026 at 21:30, Water
// Street, St. John's" in lz's language (kit.LastSeenText in English).
func lastSeenText(lz *i18n.Localizer, c *store.Case) string {
	when := lz.Date(c.LastSeenDate)
	if c.LastSeenTime != "" {
		when = lz.T("{date} at {time}", "date", when, "time", clockText(lz, c.LastSeenTime))
	}
	place := strings.TrimSpace(c.LastSeenPlace)
	if c.Community != "" && !strings.Contains(strings.ToLower(place), strings.ToLower(c.Community)) {
		if place != "" {
			place += ", "
		}
		place += c.Community
	}
	if place != "" {
		when += ", " + place
	}
	return when
}

// clockText is a stored "21:30": English pages show it as stored (as they
// always have), the others in their own way ("21 h 30").
func clockText(lz *i18n.Localizer, hhmm string) string {
	if lz.Lang() == i18n.English {
		return hhmm
	}
	return lz.ClockText(hhmm)
}

// casePhotos picks the primary photo (the one marked primary, else the
// first) and lists the others for the gallery, with their URLs and alt
// texts ready to print.
func (h *handler) casePhotos(lz *i18n.Localizer, v *caseView, c *store.Case, photos []store.Photo, page string) {
	for i := range photos {
		if photos[i].Primary {
			v.Primary = &photos[i]
		}
	}
	if v.Primary == nil && len(photos) > 0 {
		v.Primary = &photos[0]
	}
	if v.Primary == nil {
		v.Portrait = h.Assets.URL("portrait.svg") // one short concatenation, only on pages without a photo
		return
	}
	v.PrimarySrc = h.PhotoURL(v.Primary.Key, "800")
	v.PrimarySrcset = h.Srcset(v.Primary.Key)
	v.PrimaryAlt = c.PublicText(v.Primary.Alt)
	if v.PrimaryAlt == "" {
		v.PrimaryAlt = lz.T("Photo of {name}", "name", c.FullName)
	}
	// Thumbnails open the photo's own page (case_photo.go), numbered in
	// the same display order: the primary is photo 1.
	base := page + "/photos/"
	for i, ph := range kit.PrimaryFirst(photos)[1:] {
		alt := c.PublicText(ph.Alt)
		if alt == "" {
			alt = lz.T("Another photo of {name}", "name", c.FullName)
		}
		v.Gallery = append(v.Gallery, galleryPhoto{Href: base + strconv.Itoa(i+2), Src: h.PhotoURL(ph.Key, "320"), Alt: alt})
	}
}
