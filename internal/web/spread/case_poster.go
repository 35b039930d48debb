package spread

import (
	"bytes"
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
	"lostinnl/internal/poster"
	"lostinnl/internal/web/kit"
)

// PosterParams: the query parameters the poster reads (the paper size);
// they key the page cache, with lang (kit.Route.LangQuery).
var PosterParams = []string{"size"}

// casePoster is GET /cases/{id}/poster.pdf?size=letter|a4: the one-page
// printable appeal of an open case. A bad size is 400; see appealCase for
// which cases have one.
func (h *handler) casePoster(w http.ResponseWriter, r *http.Request) error {
	size, err := poster.ParseSize(r.URL.Query().Get("size"))
	if err != nil {
		return kit.ErrBadRequest(kit.L(r).T(`The paper size must be "letter" or "a4".`))
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
	lz := kit.L(r) // lang=fr: the French poster (web/querylang.go)
	p := poster.Poster{
		Lang:          lz.Lang(),
		Name:          c.PublicName(), // also if c was read without ForPublic
		Age:           kit.AgeText(c),
		Sex:           lz.TC("sex", kit.SexLabel(c.Sex)),
		Height:        height(lz, c.HeightCM),
		Weight:        weight(lz, c.WeightKG),
		Build:         c.Build,
		Hair:          c.HairColour,
		Eyes:          c.EyeColour,
		Features:      c.PublicText(c.Features),
		Clothing:      c.PublicText(c.Clothing),
		LastSeen:      lastSeenWhen(lz, c),
		LastSeenPlace: lastSeenWhere(c),
		Agency:        c.PoliceAgency,
		Phone:         c.PolicePhone,
		FileNumber:    c.PoliceFileNumber,
		URL:           h.AbsURL(i18n.Path(lz.Lang(), "/cases/"+id)), // the page in the poster's language
		Site:          h.siteAddress(),
		Generated:     h.Now().In(h.Loc),
		Photo:         photo,
	}
	var buf bytes.Buffer
	if err := pr.Render(&buf, p, size); err != nil {
		return err
	}
	serveAppeal(w, r, c, buf.Bytes(), "application/pdf", fileName(lz, id)+"-"+size.String()+".pdf", appealETag(c, key, "poster-"+size.String()+langTag(lz)))
	return nil
}

// height and weight as the case page shows them, in lz's language.
func height(lz *i18n.Localizer, cm *int) string {
	if cm == nil {
		return ""
	}
	return lz.Height(*cm)
}

func weight(lz *i18n.Localizer, kg *int) string {
	if kg == nil {
		return ""
	}
	return lz.Weight(*kg)
}

// fileName is the download's name without extension: "missing-12",
// "disparue-12" for the French copy, so both can sit in one folder.
func fileName(lz *i18n.Localizer, id string) string {
	if lz.Lang() == i18n.French {
		return "disparue-" + id
	}
	return "missing-" + id
}

// langTag keeps the ETags of a file's two languages apart (a cache that
// holds the English copy must not confirm the French one); English keeps
// the tag it always had.
func langTag(lz *i18n.Localizer) string {
	if lz.Lang() == i18n.English {
		return ""
	}
	return "-" + string(lz.Lang())
}
