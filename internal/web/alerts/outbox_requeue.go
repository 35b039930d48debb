package alerts

import (
	"errors"
	"net/http"
	"strconv"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// adminOutboxRequeue is POST /admin/outbox/{id}/requeue: try a failed
// message again from its first attempt (audited). Only failed messages
// can be requeued; for any other the admin is told so.
func (h *handler) adminOutboxRequeue(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	ctx := r.Context()
	m, err := h.Store.GetOutboxMessage(ctx, id)
	if err != nil {
		return err
	}
	back := "/admin/outbox/" + strconv.FormatInt(id, 10)
	audit := h.AuditFor(r, "mail.requeue", "requeued "+m.Kind+" message "+strconv.FormatInt(id, 10))
	err = h.Store.RequeueMail(ctx, id, audit)
	if errors.Is(err, store.ErrNotFound) {
		// It exists (read above), so it is no longer failed.
		return h.FlashRedirect(w, r, back, "warning", "Only a failed message can be sent again; this one is "+string(m.State)+".")
	}
	if err != nil {
		return err
	}
	return h.FlashRedirect(w, r, back, "success", "The message is queued and will be sent again.")
}
