package web

import "net/http"

// adminMessageShow is GET /admin/messages/{id}. Reading does not change
// the read flag (a GET has no side effects); the page has the button.
func (h *handler) adminMessageShow(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.st.GetMessage(r.Context(), id)
	if err != nil {
		return err
	}
	return h.adminRender(w, r, http.StatusOK, "message.html", "Message", "messages", m)
}
