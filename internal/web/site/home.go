package site

import (
	"html/template"
	"net/http"

	"lostinnl/internal/web/kit"
)

type homeView struct {
	Latest       template.HTML // kit.CardList
	Located      template.HTML
	MissingCount int
	LocatedCount int
}

// home is the front page: what this is, the latest missing people,
// recently located, and what a visitor can do.
func (h *handler) home(w http.ResponseWriter, r *http.Request) error {
	m, err := h.Cases(r.Context())
	if err != nil {
		return err
	}
	home := m.Home(8, 3)
	p := h.Page(r, "Help find missing people in Newfoundland and Labrador")
	p.Nav = "home"
	p.Description = "Missing Persons NL shares information about people missing in Newfoundland and Labrador so the public can help find them. See current cases, share them, or send a tip."
	p.Canonical = h.BaseURL + "/"
	v := homeView{MissingCount: home.MissingCount, LocatedCount: home.LocatedCount}
	if v.Latest, err = h.CardList("home.html", home.Latest); err != nil {
		return err
	}
	if v.Located, err = h.CardList("home.html", home.Located); err != nil {
		return err
	}
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "home.html", p)
}
