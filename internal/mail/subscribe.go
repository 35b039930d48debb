package mail

import (
	"fmt"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// SubscribeForm is what a public follow or area-alerts form asks for.
type SubscribeForm struct {
	Email    string
	CaseID   int64  // follow this case; or
	CaseName string // (its name, for the confirmation text)
	Regions  []string
	// Lang is the language of the page the form was sent from: the
	// confirmation mail, its link and every alert of the subscription
	// come in it.
	Lang i18n.Lang
}

// NewSubscribeRequest prepares store.Subscribe: it normalises the
// address (ErrBadAddress when it is not one), computes its blind index,
// draws the confirmation token and renders the confirmation mail with its
// link. The web layer passes the result to Store.Subscribe and shows the
// same answer whatever the result (no enumeration).
func NewSubscribeRequest(k *Keys, t *Templates, baseURL, host string, f SubscribeForm, at time.Time) (store.SubscribeRequest, error) {
	addr, err := NormalizeAddress(f.Email)
	if err != nil {
		return store.SubscribeRequest{}, err
	}
	token, err := NewToken()
	if err != nil {
		return store.SubscribeRequest{}, err
	}
	lang := mailLang(string(f.Lang))
	c := SubscriptionConfirm{Regions: f.Regions, ConfirmURL: ConfirmURL(baseURL, lang, token)}
	if f.CaseID != 0 {
		c = SubscriptionConfirm{CaseName: f.CaseName, ConfirmURL: c.ConfirmURL}
	}
	show := lang
	if f.Lang == i18n.Pseudo {
		show = i18n.Pseudo // the tests' pseudo-locale: stored as English
	}
	r, err := t.RenderLang(show, c)
	if err != nil {
		return store.SubscribeRequest{}, err
	}
	msgID, err := NewToken()
	if err != nil {
		return store.SubscribeRequest{}, err
	}
	return store.SubscribeRequest{
		Email: addr, EmailIndex: k.Index(addr), CaseID: f.CaseID, Regions: f.Regions, ConfirmToken: token, Lang: string(lang),
		Confirm: store.Mail{
			MessageID: fmt.Sprintf("confirm.%s@%s", msgID[:22], host), Kind: KindSubscriptionConfirm, To: addr,
			Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		},
		At: at,
	}, nil
}

// mailLang is the language of a stored subscription's or user's lang
// column: English unless it is French (a value the site does not know
// gets the default, not an error, so a bad row still gets its mail).
func mailLang(s string) i18n.Lang {
	if l, ok := i18n.Parse(s); ok {
		return l
	}
	return i18n.English
}
