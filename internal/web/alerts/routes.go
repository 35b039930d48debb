package alerts

import (
	"net/url"

	"lostinnl/internal/mail"
	"lostinnl/internal/web/kit"
)

// handler serves the public alert pages.
type handler struct {
	*kit.Env
	keys *mail.Keys
	tpl  *mail.Templates
	host string // for the confirmation mail's Message-ID
	// mailIdle says why mail is not sent ("" when it is): /admin/outbox
	// shows it, so a local install knows its mail only waits there.
	mailIdle string
}

// Routes is the alerts part of the route table. The forms that ask for
// mail are rate limited like every public form. The unsubscribe POST is
// the one route that accepts cross-site posts (CrossSite): RFC 8058 has the
// mail provider send it, and the signed token in its URL is the whole
// authorization; it is not rate limited either, because providers send
// those posts for many people from few addresses, and an unsubscribe
// refused with a 429 would mean mail people asked to stop.
func Routes(env *kit.Env, keys *mail.Keys, tpl *mail.Templates, mailIdle string) []kit.Route {
	h := &handler{Env: env, keys: keys, tpl: tpl, host: "localhost", mailIdle: mailIdle}
	if u, err := url.Parse(env.BaseURL); err == nil && u.Hostname() != "" {
		h.host = u.Hostname()
	}
	return []kit.Route{
		// The outbox: every message this site would send or has sent, for
		// admins (mail addresses are personal data).
		{Pattern: "GET /admin/outbox", Access: kit.AdminOnly, Handler: h.adminOutbox},
		{Pattern: "GET /admin/outbox/{id}", Access: kit.AdminOnly, Handler: h.adminOutboxShow},
		{Pattern: "POST /admin/outbox/{id}/requeue", Access: kit.AdminOnly, Handler: h.adminOutboxRequeue},

		{Pattern: "POST /cases/{id}/follow", Access: kit.Public, Limited: true, Handler: h.followSave},
		{Pattern: "GET /alerts", Access: kit.Public, Handler: h.areaForm},
		{Pattern: "POST /alerts", Access: kit.Public, Limited: true, Handler: h.areaSave},
		{Pattern: "GET /alerts/sent", Access: kit.Public, Handler: h.sent},
		// The token is the page: the language switch keeps it (CacheQuery
		// without Cached only names the parameters the links keep).
		{Pattern: "GET " + mail.ConfirmPath, Access: kit.Public, CacheQuery: []string{"token"}, Handler: h.confirmForm},
		{Pattern: "POST " + mail.ConfirmPath, Access: kit.Public, Limited: true, Handler: h.confirmSave},
		{Pattern: "GET " + mail.UnsubscribePath, Access: kit.Public, CacheQuery: []string{"token"}, Handler: h.manageShow},
		{Pattern: "POST " + mail.UnsubscribePath, Access: kit.Public, CrossSite: true, Handler: h.unsubscribeSave},
	}
}

// formRejected reports a refused form submission to the metrics hook.
func (h *handler) formRejected(reason string) {
	if h.OnFormRejected != nil {
		h.OnFormRejected("alerts", reason)
	}
}
