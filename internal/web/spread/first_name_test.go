package spread

import (
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// TestShareOfFirstNameOnly: the share picture of a first-name-only case
// is drawn from "Jordan Z." — also for a case read without ForPublic —
// and its place line has the full name replaced. Its pixels cannot be
// read back as text; its input can.
func TestShareOfFirstNameOnly(t *testing.T) {
	h := &handler{Env: &kit.Env{BaseURL: "https://missing.example.ca"}}
	c := &store.Case{ID: 3, FullName: "Jordan Zxqwerty", FirstNameOnly: true, LastSeenDate: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC),
		LastSeenPlace: "Home of Jordan Zxqwerty", Community: "Gander", Region: "Central"}
	for _, in := range []*store.Case{c, c.ForPublic()} {
		s := h.shareOf(i18n.For(i18n.English), in, nil)
		if s.Name != "Jordan Z." || strings.Contains(s.Name+s.Place+s.MissingSince+s.Site, "Zxqwerty") {
			t.Errorf("share input %+v", s)
		}
	}
	c.FirstNameOnly = false
	if s := h.shareOf(i18n.For(i18n.English), c, nil); s.Name != "Jordan Zxqwerty" {
		t.Errorf("an ordinary case's share shows %q", s.Name)
	}
}
