package openstats

import (
	"html/template"
	"net/http"

	"lostinnl/internal/stats"
	"lostinnl/internal/web/kit"
)

// statsView is the data of stats.html.
type statsView struct {
	Report   *stats.Report
	Sections []section
	Min      int // stats.MinShown
	Below    int // the largest count shown only as "fewer than": Min-1
	MaxYears int // stats.MaxYears
}

// section is one table with its chart and its CSV file.
type section struct {
	stats.Table
	Chart template.HTML
	CSV   string
}

// page is GET /stats.
func (h *handler) page(w http.ResponseWriter, r *http.Request) error {
	b, err := h.current(r.Context())
	if err != nil {
		return err
	}
	v := &statsView{Report: b.report, Min: stats.MinShown, Below: stats.MinShown - 1, MaxYears: stats.MaxYears}
	for _, t := range b.report.Tables() {
		v.Sections = append(v.Sections, section{Table: t, Chart: b.charts[t.Name], CSV: csvPath(t.Name)})
	}
	p := h.Page(r, "Open statistics")
	p.Nav = "stats"
	p.Description = "How many people have been reported missing in Newfoundland and Labrador on this site, by region, year and outcome, and how long it took to find them: charts, tables and CSV files."
	p.Canonical = h.BaseURL + Path
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "stats.html", p)
}
