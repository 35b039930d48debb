package site

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/geo"
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
	LocatedNote string // " (reported on November 3, 2026)" or ""
	Aliases     string // empty when withdrawn
	LastSeen    string // date, time and place in one line
	Age         string
	Sex         string
	Height      string
	Weight      string
	SeenISO     string // <time datetime>
	SeenDate    string
	Circum      *kit.ContentText // circumstances in the page's language if they exist in it; nil when none or withdrawn

	PrimarySrc    string
	PrimarySrcset string
	PrimaryAlt    string
	Gallery       []galleryPhoto // the other photos, in order
	Portrait      string         // placeholder image when there is no photo

	Updates []updateView
	Map     *kit.PlaceMap // the last-seen area, open cases with a place only
	Notes   *notesView    // public notes (case_notes.go); nil until filled

	TipAction string
	Summary   []kit.FieldError
	Tip       tipFields     // the form's controls with the visitor's values and errors
	TipBlank  template.HTML // or, for the empty form, those controls already rendered

	URL       string // absolute canonical URL
	Poster    string // the poster PDF's path, open cases only ("" otherwise)
	ShareText string // the text the Web Share button passes
	Facebook  string
	X         string
	Mail      string
}

type galleryPhoto struct{ Href, Src, Alt string }

type updateView struct {
	ISO, Stamp string
	Body       *kit.ContentText // never nil: an update has a text
}

// tipFields are the tip form's controls, built with newField in Go
// rather than by a variadic template call per field.
type tipFields struct{ Message, SeenAt, SeenLocation, Name, Phone, Email kit.Field }

func newTipFields(f *form.TipForm, errs map[string]string) tipFields {
	return tipFields{
		Message:      kit.NewField("message", "What did you see or know?", f.Message, errs, "required", "type=textarea", "max=5000", "rows=6"),
		SeenAt:       kit.NewField("seen_at", "When did you see them?", f.SeenAt, errs, "max=100", "hint=A date and time, or words like “Tuesday evening”."),
		SeenLocation: kit.NewField("seen_location", "Where?", f.SeenLocation, errs, "max=200"),
		Name:         kit.NewField("name", "Your name", f.Name, errs, "max=100", "auto=name"),
		Phone:        kit.NewField("phone", "Phone", f.Phone, errs, "type=tel", "max=40", "auto=tel"),
		Email:        kit.NewField("email", "Email", f.Email, errs, "type=email", "max=254", "auto=email"),
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
	c, err := h.publishedCase(r, id)
	if err != nil {
		return err
	}
	v := &caseView{Form: &form.TipForm{}, TipSent: r.URL.Query().Get("tip") == "sent"}
	v.Notes = &notesView{Sent: r.URL.Query().Get("note") == "sent"}
	cache := kit.CacheShort
	if v.TipSent || v.Notes.Sent {
		cache = kit.CacheNone
	}
	return h.renderCase(w, r, http.StatusOK, cache, c, v)
}

// renderCase fills the rest of the case view (photos, updates, share
// links) and renders it; tipSave uses it to show the form again.
func (h *handler) renderCase(w http.ResponseWriter, r *http.Request, status int, cache string, c *store.Case, v *caseView) error {
	if c.Status != store.StatusMissing {
		return h.renderLocated(w, r, status, cache, c)
	}
	ctx := r.Context()
	// Only the public point, rounded to about a kilometre (internal/geo),
	// ever reaches a public page; the exact one is for staff.
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	v.Case = c
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if !c.PersonalWithdrawn {
		photos, err := h.Store.ListPhotos(ctx, c.ID)
		if err != nil {
			return err
		}
		h.casePhotos(v, c, photos)
		v.Age = kit.AgeText(c)
		v.Aliases = c.Aliases
		v.Circum = kit.ShowContent(r, c.CircumstancesFor(kit.PageContentLang(r)))
		v.Sex = kit.SexLabel(c.Sex)
		v.Height = kit.FormatHeight(c.HeightCM)
		v.Weight = kit.FormatWeight(c.WeightKG)
		v.Map = kit.NewPlaceMap(c)
	}
	updates, err := h.Store.ListUpdates(ctx, c.ID)
	if err != nil {
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
	v.StatusLabel = kit.StatusLabel(c.Status)
	v.Missing = c.Status == store.StatusMissing
	v.Located = c.Status == store.StatusLocated
	if c.LocatedAt != nil {
		v.LocatedNote = " (reported on " + kit.FormatDate(*c.LocatedAt) + ")"
	}
	v.LastSeen = h.LastSeenText(c)
	v.SeenISO = c.LastSeenDate.Format(time.DateOnly)
	v.SeenDate = kit.FormatDate(c.LastSeenDate)

	path := "/cases/" + strconv.FormatInt(c.ID, 10)
	v.ShowTip = v.Missing || len(v.Errors) > 0 || v.Notice != ""
	if v.ShowTip {
		v.TipAction = path + "/tips"
		v.Summary = kit.ErrorSummary(v.Errors, form.TipFieldOrder)
		if len(v.Errors) == 0 && v.Form.Blank() {
			// Every case page shows the same empty form: render its
			// controls once rather than six field partials per request.
			blank, err := h.Render.FixedFragment("case.html", "tip-fields", func() any {
				return newTipFields(&form.TipForm{}, nil)
			})
			if err != nil {
				return err
			}
			v.TipBlank = blank
		} else {
			v.Tip = newTipFields(v.Form, v.Errors)
		}
	}

	v.URL = h.AbsURL(path)
	place := c.Community
	if place == "" {
		place = c.Region
	}
	label := "Missing"
	if v.Located {
		label = "Located"
	}
	shareText := label + ": " + c.FullName + ", last seen in " + place + ", NL"
	v.ShareText = shareText
	v.Facebook = "https://www.facebook.com/sharer/sharer.php?" + url.Values{"u": {v.URL}}.Encode()
	v.X = "https://x.com/intent/tweet?" + url.Values{"text": {shareText}, "url": {v.URL}}.Encode()
	v.Mail = "mailto:?" + strings.ReplaceAll(url.Values{
		"subject": {shareText},
		"body":    {"Please help find this person. If you have seen them, call 911 or the police.\n\n" + v.URL},
	}.Encode(), "+", "%20")

	p := h.Page(r, label+": "+c.FullName+", "+place)
	p.Nav = "cases"
	p.Print = true
	p.Canonical = v.URL
	desc := c.FullName + " was last seen " + v.LastSeen + ", " + c.Region + ", Newfoundland and Labrador."
	if v.Located {
		desc = c.FullName + ", reported missing in " + place + ", Newfoundland and Labrador, has been located."
	} else if c.PoliceAgency != "" {
		desc += " If you have seen " + c.FullName + ", call 911 or " + c.PoliceAgency + "."
	}
	p.Description = desc
	og := &kit.OpenGraph{Title: p.Title, Description: desc, URL: v.URL, Type: "article"}
	if v.Missing && !c.PersonalWithdrawn {
		// The share picture (case_share.go) exists for every open case,
		// with or without a photo; a located case names no picture at all,
		// so new previews of it carry no image.
		og.Image = h.AbsURL(path + "/share.jpg")
		og.ImageWidth, og.ImageHeight = shareimg.Width, shareimg.Height
		og.ImageAlt = "Missing: " + c.FullName + ", last seen " + v.SeenDate + " in " + place
		v.Poster = path + "/poster.pdf"
	}
	p.OG = og
	p.Data = v
	return h.HTML(w, status, cache, "case.html", p)
}

// casePhotos picks the primary photo (the one marked primary, else the
// first) and lists the others for the gallery, with their URLs and alt
// texts ready to print.
func (h *handler) casePhotos(v *caseView, c *store.Case, photos []store.Photo) {
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
		v.PrimaryAlt = "Photo of " + c.FullName
	}
	// Thumbnails open the photo's own page (case_photo.go), numbered in
	// the same display order: the primary is photo 1.
	base := "/cases/" + strconv.FormatInt(c.ID, 10) + "/photos/"
	for i, ph := range kit.PrimaryFirst(photos)[1:] {
		alt := c.PublicText(ph.Alt)
		if alt == "" {
			alt = "Another photo of " + c.FullName
		}
		v.Gallery = append(v.Gallery, galleryPhoto{Href: base + strconv.Itoa(i+2), Src: h.PhotoURL(ph.Key, "320"), Alt: alt})
	}
}
