package spread

import (
	"bytes"
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
	"lostinnl/internal/shareimg"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// caseShare is GET /cases/{id}/share.jpg: the 1200×630 link-preview
// picture that the case page's og:image names. See appealCase for which
// cases have one.
func (h *handler) caseShare(w http.ResponseWriter, r *http.Request) error {
	c, err := h.appealCase(r)
	if err != nil {
		return err
	}
	// The medium variant is enough for the 504-pixel photo panel.
	key, photo, err := h.appealPhoto(r, c, media.VariantMedium)
	if err != nil {
		return err
	}
	sr, err := h.shares()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	lz := kit.L(r) // lang=fr: the French picture (web/querylang.go)
	if err := sr.Render(&buf, h.shareOf(lz, c, photo)); err != nil {
		return err
	}
	id := strconv.FormatInt(c.ID, 10)
	serveAppeal(w, r, c, buf.Bytes(), "image/jpeg", fileName(lz, id)+".jpg", appealETag(c, key, "share"+langTag(lz)))
	return nil
}

// shareOf is what the share picture shows of c. The name is the public
// one (first name and initial when so decided) even if c was read
// without ForPublic: text drawn into pixels cannot be checked by tests
// that read the page, so this input is (TestShareOfFirstNameOnly).
func (h *handler) shareOf(lz *i18n.Localizer, c *store.Case, photo []byte) shareimg.Share {
	return shareimg.Share{
		Lang:         lz.Lang(),
		Name:         c.PublicName(),
		MissingSince: lz.Date(c.LastSeenDate),
		Place:        c.PublicText(lastSeenWhere(c)),
		Site:         h.siteAddress(),
		Photo:        photo,
	}
}
