package api

import (
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// apiCase is a case in the public JSON API: public fields only. Reporter
// contact and tips have no field here, so they cannot leak by accident.
type apiCase struct {
	ID            int64     `json:"id"`
	URL           string    `json:"url"`
	FullName      string    `json:"full_name"`
	Age           *int      `json:"age"`
	Sex           string    `json:"sex"`
	Status        string    `json:"status"`
	LastSeenDate  string    `json:"last_seen_date"`
	LastSeenPlace string    `json:"last_seen_place"`
	Community     string    `json:"community"`
	Region        string    `json:"region"`
	Photo         *apiPhoto `json:"photo"`
	UpdatedAt     time.Time `json:"updated_at"`

	// NameRestricted: full_name is the first name and the initial of the
	// last name only, by decision of the team (first-name-only
	// publishing); aliases are then empty.
	NameRestricted bool `json:"name_restricted"`
}

type apiPhoto struct {
	W320   string `json:"320"`
	W800   string `json:"800"`
	W1600  string `json:"1600"`
	Social string `json:"social"`
	Alt    string `json:"alt"`
}

// apiCaseDetail is the single-case form: description, police contact,
// photos and updates added.
type apiCaseDetail struct {
	apiCase
	Aliases           string      `json:"aliases"`
	HeightCM          *int        `json:"height_cm"`
	WeightKG          *int        `json:"weight_kg"`
	Build             string      `json:"build"`
	HairColour        string      `json:"hair_colour"`
	EyeColour         string      `json:"eye_colour"`
	Features          string      `json:"features"`
	Clothing          string      `json:"clothing"`
	LastSeenTime      string      `json:"last_seen_time"`
	Latitude          *float64    `json:"latitude"`
	Longitude         *float64    `json:"longitude"`
	Circumstances     string      `json:"circumstances"`
	ContentLang       string      `json:"content_lang"`      // the language the texts were entered in (issue 18)
	CircumstancesAlt  string      `json:"circumstances_alt"` // in the other language; "" for none
	Police            apiPolice   `json:"police"`
	LocatedAt         *time.Time  `json:"located_at"`
	PersonalWithdrawn bool        `json:"personal_withdrawn"`
	Photos            []apiPhoto  `json:"photos"`
	Updates           []apiUpdate `json:"updates"`
}

type apiPolice struct {
	Agency     string `json:"agency"`
	FileNumber string `json:"file_number"`
	Phone      string `json:"phone"`
	Verified   bool   `json:"verified"`
}

type apiUpdate struct {
	Date    time.Time `json:"date"`
	Body    string    `json:"body"`
	BodyAlt string    `json:"body_alt"` // in the other language than the case's; "" for none
}

type apiList struct {
	Cases   []apiCase `json:"cases"`
	Total   int       `json:"total"`
	Page    int       `json:"page"`
	PerPage int       `json:"per_page"`
}

// apiPhotoOf: the photo's stored description is data (shown as
// entered); the one made up when there is none is in r's language.
func (h *handler) apiPhotoOf(r *http.Request, c *store.Case, p *store.Photo) *apiPhoto {
	if p == nil {
		return nil
	}
	alt := c.PublicText(p.Alt)
	if alt == "" {
		alt = kit.L(r).TC("api", "Photo of {name}", "name", c.PublicName())
	}
	return &apiPhoto{
		W320:   h.AbsURL(h.PhotoURL(p.Key, "320")),
		W800:   h.AbsURL(h.PhotoURL(p.Key, "800")),
		W1600:  h.AbsURL(h.PhotoURL(p.Key, "1600")),
		Social: h.AbsURL(h.PhotoURL(p.Key, "social")),
		Alt:    alt,
	}
}

// apiCaseOf: url is the case page in r's language (/fr/cases/{id} for
// lang=fr), so a partner links its readers to the page they can read.
func (h *handler) apiCaseOf(r *http.Request, c *store.Case) apiCase {
	a := apiCase{
		ID:            c.ID,
		URL:           h.AbsURL(kit.LangPath(r, "/cases/"+strconv.FormatInt(c.ID, 10))),
		FullName:      c.PublicName(),
		Sex:           c.Sex,
		Status:        string(c.Status),
		LastSeenDate:  c.LastSeenDate.Format(time.DateOnly),
		LastSeenPlace: c.LastSeenPlace,
		Community:     c.Community,
		Region:        c.Region,
		UpdatedAt:     c.UpdatedAt.UTC(),
	}
	a.NameRestricted = c.FirstNameOnly
	if withheld(c) {
		// Name, status, date and region only, like the located card.
		a.LastSeenPlace, a.Community = "", ""
	} else {
		if n, ok := c.AgeWhenLastSeen(); ok {
			a.Age = &n
		}
		a.Photo = h.apiPhotoOf(r, c, c.PrimaryPhoto)
	}
	return a
}

// withheld reports whether a case's photos and personal details are kept
// out of the API: from the moment the person is located (their page shows
// the name only), not only once the retention job has withdrawn them.
func withheld(c *store.Case) bool {
	return c.PersonalWithdrawn || c.Status != store.StatusMissing
}
