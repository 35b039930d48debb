package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lostinnl/internal/store"
)

type caseView struct {
	Case     *store.Case
	Photos   []store.Photo // primary first; empty when withdrawn
	Primary  *store.Photo
	Updates  []store.Update
	Age      string
	Form     *tipForm
	Errors   map[string]string
	Order    []string
	Notice   string // a server-side problem while saving the tip
	TipSent  bool
	ShowTip  bool
	URL      string // absolute canonical URL
	Facebook string
	X        string
	Mail     string
}

// parseID reads a positive case id from the path; anything else is a 404.
func parseID(s string) (int64, bool) {
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0 && strconv.FormatInt(id, 10) == s
}

// caseShow is GET /cases/{id}: one public case. Pending, rejected and
// archived cases are 404, exactly like ids that never existed.
func (h *handler) caseShow(w http.ResponseWriter, r *http.Request) error {
	id, ok := parseID(r.PathValue("id"))
	if !ok {
		return errNotFound()
	}
	c, err := h.st.GetPublicCase(r.Context(), id)
	if err != nil {
		return err
	}
	v := &caseView{Form: &tipForm{}, TipSent: r.URL.Query().Get("tip") == "sent"}
	cache := cacheShort
	if v.TipSent {
		cache = cacheNone
	}
	return h.renderCase(w, r, http.StatusOK, cache, c, v)
}

// renderCase fills the rest of the case view (photos, updates, share
// links) and renders it; tipSave uses it to show the form again.
func (h *handler) renderCase(w http.ResponseWriter, r *http.Request, status int, cache string, c *store.Case, v *caseView) error {
	ctx := r.Context()
	v.Case = c
	v.Order = tipFieldOrder
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if !c.PersonalWithdrawn {
		photos, err := h.st.ListPhotos(ctx, c.ID)
		if err != nil {
			return err
		}
		for i := range photos {
			if photos[i].Primary {
				v.Primary = &photos[i]
			}
		}
		if v.Primary == nil && len(photos) > 0 {
			v.Primary = &photos[0]
		}
		for _, ph := range photos {
			if v.Primary == nil || ph.ID != v.Primary.ID {
				v.Photos = append(v.Photos, ph)
			}
		}
		v.Age = ageText(c)
	}
	updates, err := h.st.ListUpdates(ctx, c.ID)
	if err != nil {
		return err
	}
	v.Updates = updates
	v.ShowTip = c.Status == store.StatusMissing || len(v.Errors) > 0 || v.Notice != ""

	path := "/cases/" + strconv.FormatInt(c.ID, 10)
	v.URL = h.absURL(path)
	place := c.Community
	if place == "" {
		place = c.Region
	}
	label := "Missing"
	if c.Status == store.StatusLocated {
		label = "Located"
	}
	shareText := label + ": " + c.FullName + ", last seen in " + place + ", NL"
	v.Facebook = "https://www.facebook.com/sharer/sharer.php?" + url.Values{"u": {v.URL}}.Encode()
	v.X = "https://x.com/intent/tweet?" + url.Values{"text": {shareText}, "url": {v.URL}}.Encode()
	v.Mail = "mailto:?" + strings.ReplaceAll(url.Values{
		"subject": {shareText},
		"body":    {"Please help find this person. If you have seen them, call 911 or the police.\n\n" + v.URL},
	}.Encode(), "+", "%20")

	p := h.page(r, label+": "+c.FullName+", "+place)
	p.Nav = "cases"
	p.Print = true
	p.Canonical = v.URL
	desc := c.FullName + " was last seen " + h.lastSeenText(c) + ", " + c.Region + ", Newfoundland and Labrador."
	if c.Status == store.StatusLocated {
		desc = c.FullName + ", reported missing in " + place + ", Newfoundland and Labrador, has been located."
	} else if c.PoliceAgency != "" {
		desc += " If you have seen " + c.FullName + ", call 911 or " + c.PoliceAgency + "."
	}
	p.Description = desc
	og := &openGraph{Title: p.Title, Description: desc, URL: v.URL, Type: "article"}
	if v.Primary != nil {
		og.Image = h.absURL(h.photoURL(v.Primary.Key, "social"))
		og.ImageAlt = "Photo of " + c.FullName
	}
	p.OG = og
	p.Data = v
	return h.html(w, status, cache, "case.html", p)
}
