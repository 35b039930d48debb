package admin

import (
	"net/http"
	"net/url"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// messagesView is the data of admin/messages.html.
type messagesView struct {
	Unread   bool
	Messages []store.Message
	Total    int
	Pager    kit.Pager
}

// adminMessages is GET /admin/messages[?unread=1]: contact-form messages,
// newest first.
func (h *handler) adminMessages(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	v := &messagesView{Unread: vals.Get("unread") == "1"}
	pageNo := kit.QueryPage(vals)
	msgs, total, err := h.Store.ListMessages(r.Context(), v.Unread, pageNo, 50)
	if err != nil {
		return err
	}
	v.Messages, v.Total = msgs, total
	base := url.Values{}
	if v.Unread {
		base.Set("unread", "1")
	}
	v.Pager = kit.NewPager("/admin/messages", base, pageNo, 50, total)
	return h.AdminRender(w, r, http.StatusOK, "messages.html", kit.L(r).TC("admin nav", "Messages"), "messages", v)
}
