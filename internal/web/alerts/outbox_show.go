package alerts

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// adminOutboxShow is GET /admin/outbox/{id}: one message as it is (or
// would be) sent. The HTML part is shown as source, never rendered into
// the admin page.
func (h *handler) adminOutboxShow(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	m, err := h.Store.GetOutboxMessage(r.Context(), id)
	if err != nil {
		return err
	}
	v := struct {
		*store.OutboxMessage
		To     string
		Idle   string
		Failed bool
		Sent   string
	}{m, h.Unseal(r, m.Recipient, "outbox", "recipient", m.ID, m.SealToken), h.mailIdle, m.State == store.MailFailed, ""}
	if m.SentAt != nil {
		v.Sent = h.Stamp(*m.SentAt)
	}
	return h.AdminRender(w, r, http.StatusOK, "outbox_message.html", kit.L(r).T("Outbox message"), "outbox", v)
}
