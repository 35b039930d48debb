package maps

import (
	"testing"

	"lostinnl/internal/i18n"
)

func TestPlacedText(t *testing.T) {
	for _, c := range []struct {
		shown, placed int
		want          string
	}{
		{0, 0, ""},
		{1, 0, "It has no last-seen place on the map yet."},
		{3, 0, "None of them has a last-seen place on the map yet."},
		{1, 1, "It has a last-seen place on the map."},
		{4, 4, "All of them have a last-seen place on the map."},
		{4, 1, "1 of them has a last-seen place on the map."},
		{4, 2, "2 of them have a last-seen place on the map."},
	} {
		if got := placedText(i18n.For(i18n.English), c.shown, c.placed); got != c.want {
			t.Errorf("placedText(%d, %d) = %q, want %q", c.shown, c.placed, got, c.want)
		}
	}
}
