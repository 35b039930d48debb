package spread

import (
	"net/http"
	"strings"

	"lostinnl/internal/geo"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// pfifCase is GET /pfif/1.4/persons/{id}.xml: one case's record. An open
// case is a full record, a located one an expired record (partners delete
// it); an archived case is 410 Gone, and pending, rejected and unknown ids
// are 404 like the case page.
func (h *handler) pfifCase(w http.ResponseWriter, r *http.Request) error {
	num, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	id, valid := kit.ParseID(num)
	if !ok || !valid {
		return kit.ErrNotFound()
	}
	c, err := h.Store.GetCaseForPublic(r.Context(), id)
	if err != nil {
		return err
	}
	// The public point only (internal/geo), whatever this copy shows.
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	switch c.Status {
	case store.StatusMissing, store.StatusLocated:
	case store.StatusArchived:
		return feedGone(r)
	default:
		return kit.ErrNotFound()
	}
	return h.servePFIF(w, r, []store.Case{*c}, c.UpdatedAt)
}
