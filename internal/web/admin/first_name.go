package admin

import (
	"strconv"

	"lostinnl/internal/store"
)

// nameLeaks lists, for a first-name-only case, the public texts in which
// the surname still shows on its own (the full name itself is replaced
// on every public surface; see store.Case.PublicText), so the moderator
// can reword them. The case page and the review page show the list.
func nameLeaks(c *store.Case, photos []store.Photo, updates []store.Update) []string {
	if !c.FirstNameOnly {
		return nil
	}
	texts := []store.LabelledText{
		{Label: "distinguishing features", Text: c.Features},
		{Label: "clothing", Text: c.Clothing},
		{Label: "place last seen", Text: c.LastSeenPlace},
		{Label: "circumstances", Text: c.Circumstances},
		{Label: "circumstances in the other language", Text: c.CircumstancesAlt},
	}
	for i, p := range photos {
		texts = append(texts, store.LabelledText{Label: "description of photo " + strconv.Itoa(i+1), Text: p.Alt})
	}
	for _, u := range updates {
		texts = append(texts, store.LabelledText{Label: "public update of " + u.CreatedAt.Format("January 2, 2006"), Text: u.Body})
		if u.BodyAlt != "" {
			texts = append(texts, store.LabelledText{Label: "public update of " + u.CreatedAt.Format("January 2, 2006") + " in the other language", Text: u.BodyAlt})
		}
	}
	return c.NameLeaks(texts)
}
