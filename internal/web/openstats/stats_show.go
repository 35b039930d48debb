package openstats

import (
	"html/template"
	"net/http"

	"lostinnl/internal/stats"
	"lostinnl/internal/web/kit"
)

// statsView is the data of stats.html, in the page's language.
type statsView struct {
	Total    string // every case counted, as a number or "fewer than 5"
	Median   string // the median time to locate in words; "" when not shown
	Located  int    // located cases behind the median
	Sections []section
	Min      int // stats.MinShown
	Below    int // the largest count shown only as "fewer than": Min-1
	MaxYears int // stats.MaxYears
}

// section is one table with its chart and its CSV file.
type section struct {
	localTable
	Chart template.HTML
	CSV   string
}

// page is GET /stats.
func (h *handler) page(w http.ResponseWriter, r *http.Request) error {
	b, err := h.current(r.Context())
	if err != nil {
		return err
	}
	lz := kit.L(r)
	charts, err := b.chartsIn(lz)
	if err != nil {
		return err
	}
	rep := b.report
	v := &statsView{
		Total: count(lz, rep.Total), Median: duration(lz, rep.ToLocate), Located: rep.ToLocate.Cases,
		Min: stats.MinShown, Below: stats.MinShown - 1, MaxYears: stats.MaxYears,
	}
	for _, t := range rep.Tables() {
		v.Sections = append(v.Sections, section{localTable: localize(lz, t), Chart: charts[t.Name], CSV: csvPath(t.Name)})
	}
	p := h.Page(r, lz.T("Open statistics"))
	p.Nav = "stats"
	p.Description = lz.T("How many people have been reported missing in Newfoundland and Labrador on this site, by region, year and outcome, and how long it took to find them: charts, tables and CSV files.")
	p.Canonical = h.BaseURL + kit.LangPath(r, Path)
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "stats.html", p)
}
