package admin

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminMessageShow is GET /admin/messages/{id}. Reading does not change
// the read flag (a GET has no side effects); the page has the button.
func (h *handler) adminMessageShow(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.Store.GetMessage(r.Context(), id)
	if err != nil {
		return err
	}
	return h.AdminRender(w, r, http.StatusOK, "message.html", kit.L(r).TC("message", "Message"), "messages", m)
}
