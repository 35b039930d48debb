package kit

import (
	"testing"
	"time"

	"lostinnl/internal/i18n"
)

// The site's "today" is St. John's time: at 23:00 on the 27th in St. John's
// it is already the 28th in UTC, and the 28th must still be refused.
func TestTodayUsesNewfoundlandTime(t *testing.T) {
	loc, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Fatal(err)
	}
	h := &Env{Loc: loc, Now: func() time.Time { return time.Date(2026, 11, 28, 2, 30, 0, 0, time.UTC) }}
	if got := h.Today().Format(time.DateOnly); got != "2026-11-27" {
		t.Errorf("today = %s", got)
	}
}

func TestUnitFormatting(t *testing.T) {
	i := func(n int) *int { return &n }
	for cm, want := range map[int]string{170: "170 cm (5 ft 7 in)", 183: "183 cm (6 ft 0 in)", 152: "152 cm (5 ft 0 in)", 100: "100 cm (3 ft 3 in)"} {
		if got := FormatHeight(i(cm)); got != want {
			t.Errorf("height %d: %q", cm, got)
		}
	}
	if FormatHeight(nil) != "" || FormatWeight(nil) != "" || FormatHeight(i(0)) != "" {
		t.Error("unknown values not blank")
	}
	for kg, want := range map[int]string{70: "70 kg (154 lb)", 100: "100 kg (220 lb)", 3: "3 kg (7 lb)"} {
		if got := FormatWeight(i(kg)); got != want {
			t.Errorf("weight %d: %q", kg, got)
		}
	}
}

func TestSizeTextIn(t *testing.T) {
	en, fr := i18n.For(i18n.English), i18n.For(i18n.French)
	for _, tc := range []struct {
		n      int64
		en, fr string
	}{
		{10 << 20, "10 MB", "10 Mo"},
		{5<<20 + 1<<19, "5.5 MB", "5,5 Mo"},
		{300 << 10, "300 KB", "300 Ko"},
	} {
		if got := SizeTextIn(en, tc.n); got != tc.en || got != SizeText(tc.n) {
			t.Errorf("English %d: %q (SizeText %q), want %q", tc.n, got, SizeText(tc.n), tc.en)
		}
		if got := SizeTextIn(fr, tc.n); got != tc.fr {
			t.Errorf("French %d: %q, want %q", tc.n, got, tc.fr)
		}
	}
}
