package store

import (
	"testing"
	"time"
)

// TestAgeWhenLastSeen: the one rule every page, the API, the feeds, PFIF
// and search use for a person's age.
func TestAgeWhenLastSeen(t *testing.T) {
	d := func(s string) *time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	n := func(i int) *int { return &i }
	seen := *d("2026-06-15")
	for _, tc := range []struct {
		name string
		c    Case
		age  int
		ok   bool
	}{
		{"given age wins", Case{Age: n(40), BirthDate: d("2000-01-01"), LastSeenDate: seen}, 40, true},
		{"given zero", Case{Age: n(0), LastSeenDate: seen}, 0, true},
		{"day before the birthday", Case{BirthDate: d("2000-06-16"), LastSeenDate: seen}, 25, true},
		{"on the birthday", Case{BirthDate: d("2000-06-15"), LastSeenDate: seen}, 26, true},
		{"29 February, seen 28 February", Case{BirthDate: d("2004-02-29"), LastSeenDate: *d("2025-02-28")}, 20, true},
		{"born the day seen", Case{BirthDate: d("2026-06-15"), LastSeenDate: seen}, 0, true},
		{"born after last seen", Case{BirthDate: d("2026-06-16"), LastSeenDate: seen}, 0, false},
		{"no birth date", Case{LastSeenDate: seen}, 0, false},
		{"no last-seen date", Case{BirthDate: d("2000-01-01")}, 0, false},
	} {
		age, ok := tc.c.AgeWhenLastSeen()
		if ok != tc.ok || (ok && age != tc.age) {
			t.Errorf("%s: %d, %v; want %d, %v", tc.name, age, ok, tc.age, tc.ok)
		}
	}
}
