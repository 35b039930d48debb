package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminMessageRead is POST /admin/messages/{id}/read with read=1 or read=0.
func (h *handler) adminMessageRead(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	read := vals.Get("read") != "0"
	word, done := "read", kit.L(r).T("Marked as read.")
	if !read {
		word, done = "unread", kit.L(r).T("Marked as unread.")
	}
	if err := h.Store.SetMessageRead(r.Context(), id, read, h.AuditFor(r, "message.mark", "message "+strconv.FormatInt(id, 10)+" marked "+word)); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, "/admin/messages/"+strconv.FormatInt(id, 10), "success", done)
}
