package site

import (
	"net/http"
	"strconv"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// publishedCase reads the case behind a public case URL: missing and
// located cases are returned, archived ones (which were all public once:
// only missing and located cases can be archived) are 410 Gone, and
// pending, rejected and unknown ids are 404, so an address that never
// showed a case reveals nothing. The case comes with its public name
// (store.Case.ForPublic: first name and initial when so decided).
func (h *handler) publishedCase(r *http.Request, id int64) (*store.Case, error) {
	c, err := h.Store.GetCaseForPublic(r.Context(), id)
	if err != nil {
		return nil, err
	}
	switch c.Status {
	case store.StatusMissing, store.StatusLocated:
		return c, nil
	case store.StatusArchived:
		return nil, kit.AppealEnded()
	}
	return nil, kit.ErrNotFound()
}

// locatedView is case_located.html: from the moment a person is located,
// their page shows the notice and their name, nothing else (issue 17
// point 8): no photos, description, circumstances, updates, share links,
// poster or picture.
type locatedView struct {
	Name        string
	LocatedDate string // "November 3, 2026" (when it was reported) or ""
	EndDate     string // when the notice itself goes (the case is archived)
}

// renderLocated renders a located case's page, noindex from the first
// moment so search engines drop the appeal rather than keep its last
// snapshot.
func (h *handler) renderLocated(w http.ResponseWriter, r *http.Request, status int, cache string, c *store.Case) error {
	lz := kit.L(r)
	v := &locatedView{Name: c.FullName}
	if c.LocatedAt != nil {
		v.LocatedDate = lz.Date(*c.LocatedAt)
		if days := h.retention.LocatedPublicDays; days > 0 {
			v.EndDate = lz.Date(c.LocatedAt.AddDate(0, 0, days))
		}
	}
	u := h.AbsURL(kit.LangPath(r, "/cases/"+strconv.FormatInt(c.ID, 10)))
	p := h.Page(r, lz.T("Located: {name}", "name", c.FullName))
	p.Nav = "cases"
	p.Canonical = u
	p.NoIndex = true
	p.Description = lz.T("{name} has been located. This appeal has ended.", "name", c.FullName)
	// Title and text only: a located case names no picture, so a new
	// link preview of it carries no image.
	p.OG = &kit.OpenGraph{Title: p.Title, Description: p.Description, URL: u, Type: "article"}
	p.Data = v
	w.Header().Set("X-Robots-Tag", "noindex")
	return h.HTML(w, status, cache, "case_located.html", p)
}
