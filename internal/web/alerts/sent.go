package alerts

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// sent is GET /alerts/sent, the answer to every accepted subscription
// request. It says the same whether a confirmation was mailed, the
// address was already subscribed, or it had its confirmations for today.
func (h *handler) sent(w http.ResponseWriter, r *http.Request) error {
	p := h.Page(r, kit.L(r).T("Check your email"))
	p.NoIndex = true
	p.Data = struct{ Hours, PerDay int }{int(store.ConfirmTTL.Hours()), store.MaxConfirmationsPerDay}
	return h.HTML(w, http.StatusOK, kit.CacheNone, "alerts_sent.html", p)
}
