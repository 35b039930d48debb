package openstats

import (
	"context"
	"html/template"
	"sync"
	"sync/atomic"

	"lostinnl/internal/i18n"
	"lostinnl/internal/stats"
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

	mu     sync.Mutex
	charts map[i18n.Lang]map[string]template.HTML // language → table name → its SVG
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
	b := &built{rev: rev, report: stats.Build(cs, h.regions), charts: map[i18n.Lang]map[string]template.HTML{}}
	h.cur.Store(b)
	return b, nil
}

// chartsIn are the report's charts in lz's language, drawn the first
// time a page in that language asks (a few kilobytes per language and
// revision).
func (b *built) chartsIn(lz *i18n.Localizer) (map[string]template.HTML, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if c, ok := b.charts[lz.Lang()]; ok {
		return c, nil
	}
	c := map[string]template.HTML{}
	for _, t := range b.report.Tables() {
		svg, err := chartOf(lz, localize(lz, t)).Render()
		if err != nil {
			return nil, err
		}
		// svgchart escapes every text it draws and builds its markup from
		// numbers and a fixed id: trusted markup, not a user's.
		c[t.Name] = template.HTML(svg)
	}
	b.charts[lz.Lang()] = c
	return c, nil
}
