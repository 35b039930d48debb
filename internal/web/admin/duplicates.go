package admin

import (
	"net/http"
	"strconv"
	"strings"

	"lostinnl/internal/search"
	"lostinnl/internal/store"
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
	for _, d := range ds {
		v.Duplicates = append(v.Duplicates, duplicateRow{Duplicate: d, AgeText: ageText(d.Age), Why: duplicateWhy(d)})
	}
	return nil
}

func ageText(age *int) string {
	if age == nil {
		return "unknown"
	}
	return strconv.Itoa(*age)
}

// duplicateWhy says why a case is listed, strongest reason first.
func duplicateWhy(d store.Duplicate) string {
	var why []string
	switch {
	case d.ExactName:
		why = append(why, "same name")
	case d.ByAlias:
		why = append(why, "name matches an alias")
	default:
		why = append(why, "similar name")
	}
	switch {
	case d.SameCommunity:
		why = append(why, "same community")
	case d.SameRegion:
		why = append(why, "same region")
	}
	switch {
	case d.AgeGap < 0:
		why = append(why, "an age unknown")
	case d.AgeGap == 0:
		why = append(why, "same age")
	case d.AgeGap == 1:
		why = append(why, "ages 1 year apart")
	default:
		why = append(why, "ages "+strconv.Itoa(d.AgeGap)+" years apart")
	}
	return strings.Join(why, ", ")
}
