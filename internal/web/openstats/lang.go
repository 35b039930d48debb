package openstats

import (
	"strconv"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/stats"
	"lostinnl/internal/svgchart"
)

// The page and its charts in the visitor's language (issue 18). The
// report (internal/stats) is built once, in English: its labels and
// texts are what the CSV files carry, a data format that stays the same
// in both languages. The page translates them here as it shows them.

// tableText is what a table's title, column heading and chart
// description say, by table name (stats.Table.Name).
type tableText struct{ title, header, desc string }

var tableTexts = map[string]tableText{
	"regions": {i18n.Mark("Cases by region"), i18n.Mark("Region"), i18n.Mark("Bar chart of the number of cases for each region.")},
	"years":   {i18n.Mark("Cases by year last seen"), i18n.Mark("Year last seen"), i18n.Mark("Bar chart of the number of cases for each year last seen.")},
	"status":  {i18n.Mark("Cases by outcome"), i18n.Mark("Outcome"), i18n.Mark("Bar chart of the number of cases for each outcome.")},
}

// label is a row's label in the page's language: a region's name, an
// outcome, "Before 1997", or a year (digits, never grouped).
func label(lz *i18n.Localizer, table, s string) string {
	switch {
	case s == stats.OtherRegion:
		return lz.T("Other or unknown")
	case s == stats.StillMissing:
		return lz.TC("outcome", "Still missing")
	case s == stats.LocatedStatus:
		return lz.TC("outcome", "Located")
	case table == "regions":
		return lz.TC("region", s)
	}
	if y, ok := strings.CutPrefix(s, "Before "); ok {
		return lz.T("Before {year}", "year", y)
	}
	if _, err := strconv.Atoi(s); err == nil {
		return s // a year
	}
	return lz.T(s)
}

// count is a cell's count as the page shows it (Cell.Text's words, in
// the page's language, numbers grouped as the language does).
func count(lz *i18n.Localizer, c stats.Cell) string {
	switch c.Shown {
	case stats.FewerThanMin:
		return fewerThan(lz)
	case stats.Withheld:
		return lz.T("not shown")
	}
	return lz.Number(c.Value)
}

func fewerThan(lz *i18n.Localizer) string {
	return lz.T("fewer than {n}", "n", lz.Number(stats.MinShown))
}

// duration is stats.Duration in the page's language.
func duration(lz *i18n.Localizer, m stats.Median) string {
	if !m.Shown {
		return ""
	}
	return durationText(lz, m.Value.Hours())
}

// durationText mirrors stats.Duration's rounding (hours up to two days,
// whole days after) so both languages say the same amount.
func durationText(lz *i18n.Localizer, hours float64) string {
	switch h := int(hours + 0.5); {
	case hours < 0.5:
		return lz.T("less than an hour")
	case h < 48:
		return lz.N("{n} hour", "{n} hours", h)
	}
	return lz.N("{n} day", "{n} days", int(hours/24+0.5))
}

// localTable is a table as the page shows it.
type localTable struct {
	Name, Title, Header, Desc string
	Cells                     []localCell
}

type localCell struct {
	Label, Text string
	cell        stats.Cell
}

func localize(lz *i18n.Localizer, t stats.Table) localTable {
	tt := tableTexts[t.Name]
	lt := localTable{Name: t.Name, Title: lz.T(tt.title), Header: lz.T(tt.header), Desc: lz.T(tt.desc)}
	for _, c := range t.Cells {
		lt.Cells = append(lt.Cells, localCell{Label: label(lz, t.Name, c.Label), Text: count(lz, c), cell: c})
	}
	return lt
}

// chartOf draws a table: a count as a solid bar, "fewer than 5" as a
// hatched bar across the whole range from 0 to 5 (its length must not
// tell the count), a withheld count as no bar.
func chartOf(lz *i18n.Localizer, t localTable) *svgchart.Chart {
	c := &svgchart.Chart{
		ID:     "chart-" + t.Name,
		Title:  t.Title,
		Desc:   t.Desc,
		Legend: lz.T("Hatched: fewer than {n}; the bar spans 0 to {n}", "n", lz.Number(stats.MinShown)),
		NoData: lz.T("No data."),
		Number: lz.Number,
		Item: func(label, text string) string {
			return lz.T("{label}: {count}", "label", label, "count", text)
		},
	}
	for _, cell := range t.Cells {
		b := svgchart.Bar{Label: cell.Label, Text: cell.Text}
		switch cell.cell.Shown {
		case stats.Exact:
			b.Kind, b.Value = svgchart.Value, cell.cell.Value
		case stats.FewerThanMin:
			b.Kind, b.Value = svgchart.Range, stats.MinShown
		default:
			b.Kind = svgchart.Hidden
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}
