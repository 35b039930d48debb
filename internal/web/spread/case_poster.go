package spread

import (
	"bytes"
	"net/http"
	"strconv"

	"lostinnl/internal/media"
	"lostinnl/internal/poster"
	"lostinnl/internal/web/kit"
)

// PosterParams: the query parameters the poster reads (the paper size);
// they key the page cache.
var PosterParams = []string{"size"}

// casePoster is GET /cases/{id}/poster.pdf?size=letter|a4: the one-page
// printable appeal of an open case. A bad size is 400; see appealCase for
// which cases have one.
func (h *handler) casePoster(w http.ResponseWriter, r *http.Request) error {
	size, err := poster.ParseSize(r.URL.Query().Get("size"))
	if err != nil {
		return kit.ErrBadRequest(`The paper size must be "letter" or "a4".`)
	}
	c, err := h.appealCase(r)
	if err != nil {
		return err
	}
	// The large variant: already downscaled, so a 12-megapixel upload
	// costs no more than any other (internal/poster).
	key, photo, err := h.appealPhoto(r, c, media.VariantLarge)
	if err != nil {
		return err
	}
	pr, err := h.posters()
	if err != nil {
		return err
	}
	id := strconv.FormatInt(c.ID, 10)
	p := poster.Poster{
		Name:          c.PublicName(), // also if c was read without ForPublic
		Age:           kit.AgeText(c),
		Sex:           kit.SexLabel(c.Sex),
		Height:        kit.FormatHeight(c.HeightCM),
		Weight:        kit.FormatWeight(c.WeightKG),
		Build:         c.Build,
		Hair:          c.HairColour,
		Eyes:          c.EyeColour,
		Features:      c.PublicText(c.Features),
		Clothing:      c.PublicText(c.Clothing),
		LastSeen:      lastSeenWhen(c),
		LastSeenPlace: lastSeenWhere(c),
		Agency:        c.PoliceAgency,
		Phone:         c.PolicePhone,
		FileNumber:    c.PoliceFileNumber,
		URL:           h.AbsURL("/cases/" + id),
		Site:          h.siteAddress(),
		Generated:     h.Now().In(h.Loc),
		Photo:         photo,
	}
	var buf bytes.Buffer
	if err := pr.Render(&buf, p, size); err != nil {
		return err
	}
	serveAppeal(w, r, c, buf.Bytes(), "application/pdf", "missing-"+id+"-"+size.String()+".pdf", appealETag(c, key, "poster-"+size.String()))
	return nil
}
