package alerts

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/mail"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// manageView is alerts_manage.html.
type manageView struct {
	Action    string // the form action: this URL with its token
	Current   *subView
	Subs      []subView
	Confirmed bool // just confirmed
	Done      bool // just unsubscribed
}

type subView struct {
	ID        int64
	What      string // "the appeal for …", "new appeals in …"
	CaseURL   string
	Confirmed bool
}

// errBadLink answers a manage link that is malformed, forged or expired.
func errBadLink() error {
	return &kit.HTTPError{Status: http.StatusNotFound, Msg: i18n.Mark("This link does not work any more, or part of it is missing. Links in our emails work for 90 days: use the link in a more recent email from us, or contact us and we will stop the emails for you.")}
}

// manageURL is the manage page of a signed token, with an optional
// one-word notice ("confirmed", "done").
func manageURL(token, notice string) string {
	u := mail.UnsubscribePath + "?token=" + url.QueryEscape(token)
	if notice != "" {
		u += "&" + notice + "=1"
	}
	return u
}

// parseLink checks the token of a manage link.
func (h *handler) parseLink(r *http.Request) (mail.Manage, string, error) {
	token := r.URL.Query().Get("token")
	m, err := h.keys.ParseManageToken(token, h.Now())
	if err != nil {
		return m, "", errBadLink()
	}
	return m, token, nil
}

// manageShow is GET /alerts/unsubscribe?token=…, the page every message's
// unsubscribe link opens: what this address follows, a button to stop
// the emails of the message it came from, one per subscription, and one
// for all. No sign-in and no JavaScript; the signed link is the key.
func (h *handler) manageShow(w http.ResponseWriter, r *http.Request) error {
	m, token, err := h.parseLink(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	subs, err := h.Store.SubscriptionsOf(ctx, m.Index)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v := &manageView{Action: kit.LangPath(r, manageURL(token, "")), Confirmed: q.Get("confirmed") == "1", Done: q.Get("done") == "1"}
	for _, s := range subs {
		sv, err := h.describe(r, s)
		if err != nil {
			return err
		}
		v.Subs = append(v.Subs, sv)
		if s.ID == m.SubscriptionID {
			v.Current = &v.Subs[len(v.Subs)-1]
		}
	}
	noReferrer(w)
	p := h.Page(r, kit.L(r).T("Your email alerts"))
	p.NoIndex = true
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheNone, "alerts_manage.html", p)
}

// describe says what a subscription is about, in words of the page's
// language (which may not be the one the subscription mails in).
func (h *handler) describe(r *http.Request, s store.Subscription) (subView, error) {
	lz := kit.L(r)
	v := subView{ID: s.ID, Confirmed: s.Confirmed}
	if s.Kind != store.SubscribeCase {
		if s.Region == store.AllRegions {
			v.What = lz.T("New appeals anywhere in Newfoundland and Labrador")
		} else {
			v.What = lz.T("New appeals in the {region} region", "region", lz.TC("region, after “the … region”", s.Region))
		}
		return v, nil
	}
	c, err := h.Store.GetPublicCase(r.Context(), s.CaseID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// No longer public: its followers go when it closes, so this is
		// only a moment's gap; name nothing.
		v.What = lz.T("An appeal that is no longer public")
	case err != nil:
		return v, err
	default:
		v.What = lz.T("Updates about the appeal for {name}", "name", c.FullName)
		v.CaseURL = kit.LangPath(r, "/cases/"+strconv.FormatInt(c.ID, 10))
	}
	return v, nil
}
