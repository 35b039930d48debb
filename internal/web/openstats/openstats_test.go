package openstats

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

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
	c := chartOf(stats.Table{Name: "status", Title: "Cases by outcome", Header: "Outcome", Cells: []stats.Cell{
		{Label: "Still missing", Shown: stats.Withheld},
		{Label: "Located", Shown: stats.FewerThanMin},
		{Label: "Other", Value: 9},
	}})
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
