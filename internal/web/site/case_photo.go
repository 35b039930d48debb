package site

import (
	"net/http"
	"strconv"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// photoView is case_photo.html: one photo of a case on a page of its own,
// with a way back, so a gallery thumbnail never strands a visitor on a raw
// JPEG (no site navigation, no alt text, no back link on a phone).
type photoView struct {
	Name      string
	CaseURL   string
	N, Of     int
	Src       string
	Srcset    string
	Alt       string
	Prev      string
	Next      string
	Missing   bool
	Heading   string
	BackLabel string
}

// casePhoto is GET /cases/{id}/photos/{n}: photo n (1 = the primary photo,
// then the gallery's order) of a public case. Withdrawn photos, unknown
// numbers and non-public cases are 404.
func (h *handler) casePhoto(w http.ResponseWriter, r *http.Request) error {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return kit.ErrNotFound()
	}
	n, ok := kit.ParseID(r.PathValue("n"))
	if !ok {
		return kit.ErrNotFound()
	}
	c, err := h.publishedCase(r, id)
	if err != nil {
		return err
	}
	if c.Status != store.StatusMissing || c.PersonalWithdrawn {
		// A located person's photos leave the site the moment they are
		// found, before the retention job deletes them.
		return &kit.HTTPError{Status: http.StatusGone, Msg: kit.AppealEndedMessage}
	}
	photos, err := h.Store.ListPhotos(r.Context(), c.ID)
	if err != nil {
		return err
	}
	ordered := kit.PrimaryFirst(photos)
	if n > int64(len(ordered)) {
		return kit.ErrNotFound()
	}
	ph := ordered[n-1]
	lz := kit.L(r)
	// The back, previous and next links stay in the page's language.
	caseURL := kit.LangPath(r, "/cases/"+strconv.FormatInt(c.ID, 10))
	v := &photoView{
		Name:    c.FullName,
		CaseURL: caseURL,
		N:       int(n),
		Of:      len(ordered),
		Src:     h.PhotoURL(ph.Key, "1600"),
		Srcset:  h.Srcset(ph.Key),
		Alt:     c.PublicText(ph.Alt),
		Missing: c.Status == store.StatusMissing,
	}
	if v.Alt == "" {
		v.Alt = lz.T("Photo of {name}", "name", c.FullName)
	}
	v.Heading = lz.T("Photo {n} of {of}: {name}", "n", lz.Number(v.N), "of", lz.Number(v.Of), "name", c.FullName)
	if v.N > 1 {
		v.Prev = caseURL + "/photos/" + strconv.Itoa(v.N-1)
	}
	if v.N < v.Of {
		v.Next = caseURL + "/photos/" + strconv.Itoa(v.N+1)
	}
	p := h.Page(r, v.Heading)
	p.Nav = "cases"
	p.Canonical = h.AbsURL(caseURL + "/photos/" + strconv.Itoa(v.N))
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "case_photo.html", p)
}
