package site

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

type homeView struct {
	Latest       []store.Case
	Located      []store.Case
	MissingCount int
	LocatedCount int
}

// home is the front page: what this is, the latest missing people,
// recently located, and what a visitor can do.
func (h *handler) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	latest, err := h.Store.SearchCases(ctx, store.CaseQuery{
		Statuses: []store.Status{store.StatusMissing}, Sort: store.SortRecent, PerPage: 8,
	})
	if err != nil {
		return err
	}
	located, err := h.Store.SearchCases(ctx, store.CaseQuery{
		Statuses: []store.Status{store.StatusLocated}, Sort: store.SortRecent, PerPage: 3,
	})
	if err != nil {
		return err
	}
	p := h.Page(r, "Help find missing people in Newfoundland and Labrador")
	p.Nav = "home"
	p.Description = "Missing Persons NL shares information about people missing in Newfoundland and Labrador so the public can help find them. See current cases, share them, or send a tip."
	p.Canonical = h.BaseURL + "/"
	p.Data = homeView{
		Latest:       latest.Cases,
		Located:      located.Cases,
		MissingCount: latest.Total,
		LocatedCount: located.Total,
	}
	return h.HTML(w, http.StatusOK, kit.CacheShort, "home.html", p)
}
