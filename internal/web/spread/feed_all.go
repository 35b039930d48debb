package spread

import (
	"net/http"
	"time"

	"lostinnl/internal/feed"
)

// feedAll is GET /feeds/cases: the Atom feed of every open case. Located
// cases are in the snapshot but never entries (feed.AllOpen).
func (h *handler) feedAll(w http.ResponseWriter, r *http.Request) error {
	cases, err := h.publicSnapshot(r)
	if err != nil {
		return err
	}
	last := newestChange(cases)
	return renderFeed(w, r, feed.AllOpen(h.feedSite(r), cases, time.Time{}), last)
}
