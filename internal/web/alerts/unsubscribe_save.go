package alerts

import (
	"net/http"

	"lostinnl/internal/i18n"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// unsubscribeSave is POST /alerts/unsubscribe?token=…. Three senders:
//
//   - a mail provider's RFC 8058 one-click POST (body
//     "List-Unsubscribe=One-Click", urlencoded or multipart), which ends
//     the subscription the message was sent for (all of them for a link
//     that names none) and gets a short 200 page;
//   - the manage page's buttons: one subscription ("subscription=ID") or
//     all of them ("all=1"), then back to the manage page (303).
//
// Idempotent: stopping what is already stopped is the same success. The
// signed token is the authorization, so this route alone accepts
// cross-site posts (kit.Route.CrossSite).
func (h *handler) unsubscribeSave(w http.ResponseWriter, r *http.Request) error {
	m, token, err := h.parseLink(r)
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	// A message's link names its subscription: a POST to it that is not
	// one of the manage page's buttons is taken as the one-click
	// unsubscribe, whatever body the provider sent (RFC 8058 shows
	// multipart; most send urlencoded), so no unsubscribe is lost to the
	// shape of a body.
	button := vals.Has("subscription") || vals.Has("all")
	switch {
	case vals.Get("List-Unsubscribe") == "One-Click" || (!button && m.SubscriptionID > 0):
		if m.SubscriptionID > 0 {
			err = h.Store.Unsubscribe(ctx, m.Index, m.SubscriptionID)
		} else {
			_, err = h.Store.UnsubscribeAll(ctx, m.Index)
		}
		if err != nil {
			return err
		}
		noReferrer(w)
		p := h.Page(r, kit.L(r).T("Unsubscribed"))
		p.NoIndex = true
		p.Data = struct{ Manage string }{kit.LangPath(r, manageURL(token, ""))}
		return h.HTML(w, http.StatusOK, kit.CacheNone, "alerts_unsubscribed.html", p)
	case vals.Get("all") == "1":
		if _, err := h.Store.UnsubscribeAll(ctx, m.Index); err != nil {
			return err
		}
	default:
		id, ok := kit.ParseID(vals.Get("subscription"))
		if !ok {
			return kit.ErrBadRequest(i18n.Mark("Choose which emails to stop, using the buttons on the page."))
		}
		if err := h.Store.Unsubscribe(ctx, m.Index, id); err != nil {
			return err
		}
	}
	http.Redirect(w, r, kit.LangPath(r, manageURL(token, "done")), http.StatusSeeOther)
	return nil
}
