package kit

import (
	"strconv"

	"lostinnl/internal/store"
)

// Card is one case card of the home page and the listings with every
// string it shows prepared: the card partial then only prints fields,
// instead of calling a template function (a reflective call each) per
// value per card, which was a quarter of a listing's template time.
type Card struct {
	URL, Img, Name string
	Status         store.Status // for the badge's class
	StatusLabel    string
	Verified       bool
	Age            string // "" when unknown or the family withdrew the details
	LastSeenISO    string
	LastSeen       string
	Place          string // "Community, Region" or "Region"
}

// Cards prepares the cards of cases, in order.
func (h *Env) Cards(cases []store.Case) []Card {
	out := make([]Card, len(cases))
	portrait := ""
	for i := range cases {
		c := &cases[i]
		k := &out[i]
		k.URL = "/cases/" + strconv.FormatInt(c.ID, 10)
		if c.PrimaryPhoto != nil && !c.PersonalWithdrawn {
			k.Img = h.PhotoURL(c.PrimaryPhoto.Key, "320")
		} else {
			if portrait == "" {
				portrait = h.Assets.URL("portrait.svg")
			}
			k.Img = portrait
		}
		k.Name = c.FullName
		k.Status, k.StatusLabel = c.Status, StatusLabel(c.Status)
		k.Verified = c.PoliceVerified
		if !c.PersonalWithdrawn {
			k.Age = AgeText(c)
		}
		k.LastSeenISO = c.LastSeenDate.Format("2006-01-02")
		k.LastSeen = FormatDate(c.LastSeenDate)
		k.Place = c.Region
		if c.Community != "" {
			k.Place = c.Community + ", " + c.Region
		}
	}
	return out
}
