package api

import (
	"net/http"

	"lostinnl/internal/geo"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// apiCaseShow is GET /api/v1/cases/{id}: one public case with its
// description, police contact, photos and updates. A located case gives
// its name, status and region only, with personal_withdrawn true.
func (h *handler) apiCaseShow(w http.ResponseWriter, r *http.Request) error {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return kit.ErrNotFound()
	}
	ctx := r.Context()
	c, err := h.Store.GetPublicCase(ctx, id)
	if err != nil {
		return err
	}
	// The public point only, rounded to about a kilometre (internal/geo).
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	updates, err := h.Store.ListUpdates(ctx, id)
	if err != nil {
		return err
	}
	d := apiCaseDetail{
		apiCase:           h.apiCaseOf(r, c),
		Aliases:           c.PublicAliases(),
		LastSeenTime:      c.LastSeenTime,
		Latitude:          c.Latitude,
		Longitude:         c.Longitude,
		Circumstances:     c.Circumstances,
		ContentLang:       contentLang(c),
		CircumstancesAlt:  c.CircumstancesAlt,
		Police:            apiPolice{Agency: c.PoliceAgency, FileNumber: c.PoliceFileNumber, Phone: c.PolicePhone, Verified: c.PoliceVerified},
		LocatedAt:         c.LocatedAt,
		PersonalWithdrawn: withheld(c),
		Photos:            []apiPhoto{},
		Updates:           make([]apiUpdate, 0, len(updates)),
	}
	if !withheld(c) {
		d.HeightCM, d.WeightKG = c.HeightCM, c.WeightKG
		d.Build, d.HairColour, d.EyeColour = c.Build, c.HairColour, c.EyeColour
		d.Features, d.Clothing = c.Features, c.Clothing
		photos, err := h.Store.ListPhotos(ctx, id)
		if err != nil {
			return err
		}
		for i := range photos {
			p := photos[i]
			d.Photos = append(d.Photos, *h.apiPhotoOf(r, c, &p))
			if p.Primary {
				d.Photo = h.apiPhotoOf(r, c, &p)
			}
		}
	} else {
		d.Circumstances, d.CircumstancesAlt = "", ""
		d.Aliases = ""
		d.Latitude, d.Longitude = nil, nil
		d.LastSeenTime = ""
		d.Police.FileNumber, d.Police.Phone = "", ""
		updates = nil // they tell the search's story, often with places and details
	}
	for _, u := range updates {
		d.Updates = append(d.Updates, apiUpdate{Date: u.CreatedAt.UTC(), Body: c.PublicText(u.Body), BodyAlt: c.PublicText(u.BodyAlt)})
	}
	return h.WriteJSON(w, http.StatusOK, "public, max-age=60", d)
}

// contentLang is the language c's texts were entered in: English for a
// case that never said (the column's default).
func contentLang(c *store.Case) string {
	if c.ContentLang == "" {
		return store.ContentEnglish
	}
	return c.ContentLang
}
