package web

import "net/http"

// contactDone confirms a contact message was received.
func (h *handler) contactDone(w http.ResponseWriter, r *http.Request) error {
	p := h.page(r, "Thank you: your message was sent")
	p.Nav = "contact"
	p.NoIndex = true
	return h.html(w, http.StatusOK, cacheNone, "contact_sent.html", p)
}
