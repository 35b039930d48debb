package openstats

import (
	"context"
	"html/template"
	"sync"
	"sync/atomic"

	"lostinnl/internal/stats"
	"lostinnl/internal/svgchart"
	"lostinnl/internal/web/kit"
)

// handler serves the page and the files from one built report per
// content revision.
type handler struct {
	*kit.Env
	regions []string // store.Regions: the regions every table lists

	cur   atomic.Pointer[built]
	build sync.Mutex // one build at a time: a new revision reads the store once
}

// built is the report and its drawn charts for one content revision.
type built struct {
	rev    int64 // the read model's revision it was built for
	report *stats.Report
	charts map[string]template.HTML // table name → its SVG
}

// current returns the report for the read model's content revision,
// building it when the revision moved. The model is the revision's
// source, as for the listings (kit.Env.Cases: synced or recently
// confirmed); the counts themselves come from the store, because the
// model holds neither archived cases nor report times. Keyed by the
// model's revision, the store's read may be newer than it, never older.
func (h *handler) current(ctx context.Context) (*built, error) {
	m, err := h.Cases(ctx)
	if err != nil {
		return nil, err
	}
	rev := m.Revision()
	if b := h.cur.Load(); b != nil && b.rev == rev {
		return b, nil
	}
	h.build.Lock()
	defer h.build.Unlock()
	if b := h.cur.Load(); b != nil && b.rev == rev {
		return b, nil
	}
	cs, err := h.Store.CaseStats(ctx)
	if err != nil {
		return nil, err
	}
	rep := stats.Build(cs, h.regions)
	b := &built{rev: rev, report: rep, charts: map[string]template.HTML{}}
	for _, t := range rep.Tables() {
		svg, err := chartOf(t).Render()
		if err != nil {
			return nil, err
		}
		// svgchart escapes every text it draws and builds its markup from
		// numbers and a fixed id: trusted markup, not a user's.
		b.charts[t.Name] = template.HTML(svg)
	}
	h.cur.Store(b)
	return b, nil
}

// chartOf draws a table: a count as a solid bar, "fewer than 5" as a
// hatched bar across the whole range from 0 to 5 (its length must not
// tell the count), a withheld count as no bar.
func chartOf(t stats.Table) *svgchart.Chart {
	c := &svgchart.Chart{
		ID:     "chart-" + t.Name,
		Title:  t.Title,
		Desc:   "Bar chart of the number of cases for each " + lowerFirst(t.Header) + ".",
		Legend: "Hatched: fewer than 5; the bar spans 0 to 5",
	}
	for _, cell := range t.Cells {
		b := svgchart.Bar{Label: cell.Label, Text: cell.Text()}
		switch cell.Shown {
		case stats.Exact:
			b.Kind, b.Value = svgchart.Value, cell.Value
		case stats.FewerThanMin:
			b.Kind, b.Value = svgchart.Range, stats.MinShown
		default:
			b.Kind = svgchart.Hidden
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// lowerFirst: "Year last seen" → "year last seen".
func lowerFirst(s string) string {
	if s != "" && s[0] >= 'A' && s[0] <= 'Z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}
