package site

import (
	"html/template"
	"net/http"

	"lostinnl/internal/i18n"
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
	lz := kit.L(r)
	if kit.LangFrom(r.Context()) == i18n.English {
		// The English home page offers the French site to browsers that
		// prefer French (kit.SuggestFrench). Both names in one header:
		// the gzip layer adds Accept-Encoding only when no Vary names it.
		w.Header().Set("Vary", "Accept-Encoding, Accept-Language")
	}
	p := h.Page(r, lz.T("Help find missing people in Newfoundland and Labrador"))
	p.Nav = "home"
	p.Description = lz.T("Missing Persons NL shares information about people missing in Newfoundland and Labrador so the public can help find them. See current cases, share them, or send a tip.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/")
	v := homeView{MissingCount: home.MissingCount, LocatedCount: home.LocatedCount}
	if v.Latest, err = h.CardListFor(r, "home.html", home.Latest); err != nil {
		return err
	}
	if v.Located, err = h.CardListFor(r, "home.html", home.Located); err != nil {
		return err
	}
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "home.html", p)
}
