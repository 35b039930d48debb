package cli

import (
	"runtime"
	"testing"
)

// Two build slots a core only where builds wait on MySQL's round trips:
// case pages read from the database. Everywhere else one a core (0).
func TestBuildSlots(t *testing.T) {
	for _, c := range []struct {
		dialect string
		pages   bool
		want    int
	}{
		{"mysql", false, 2 * runtime.GOMAXPROCS(0)},
		{"mysql", true, 0},
		{"sqlite", false, 0},
		{"sqlite", true, 0},
	} {
		if got := buildSlots(c.dialect, c.pages); got != c.want {
			t.Errorf("buildSlots(%q, %v) = %d, want %d", c.dialect, c.pages, got, c.want)
		}
	}
}
