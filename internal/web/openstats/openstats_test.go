package openstats

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/stats"
	"lostinnl/internal/svgchart"
)

// TestTableCSV: a header row and a row per cell, CRLF (inside quoted
// cells too, as RFC 4180 writers do), the counts as
// shown, and every cell a spreadsheet would run as a formula quoted.
func TestTableCSV(t *testing.T) {
	tab := stats.Table{Name: "regions", Header: "Year last seen", Cells: []stats.Cell{
		{Label: "Avalon", Value: 12},
		{Label: "=HYPERLINK(\"http://x\")", Shown: stats.FewerThanMin},
		{Label: "+1 709", Shown: stats.Withheld},
		{Label: "-2", Value: 0},
		{Label: "@SUM(A1)", Value: 5},
		{Label: "\tTab", Value: 7},
		{Label: "a,b \"c\"\nd", Value: 9},
	}}
	body, err := tableCSV(tab)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(body, []byte("\r\n")) || bytes.Count(body, []byte("\r\n")) != 9 {
		t.Errorf("rows not CRLF-terminated:\n%q", body)
	}
	recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"year_last_seen", "cases"},
		{"Avalon", "12"},
		{"'=HYPERLINK(\"http://x\")", "fewer than 5"},
		{"'+1 709", "not shown"},
		{"'-2", "0"},
		{"'@SUM(A1)", "5"},
		{"'\tTab", "7"},
		{"a,b \"c\"\nd", "9"},
	}
	if len(recs) != len(want) {
		t.Fatalf("records %q", recs)
	}
	for i := range want {
		if !slices.Equal(recs[i], want[i]) {
			t.Errorf("record %d: %q, want %q", i, recs[i], want[i])
		}
	}
}

// TestChartOf: counts as solid bars, "fewer than 5" as a hatched range to
// 5, a withheld count as no bar: the drawing never carries a hidden count.
func TestChartOf(t *testing.T) {
	lz := i18n.For(i18n.English)
	c := chartOf(lz, localize(lz, stats.Table{Name: "status", Title: "Cases by outcome", Header: "Outcome", Cells: []stats.Cell{
		{Label: "Still missing", Shown: stats.Withheld},
		{Label: "Located", Shown: stats.FewerThanMin},
		{Label: "Other", Value: 9},
	}}))
	want := []svgchart.Bar{
		{Label: "Still missing", Kind: svgchart.Hidden, Text: "not shown"},
		{Label: "Located", Kind: svgchart.Range, Value: stats.MinShown, Text: "fewer than 5"},
		{Label: "Other", Kind: svgchart.Value, Value: 9, Text: "9"},
	}
	if !slices.Equal(c.Bars, want) {
		t.Errorf("bars %+v\nwant %+v", c.Bars, want)
	}
	if c.ID != "chart-status" || !strings.Contains(c.Desc, "outcome") {
		t.Errorf("id %q desc %q", c.ID, c.Desc)
	}
}

// TestChartOfFrench: the same table in French: labels, counts, legend
// and the chart's own words come from the catalog, numbers grouped the
// French way; the English report it is made from is unchanged (the CSV).
func TestChartOfFrench(t *testing.T) {
	lz := i18n.For(i18n.French)
	tbl := stats.Table{Name: "status", Title: "Cases by outcome", Header: "Outcome", Cells: []stats.Cell{
		{Label: stats.StillMissing, Value: 12345},
		{Label: stats.LocatedStatus, Shown: stats.FewerThanMin},
	}}
	lt := localize(lz, tbl)
	if lt.Title != "Dossiers selon l'issue" || lt.Header != "Issue" {
		t.Errorf("title %q header %q", lt.Title, lt.Header)
	}
	svg, err := chartOf(lz, lt).Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Toujours disparue", "Retrouvée", "moins de 5", "12\u202f345", "Hachuré", "Toujours disparue : 12\u202f345", "15\u202f000</text>"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("French chart lacks %q:\n%s", want, svg)
		}
	}
	if tbl.Cells[1].Text() != "fewer than 5" || tbl.Title != "Cases by outcome" {
		t.Error("the English report changed")
	}
	if got := durationText(lz, 30); got != "30 heures" {
		t.Errorf("30 h: %q", got)
	}
	if got := durationText(lz, 100); got != "4 jours" {
		t.Errorf("100 h: %q", got)
	}
	// English says what stats.Duration says, at every rounding edge.
	en := i18n.For(i18n.English)
	for _, d := range []time.Duration{0, 29 * time.Minute, 30 * time.Minute, 89 * time.Minute, 90 * time.Minute, 47*time.Hour + 29*time.Minute, 47*time.Hour + 30*time.Minute, 59 * time.Hour, 60 * time.Hour, 1000 * time.Hour} {
		if got, want := durationText(en, d.Hours()), stats.Duration(d); got != want {
			t.Errorf("%v: %q, stats.Duration says %q", d, got, want)
		}
	}
}
