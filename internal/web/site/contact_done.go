package site

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// contactDone confirms a contact message was received.
func (h *handler) contactDone(w http.ResponseWriter, r *http.Request) error {
	p := h.Page(r, kit.L(r).T("Thank you: your message was sent"))
	p.Nav = "contact"
	p.NoIndex = true
	return h.HTML(w, http.StatusOK, kit.CacheNone, "contact_sent.html", p)
}
