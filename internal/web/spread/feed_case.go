package spread

import (
	"errors"
	"net/http"

	"lostinnl/internal/feed"
	"lostinnl/internal/geo"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// feedCase is GET /feeds/cases/{id}: one open case's public updates.
// Pending, rejected and unknown ids are 404 like the case page; a closed
// case (located, archived) is 410 Gone, so readers drop the subscription
// and the found person's timeline stops travelling.
func (h *handler) feedCase(w http.ResponseWriter, r *http.Request) error {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return kit.ErrNotFound()
	}
	c, err := h.Store.GetCaseForPublic(r.Context(), id)
	if err != nil {
		return err
	}
	// The public point only (internal/geo), whatever this copy shows.
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	if c.Status == store.StatusPending || c.Status == store.StatusRejected {
		return kit.ErrNotFound()
	}
	updates, err := h.Store.ListUpdates(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for i := range updates {
		updates[i].Body = c.PublicText(updates[i].Body)
	}
	f, err := feed.CaseUpdates(h.feedSite(r), c, updates)
	if errors.Is(err, feed.ErrClosed) {
		return feedGone(r)
	}
	if err != nil {
		return err
	}
	// The newer of the case's own change and its newest update (renderFeed).
	return renderFeed(w, r, f, c.UpdatedAt)
}

// feedGone is the answer for a closed case's feed or PFIF record.
func feedGone(r *http.Request) error {
	return &kit.HTTPError{Status: http.StatusGone,
		Msg: kit.L(r).T("This person is no longer listed as missing, so this feed or record has been withdrawn. Thank you for helping. Please remove any copies you shared.")}
}
