package site

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// about is GET /about.
func (h *handler) about(w http.ResponseWriter, r *http.Request) error {
	lz := kit.L(r)
	p := h.Page(r, lz.T("About Missing Persons NL"))
	p.Nav = "about"
	p.Description = lz.T("Why Missing Persons NL exists, how cases are checked with police before they are published, and how the site is run.")
	p.Canonical = h.BaseURL + kit.LangPath(r, "/about")
	return h.HTML(w, http.StatusOK, kit.CacheStatic, "about.html", p)
}
