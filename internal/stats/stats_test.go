package stats

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"lostinnl/internal/store"
)

var regions = []string{"Avalon", "Eastern", "Central", "Western", "Labrador"}

func texts(t Table) []string {
	out := make([]string, len(t.Cells))
	for i, c := range t.Cells {
		out[i] = c.Label + "=" + c.Text()
	}
	return out
}

func wantTexts(t *testing.T, tab Table, want ...string) {
	t.Helper()
	if got := texts(tab); !slices.Equal(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", tab.Name, got, want)
	}
}

// TestBuildFixedRecord: a fixed record gives the expected tables, with
// 1–4 shown as "fewer than 5", the smallest other count withheld when a
// table would hide one count only, and 0 shown as 0.
func TestBuildFixedRecord(t *testing.T) {
	cs := &store.CaseStats{Revision: 7, Groups: []store.StatsGroup{
		{Region: "Avalon", Year: 2024, Located: false, Count: 20},
		{Region: "Avalon", Year: 2025, Located: true, Count: 12},
		{Region: "Eastern", Year: 2025, Located: false, Count: 3}, // 1–4
		{Region: "Central", Year: 2026, Located: true, Count: 6},  // smallest ≥5: withheld
		{Region: "Western", Year: 2026, Located: false, Count: 9},
		{Region: "Atlantis", Year: 2026, Located: true, Count: 2}, // unknown region, 1–4
	}}
	r := Build(cs, regions)
	if r.Revision != 7 {
		t.Errorf("revision %d", r.Revision)
	}
	// Two small counts (Eastern and Other): nothing more to withhold.
	wantTexts(t, r.Regions, "Avalon=32", "Eastern=fewer than 5", "Central=6", "Western=9", "Labrador=0", OtherRegion+"=fewer than 5")
	// 2024: 20, 2025: 15, 2026: 17.
	wantTexts(t, r.Years, "2024=20", "2025=15", "2026=17")
	wantTexts(t, r.Status, StillMissing+"=32", LocatedStatus+"=20")
	if r.Total.Text() != "52" {
		t.Errorf("total %q", r.Total.Text())
	}

	// Eastern alone is small once the unknown region is gone: Central
	// (6, the smallest other count above 0) is withheld with it.
	cs.Groups = cs.Groups[:5]
	r = Build(cs, regions)
	wantTexts(t, r.Regions, "Avalon=32", "Eastern=fewer than 5", "Central=not shown", "Western=9", "Labrador=0")
	if !r.Regions.Suppressed() || r.Status.Suppressed() {
		t.Errorf("Suppressed: regions %v, status %v", r.Regions.Suppressed(), r.Status.Suppressed())
	}
	for _, c := range r.Regions.Cells {
		if c.Shown != Exact && c.Value != 0 {
			t.Errorf("%s: hidden cell carries its count %d", c.Label, c.Value)
		}
	}
}

// TestBuildThresholds: every count from 0 to 6 alone in a table, and next
// to a large one.
func TestBuildThresholds(t *testing.T) {
	for n := 0; n <= 6; n++ {
		cs := &store.CaseStats{Groups: []store.StatsGroup{
			{Region: "Avalon", Year: 2026, Count: 40},
			{Region: "Labrador", Year: 2026, Located: true, Count: n},
		}}
		r := Build(cs, regions)
		lab, av := "Labrador="+strconv.Itoa(n), "Avalon=40"
		located := LocatedStatus + "=" + strconv.Itoa(n)
		missing := StillMissing + "=40"
		if n >= 1 && n <= 4 {
			lab, av = "Labrador=fewer than 5", "Avalon=not shown"
			located, missing = LocatedStatus+"=fewer than 5", StillMissing+"=not shown"
		}
		wantTexts(t, r.Regions, av, "Eastern=0", "Central=0", "Western=0", lab)
		wantTexts(t, r.Status, missing, located)
	}
}

// TestBuildTiny: a record of fewer than 5 cases shows no number but 0.
func TestBuildTiny(t *testing.T) {
	r := Build(&store.CaseStats{Groups: []store.StatsGroup{{Region: "Central", Year: 2025, Count: 3}}}, regions)
	wantTexts(t, r.Regions, "Avalon=0", "Eastern=0", "Central=fewer than 5", "Western=0", "Labrador=0")
	wantTexts(t, r.Years, "2025=fewer than 5")
	wantTexts(t, r.Status, StillMissing+"=fewer than 5", LocatedStatus+"=0")
	if r.Total.Text() != "fewer than 5" {
		t.Errorf("total %q", r.Total.Text())
	}
}

// TestBuildEmpty: no case at all.
func TestBuildEmpty(t *testing.T) {
	r := Build(&store.CaseStats{}, regions)
	wantTexts(t, r.Regions, "Avalon=0", "Eastern=0", "Central=0", "Western=0", "Labrador=0")
	if len(r.Years.Cells) != 0 {
		t.Errorf("years %q", texts(r.Years))
	}
	if r.ToLocate.Shown || r.Total.Text() != "0" {
		t.Errorf("median %+v, total %q", r.ToLocate, r.Total.Text())
	}
}

// TestBuildYears: the years run without gaps from the first to the last,
// and more than MaxYears of them put the oldest in one "Before" row.
func TestBuildYears(t *testing.T) {
	r := Build(&store.CaseStats{Groups: []store.StatsGroup{
		{Region: "Avalon", Year: 2022, Count: 5}, {Region: "Eastern", Year: 2025, Count: 8},
	}}, regions)
	wantTexts(t, r.Years, "2022=5", "2023=0", "2024=0", "2025=8")

	r = Build(&store.CaseStats{Groups: []store.StatsGroup{
		{Region: "Avalon", Year: 1961, Count: 5}, {Region: "Avalon", Year: 1990, Count: 6},
		{Region: "Avalon", Year: 2026, Count: 9}, {Region: "Avalon", Year: 1996, Count: 7},
	}}, regions)
	if len(r.Years.Cells) != MaxYears+1 {
		t.Fatalf("%d year rows, want %d", len(r.Years.Cells), MaxYears+1)
	}
	if c := r.Years.Cells[0]; c.Label != "Before 1997" || c.Text() != "18" {
		t.Errorf("first row %s=%s, want Before 1997=18", c.Label, c.Text())
	}
	if c := r.Years.Cells[1]; c.Label != "1997" || c.Text() != "0" {
		t.Errorf("second row %s=%s", c.Label, c.Text())
	}
	if c := r.Years.Cells[MaxYears]; c.Label != "2026" || c.Text() != "9" {
		t.Errorf("last row %s=%s", c.Label, c.Text())
	}
}

// TestMedian: shown from 5 located cases on, the middle one (or the mean
// of the two middle ones).
func TestMedian(t *testing.T) {
	h := time.Hour
	for _, tc := range []struct {
		times []time.Duration
		shown bool
		want  time.Duration
		text  string
	}{
		{nil, false, 0, ""},
		{[]time.Duration{h, h, h, h}, false, 0, ""},
		{[]time.Duration{100 * h, 2 * h, 30 * h, 5 * h, 400 * h}, true, 30 * h, "30 hours"},
		{[]time.Duration{96 * h, 2 * h, 72 * h, 5 * h, 400 * h, 500 * h}, true, 84 * h, "4 days"},
	} {
		m := Build(&store.CaseStats{ToLocate: tc.times}, regions).ToLocate
		if m.Shown != tc.shown || m.Value != tc.want || m.Text() != tc.text || m.Cases != len(tc.times) {
			t.Errorf("%v: got %+v %q, want shown %v %v %q", tc.times, m, m.Text(), tc.shown, tc.want, tc.text)
		}
	}
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Minute:              "less than an hour",
		40 * time.Minute:              "1 hour",
		90 * time.Minute:              "2 hours",
		47 * time.Hour:                "47 hours",
		48 * time.Hour:                "2 days",
		59 * time.Hour:                "2 days",
		61 * time.Hour:                "3 days",
		400 * 24 * time.Hour:          "400 days",
		47*time.Hour + 40*time.Minute: "2 days",
		47*time.Hour + 20*time.Minute: "47 hours",
	} {
		if got := Duration(d); got != want {
			t.Errorf("Duration(%v) = %q, want %q", d, got, want)
		}
	}
}
