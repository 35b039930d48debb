package web

import "net/http"

// about is GET /about.
func (h *handler) about(w http.ResponseWriter, r *http.Request) error {
	p := h.page(r, "About Missing Persons NL")
	p.Nav = "about"
	p.Description = "Why Missing Persons NL exists, how cases are checked with police before they are published, and how the site is run."
	p.Canonical = h.baseURL + "/about"
	return h.html(w, http.StatusOK, cacheStatic, "about.html", p)
}
