package mail

import (
	"fmt"
	"strings"
	"time"

	"lostinnl/internal/store"
)

// SubscribeForm is what a public follow or area-alerts form asks for.
type SubscribeForm struct {
	Email    string
	CaseID   int64  // follow this case; or
	CaseName string // (its name, for the confirmation text)
	Regions  []string
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
	what := "email updates about the appeal for " + f.CaseName
	if f.CaseID == 0 {
		what = "an email when a new appeal is published for " + regionsText(f.Regions)
	}
	r, err := t.Render(SubscriptionConfirm{What: what, ConfirmURL: ConfirmURL(baseURL, token)})
	if err != nil {
		return store.SubscribeRequest{}, err
	}
	msgID, err := NewToken()
	if err != nil {
		return store.SubscribeRequest{}, err
	}
	return store.SubscribeRequest{
		Email: addr, EmailIndex: k.Index(addr), CaseID: f.CaseID, Regions: f.Regions, ConfirmToken: token,
		Confirm: store.Mail{
			MessageID: fmt.Sprintf("confirm.%s@%s", msgID[:22], host), Kind: KindSubscriptionConfirm, To: addr,
			Subject: r.Subject, Text: r.Text, HTML: r.HTML,
		},
		At: at,
	}, nil
}

func regionsText(regions []string) string {
	for _, r := range regions {
		if r == store.AllRegions {
			return "anywhere in Newfoundland and Labrador"
		}
	}
	switch len(regions) {
	case 0:
		return "no region"
	case 1:
		return "the " + regions[0] + " region"
	}
	return "the " + strings.Join(regions[:len(regions)-1], ", ") + " and " + regions[len(regions)-1] + " regions"
}
