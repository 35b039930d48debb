package alerts

import (
	"net/http"
	"net/url"
	"slices"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// outboxView is the data of admin/outbox.html.
type outboxView struct {
	Idle     string // why mail is not sent; "" when it is
	State    store.MailState
	States   []outboxState
	BadState bool
	Messages []outboxRow
	Total    int
	Pager    kit.Pager
}

type outboxState struct {
	State   store.MailState
	Count   int
	Current bool
}

type outboxRow struct {
	store.OutboxMessage
	To string // opened for the admin (personal data, sealed at rest)
}

const outboxPerPage = 50

// adminOutbox is GET /admin/outbox[?state=…]: the mail the site sent, is
// sending or could not send, newest first, with the count of each state.
// With no SMTP configured this is where mail waits, so a local install
// shows exactly what would be sent.
func (h *handler) adminOutbox(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals := r.URL.Query()
	v := &outboxView{Idle: h.mailIdle}
	if s := store.MailState(vals.Get("state")); s != "" {
		if slices.Contains(store.MailStates, s) {
			v.State = s
		} else {
			v.BadState = true // shown; the list is then every state
		}
	}
	stats, err := h.Store.OutboxStats(ctx)
	if err != nil {
		return err
	}
	for _, s := range store.MailStates {
		v.States = append(v.States, outboxState{State: s, Count: stats.ByState[s], Current: s == v.State})
	}
	pageNo := kit.QueryPage(vals)
	msgs, total, err := h.Store.ListOutbox(ctx, store.OutboxFilter{State: v.State, Page: pageNo, PerPage: outboxPerPage})
	if err != nil {
		return err
	}
	for _, m := range msgs {
		v.Messages = append(v.Messages, outboxRow{OutboxMessage: m, To: h.Unseal(r, m.Recipient, "outbox", "recipient", m.ID, m.SealToken)})
	}
	v.Total = total
	base := url.Values{}
	if v.State != "" {
		base.Set("state", string(v.State))
	}
	v.Pager = kit.NewPager("/admin/outbox", base, pageNo, outboxPerPage, total)
	return h.AdminRender(w, r, http.StatusOK, "outbox.html", kit.L(r).TC("admin", "Outbox"), "outbox", v)
}
