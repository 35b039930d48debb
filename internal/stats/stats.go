// Package stats owns the open statistics of the public record (GET /stats,
// issue 19): counts of cases by region, by year last seen and by outcome,
// and the median time from a report to the person being located, built
// from store.CaseStats with small counts suppressed so that no one can be
// singled out.
//
// The rule, applied to every count this package hands out:
//   - 0 is shown as 0: it says that nobody is counted, which singles no one
//     out, and hiding it would hide the true shape of the record;
//   - 1 to 4 are shown only as "fewer than 5" (FewerThanMin);
//   - when a table would hide exactly one count, the smallest other count
//     of 5 or more is withheld too (Withheld, "not shown"), since every
//     table adds up to the same total and the hidden count would
//     otherwise be that total minus the others;
//   - the median time to locate is shown only when at least 5 located
//     cases back it.
//
// A hidden count never leaves the package: a Cell carries its value only
// when it is Exact. It knows nothing of HTTP or HTML; internal/svgchart
// draws the charts and internal/web/openstats serves the page and CSVs.
package stats

import (
	"slices"
	"strconv"
	"time"

	"lostinnl/internal/store"
)

// MinShown is the smallest count shown as a number (besides 0).
const MinShown = 5

// MaxYears is how many years the year table lists one by one, ending with
// the latest year that has a case; earlier cases share one "Before" row,
// so a few old cold cases do not make the table decades long.
const MaxYears = 30

// Shown says how a count is shown.
type Shown int

const (
	// Exact: the count is shown (0, or MinShown and more).
	Exact Shown = iota
	// FewerThanMin: 1 to MinShown-1, shown as "fewer than 5".
	FewerThanMin
	// Withheld: MinShown or more, not shown so that a FewerThanMin count of
	// the same table cannot be worked out from the total.
	Withheld
)

// Cell is one row of a table: a label and its count as it may be shown.
type Cell struct {
	Label string
	Shown Shown
	Value int // the count when Shown is Exact; 0 otherwise, never the hidden count
}

// Text is the count as the page and the CSV files show it.
func (c Cell) Text() string {
	switch c.Shown {
	case FewerThanMin:
		return "fewer than " + strconv.Itoa(MinShown)
	case Withheld:
		return "not shown"
	}
	return strconv.Itoa(c.Value)
}

// Table is one breakdown of the record.
type Table struct {
	Name   string // file name stem of its CSV: "regions", "years", "status"
	Title  string // "Cases by region"
	Header string // heading of the label column: "Region"
	Cells  []Cell
}

// Suppressed reports whether any count of t is hidden.
func (t Table) Suppressed() bool {
	return slices.ContainsFunc(t.Cells, func(c Cell) bool { return c.Shown != Exact })
}

// Median is the median time from report to located.
type Median struct {
	Cases int           // located cases with a usable time
	Shown bool          // Cases >= MinShown
	Value time.Duration // when Shown; 0 otherwise
}

// Text is the median in words ("3 days", "18 hours"), or "" when not shown.
func (m Median) Text() string {
	if !m.Shown {
		return ""
	}
	return Duration(m.Value)
}

// Report is the open statistics at one content revision.
type Report struct {
	Revision int64
	Total    Cell // every case counted
	Regions  Table
	Years    Table
	Status   Table
	ToLocate Median
}

// Tables lists the report's tables in page order.
func (r *Report) Tables() []Table { return []Table{r.Regions, r.Years, r.Status} }

// Table returns the table whose Name is name.
func (r *Report) Table(name string) (Table, bool) {
	for _, t := range r.Tables() {
		if t.Name == name {
			return t, true
		}
	}
	return Table{}, false
}

// Labels of the rows that are not a region or a single year.
const (
	OtherRegion   = "Other or unknown"
	StillMissing  = "Still missing"
	LocatedStatus = "Located"
)

// Build computes the report from cs; regions lists the known regions in
// the order to show them (store.Regions), each always shown, even at 0.
// A case whose region is not one of them (data moved in from elsewhere)
// counts under OtherRegion, shown only when there is one.
func Build(cs *store.CaseStats, regions []string) *Report {
	byRegion := make([]int, len(regions)+1) // last: other
	regionAt := map[string]int{}
	for i, r := range regions {
		regionAt[r] = i
	}
	byYear := map[int]int{}
	var missing, located, total int
	firstYear, lastYear := 0, 0
	for _, g := range cs.Groups {
		if g.Count <= 0 {
			continue
		}
		i, ok := regionAt[g.Region]
		if !ok {
			i = len(regions)
		}
		byRegion[i] += g.Count
		byYear[g.Year] += g.Count
		if total == 0 || g.Year < firstYear {
			firstYear = g.Year
		}
		if total == 0 || g.Year > lastYear {
			lastYear = g.Year
		}
		if g.Located {
			located += g.Count
		} else {
			missing += g.Count
		}
		total += g.Count
	}

	rep := &Report{Revision: cs.Revision, Total: cellOf("Total", total)}

	labels := append(slices.Clone(regions), OtherRegion)
	counts := byRegion
	if byRegion[len(regions)] == 0 {
		labels, counts = labels[:len(regions)], counts[:len(regions)]
	}
	rep.Regions = table("regions", "Cases by region", "Region", labels, counts)

	labels, counts = nil, nil
	if total > 0 {
		from := max(firstYear, lastYear-MaxYears+1)
		if from > firstYear {
			before := 0
			for y, n := range byYear {
				if y < from {
					before += n
				}
			}
			labels = append(labels, "Before "+strconv.Itoa(from))
			counts = append(counts, before)
		}
		for y := from; y <= lastYear; y++ {
			labels = append(labels, strconv.Itoa(y))
			counts = append(counts, byYear[y])
		}
	}
	rep.Years = table("years", "Cases by year last seen", "Year last seen", labels, counts)

	rep.Status = table("status", "Cases by outcome", "Outcome", []string{StillMissing, LocatedStatus}, []int{missing, located})

	rep.ToLocate = median(cs.ToLocate)
	return rep
}

// table builds a table with the suppression rule applied (see the package
// comment).
func table(name, title, header string, labels []string, counts []int) Table {
	t := Table{Name: name, Title: title, Header: header, Cells: make([]Cell, len(counts))}
	small := 0
	for i, n := range counts {
		t.Cells[i] = cellOf(labels[i], n)
		if t.Cells[i].Shown == FewerThanMin {
			small++
		}
	}
	if small == 1 {
		// Withhold the smallest shown count above zero, the first of equals.
		pick := -1
		for i, n := range counts {
			if t.Cells[i].Shown == Exact && n > 0 && (pick < 0 || n < counts[pick]) {
				pick = i
			}
		}
		if pick >= 0 {
			t.Cells[pick] = Cell{Label: labels[pick], Shown: Withheld}
		}
	}
	return t
}

func cellOf(label string, n int) Cell {
	if n > 0 && n < MinShown {
		return Cell{Label: label, Shown: FewerThanMin}
	}
	return Cell{Label: label, Value: n}
}

// median of the times, shown only with MinShown of them or more.
func median(times []time.Duration) Median {
	m := Median{Cases: len(times)}
	if m.Cases < MinShown {
		return m
	}
	s := slices.Clone(times)
	slices.Sort(s)
	mid := len(s) / 2
	m.Value = s[mid]
	if len(s)%2 == 0 {
		m.Value = s[mid-1] + (s[mid]-s[mid-1])/2
	}
	m.Shown = true
	return m
}

// Duration says d in words at the precision a median deserves: hours up
// to two days, whole days after.
func Duration(d time.Duration) string {
	switch h := int((d + 30*time.Minute) / time.Hour); {
	case d < 30*time.Minute:
		return "less than an hour"
	case h == 1:
		return "1 hour"
	case h < 48:
		return strconv.Itoa(h) + " hours"
	}
	days := int((d + 12*time.Hour) / (24 * time.Hour))
	return strconv.Itoa(days) + " days"
}
