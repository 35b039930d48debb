package web

import "net/http"

// privacy is GET /privacy: what we collect, why, who sees it, how long we
// keep it, and how to ask for removal.
func (h *handler) privacy(w http.ResponseWriter, r *http.Request) error {
	p := h.page(r, "Privacy")
	p.Nav = "privacy"
	p.Description = "What Missing Persons NL collects, why, who sees it, how long it is kept and how to ask for removal."
	p.Canonical = h.baseURL + "/privacy"
	return h.html(w, http.StatusOK, cacheStatic, "privacy.html", p)
}
