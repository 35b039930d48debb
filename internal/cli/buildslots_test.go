package cli

import (
	"runtime"
	"strconv"
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

// TestTuneProcs: the server adds one P to Go's default unless GOMAXPROCS
// is set in its environment (an operator's choice wins).
func TestTuneProcs(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	t.Setenv("GOMAXPROCS", "")
	tuneProcs()
	if got := runtime.GOMAXPROCS(0); got != before+1 {
		t.Errorf("GOMAXPROCS unset: %d Ps after tuning, want %d", got, before+1)
	}
	runtime.GOMAXPROCS(before)
	t.Setenv("GOMAXPROCS", strconv.Itoa(before))
	tuneProcs()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS=%d in the environment: %d Ps after tuning", before, got)
	}
}
