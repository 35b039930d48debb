package spread

import (
	"net/http"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/web/kit"
)

// feedRegion is GET /feeds/regions/{region}: the open cases of one region.
// Anything but a region's name (any case) is 404.
func (h *handler) feedRegion(w http.ResponseWriter, r *http.Request) error {
	region, ok := feed.RegionBySlug(r.PathValue("region"))
	if !ok {
		return kit.ErrNotFound()
	}
	cases, err := h.publicSnapshot(r)
	if err != nil {
		return err
	}
	// The newest change of any case, not only this region's: a case moved
	// to another region leaves this feed, and its Last-Modified must move
	// forward with it.
	return renderFeed(w, r, feed.Region(h.feedSite(r), region, cases, time.Time{}), newestChange(cases))
}
