package admin

import (
	"net/http"
	"strconv"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/search"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// duplicateRow is one possible duplicate as the report and case pages list
// it, with what matched said in words.
type duplicateRow struct {
	store.Duplicate
	AgeText string // "35" or "unknown"
	Why     string // "similar name, same community, age 1 year apart"
}

// loadDuplicates fills the "Possible duplicates" section of a pending
// case's pages: the open or pending cases that may be the same person.
// Published and closed cases are not merged, so they get no list.
func (h *handler) loadDuplicates(r *http.Request, c *store.Case, v *adminCaseView) error {
	if c.Status != store.StatusPending {
		return nil
	}
	ds, err := h.Store.PossibleDuplicates(r.Context(), c.ID, search.SimilarTo, store.DefaultDuplicateLimit)
	if err != nil {
		return err
	}
	v.DuplicatesChecked = true
	lz := kit.L(r)
	for _, d := range ds {
		v.Duplicates = append(v.Duplicates, duplicateRow{Duplicate: d, AgeText: ageText(lz, d.Age), Why: duplicateWhy(lz, d)})
	}
	return nil
}

func ageText(lz *i18n.Localizer, age *int) string {
	if age == nil {
		return lz.TC("admin cases", "unknown")
	}
	return strconv.Itoa(*age)
}

// duplicateWhy says why a case is listed, strongest reason first.
func duplicateWhy(lz *i18n.Localizer, d store.Duplicate) string {
	var why []string
	switch {
	case d.ExactName:
		why = append(why, lz.TC("admin cases", "same name"))
	case d.ByAlias:
		why = append(why, lz.TC("admin cases", "name matches an alias"))
	default:
		why = append(why, lz.TC("admin cases", "similar name"))
	}
	switch {
	case d.SameCommunity:
		why = append(why, lz.TC("admin cases", "same community"))
	case d.SameRegion:
		why = append(why, lz.TC("admin cases", "same region"))
	}
	switch {
	case d.AgeGap < 0:
		why = append(why, lz.TC("admin cases", "an age unknown"))
	case d.AgeGap == 0:
		why = append(why, lz.TC("admin cases", "same age"))
	default:
		why = append(why, lz.N("ages {n} year apart", "ages {n} years apart", d.AgeGap))
	}
	return strings.Join(why, ", ")
}
