package admin

import (
	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// nameLeaks lists, for a first-name-only case, the public texts in which
// the surname still shows on its own (the full name itself is replaced
// on every public surface; see store.Case.PublicText), so the moderator
// can reword them. The case page and the review page show the list.
func nameLeaks(lz *i18n.Localizer, c *store.Case, photos []store.Photo, updates []store.Update) []string {
	if !c.FirstNameOnly {
		return nil
	}
	texts := []store.LabelledText{
		{Label: lz.TC("admin cases", "distinguishing features"), Text: c.Features},
		{Label: lz.TC("admin cases", "clothing"), Text: c.Clothing},
		{Label: lz.TC("admin cases", "place last seen"), Text: c.LastSeenPlace},
		{Label: lz.TC("admin cases", "circumstances"), Text: c.Circumstances},
		{Label: lz.TC("admin cases", "circumstances in the other language"), Text: c.CircumstancesAlt},
	}
	for i, p := range photos {
		texts = append(texts, store.LabelledText{Label: lz.TC("admin cases", "description of photo {n}", "n", i+1), Text: p.Alt})
	}
	for _, u := range updates {
		date := lz.Date(u.CreatedAt)
		texts = append(texts, store.LabelledText{Label: lz.TC("admin cases", "public update of {date}", "date", date), Text: u.Body})
		if u.BodyAlt != "" {
			texts = append(texts, store.LabelledText{Label: lz.TC("admin cases", "public update of {date} in the other language", "date", date), Text: u.BodyAlt})
		}
	}
	return c.NameLeaks(texts)
}
