package cli

import (
	"runtime"
	"strconv"
	"testing"
)

// Two build slots a core only where builds wait on MySQL's round trips:
// case pages read from the database. Everywhere else one a core.
func TestBuildSlots(t *testing.T) {
	for _, c := range []struct {
		dialect string
		pages   bool
		cores   int
		want    int
	}{
		{"mysql", false, 2, 4},
		{"mysql", true, 2, 2},
		{"sqlite", false, 2, 2},
		{"sqlite", true, 3, 3},
	} {
		if got := buildSlots(c.dialect, c.pages, c.cores); got != c.want {
			t.Errorf("buildSlots(%q, %v, %d) = %d, want %d", c.dialect, c.pages, c.cores, got, c.want)
		}
	}
}

// TestTuneProcs: the server adds one P to Go's default unless GOMAXPROCS
// is set in its environment (an operator's choice wins).
func TestTuneProcs(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(before) })
	t.Setenv("GOMAXPROCS", "")
	cores := tuneProcs()
	if got := runtime.GOMAXPROCS(0); got != before+1 || cores != before {
		t.Errorf("GOMAXPROCS unset: %d Ps after tuning and %d cores, want %d and %d", got, cores, before+1, before)
	}
	runtime.GOMAXPROCS(before)
	t.Setenv("GOMAXPROCS", strconv.Itoa(before))
	cores = tuneProcs()
	if got := runtime.GOMAXPROCS(0); got != before || cores != before {
		t.Errorf("GOMAXPROCS=%d in the environment: %d Ps after tuning and %d cores", before, got, cores)
	}
}
