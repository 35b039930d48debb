package pfif

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/store"
)

// ToCase turns an imported person into a pending case for a moderator to
// review: never public, whatever the document says. PFIF has no "last
// seen" date, so the record's source date (else its entry date, else now)
// stands in, and the newest note's last known location is the place last
// seen (else the home city); the moderator corrects both. The region is
// left empty: PFIF's home_state is free text. Where the record came from
// goes at the end of the circumstances.
func ToCase(p Person, now time.Time) store.Case {
	c := store.Case{
		Status:    store.StatusPending,
		FullName:  p.FullName,
		Aliases:   p.AlternateNames,
		Community: p.HomeCity,
		Sex:       "unknown",
	}
	if c.FullName == "" {
		c.FullName = strings.TrimSpace(p.GivenName + " " + p.FamilyName)
	}
	switch p.Sex {
	case "female", "male", "other":
		c.Sex = p.Sex
	}
	// "N-M" keeps the lower bound; the description says the range.
	if lo, _, _ := strings.Cut(p.Age, "-"); lo != "" {
		if n, err := strconv.Atoi(lo); err == nil {
			c.Age = &n
		}
	}
	if t, err := time.Parse(time.DateOnly, p.DateOfBirth); err == nil {
		c.BirthDate = &t
	}
	seen := p.SourceDate
	if seen.IsZero() {
		seen = p.EntryDate
	}
	if seen.IsZero() {
		seen = now
	}
	y, m, d := seen.UTC().Date()
	c.LastSeenDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	c.LastSeenPlace = p.HomeCity
	var newest time.Time
	for _, n := range p.Notes {
		if n.LastKnownLocation != "" && !n.EntryDate.Before(newest) {
			c.LastSeenPlace, newest = n.LastKnownLocation, n.EntryDate
		}
	}
	var b strings.Builder
	if p.Description != "" {
		b.WriteString(p.Description)
		b.WriteString("\n\n")
	}
	if strings.Contains(p.Age, "-") {
		fmt.Fprintf(&b, "Age given as %s.\n", p.Age)
	}
	fmt.Fprintf(&b, "Imported from PFIF record %s", p.RecordID)
	if p.SourceName != "" {
		fmt.Fprintf(&b, " (source: %s", p.SourceName)
		if p.SourceURL != "" {
			fmt.Fprintf(&b, ", %s", p.SourceURL)
		}
		b.WriteString(")")
	}
	b.WriteString(".")
	c.Circumstances = b.String()
	return c
}
