package site

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// about is GET /about.
func (h *handler) about(w http.ResponseWriter, r *http.Request) error {
	p := h.Page(r, "About Missing Persons NL")
	p.Nav = "about"
	p.Description = "Why Missing Persons NL exists, how cases are checked with police before they are published, and how the site is run."
	p.Canonical = h.BaseURL + "/about"
	return h.HTML(w, http.StatusOK, kit.CacheStatic, "about.html", p)
}
