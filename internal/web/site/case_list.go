package site

import (
	"html/template"
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

type listView struct {
	// Top is the page's heading, problems, filter form and active
	// filters (listTop).
	Top      template.HTML
	Filter   form.ListFilter
	Problems []string
	Result   *store.CaseList
	Cards    template.HTML // kit.CardList
	// Selects and SortSelect: the form's selects for Filter (filterSelects).
	Selects, SortSelect template.HTML
	Pages               pagination
	// Count and Pagination: the result count and the page links, written
	// in Go (resultCount, pageLinks).
	Count, Pagination template.HTML
	// Suggestion is the "Did you mean" search when nothing matched, and
	// SuggestionURL its link; both "" otherwise.
	Suggestion, SuggestionURL string
	// Chips are the active filters (form.ListFilter.ChipsIn), their links
	// in the page's language.
	Chips []form.Chip
}

// caseList is GET /cases: the filtered, paginated listing. Bad parameters
// never fail the page: they are explained and replaced by defaults.
func (h *handler) caseList(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	lz := kit.L(r)
	q, f, problems := form.ParseCaseQueryIn(lz, vals)
	m, err := h.Cases(r.Context())
	if err != nil {
		return err
	}
	var res *readmodel.Result
	if form.LiveSearch(vals) {
		res = m.QueryPrefix(q)
	} else {
		res = m.Query(q)
	}
	title := lz.T("Missing persons")
	switch f.Status {
	case "located":
		title = lz.T("Located persons")
	case "all":
		title = lz.T("Missing and located persons")
	}
	if f.Q != "" {
		title = lz.T("Search: {q}", "q", f.Q)
	}
	if f.Page > 1 {
		title = lz.T("{title} (page {n})", "title", title, "n", strconv.Itoa(f.Page))
	}
	p := h.Page(r, title)
	p.Nav = "cases"
	p.Description = lz.T("Search people reported missing in Newfoundland and Labrador by name, place, region, age and date last seen.")
	p.Canonical = h.BaseURL + kit.LangPath(r, f.PageURL(f.Page))
	if f.Filtered() || len(problems) > 0 {
		p.NoIndex = true
	}
	v := listView{
		Filter:   f,
		Problems: problems,
		Result:   &res.CaseList,
		Pages:    Paginate(f, res.Total, res.PerPage),
		Chips:    f.ChipsIn(lz),
	}
	// The links of the page in its language (the filter builds English
	// paths).
	for i := range v.Chips {
		v.Chips[i].Remove = kit.LangPath(r, v.Chips[i].Remove)
	}
	v.Pages.localize(r)
	v.Count, v.Pagination = resultCount(lz, res.Total, v.Pages), pageLinks(lz, v.Pages)
	if v.Cards, err = h.CardListFor(r, "cases.html", res.Cases); err != nil {
		return err
	}
	if v.Selects, v.SortSelect, err = h.filterSelects(kit.LangFrom(r.Context()), f); err != nil {
		return err
	}
	v.Top = listTop(lz, &v)
	if res.Total == 0 && res.Suggestion != "" && f.Q != "" {
		v.Suggestion, v.SuggestionURL = res.Suggestion, kit.LangPath(r, f.WithQ(res.Suggestion))
	}
	p.Data = v
	return h.HTML(w, http.StatusOK, kit.CacheShort, "cases.html", p)
}

// resultCount and pageLinks are written in Go rather than in cases.html:
// the page links were some forty reflective field lookups and escaper
// calls a listing, on every search (issue 15). The markup is the one the
// template had (scripts/crawl/compare.sh); kit.Markup escapes as
// html/template does.

// listTop is the top of the listing: its heading, the settings that
// could not be used, the search form and the active filters. In Go for
// the reason above: about twenty escaper and comparison calls, and as many
// field lookups, on every search.
func listTop(lz *i18n.Localizer, v *listView) template.HTML {
	f := &v.Filter
	var m kit.Markup
	// The form is about 2.5 KB in English, a little more in French, and
	// the selects come on top.
	m.Grow(3072 + len(v.Selects) + len(v.SortSelect) + 6*len(f.Q))
	m.Raw("<h1>")
	switch f.Status {
	case "located":
		m.Text(lz.T("Located persons"))
	case "all":
		m.Text(lz.T("Missing and located persons"))
	default:
		m.Text(lz.T("Missing persons"))
	}
	m.Raw("</h1>\n\n")
	if len(v.Problems) > 0 {
		m.Raw(`<div class="notice notice-warn" role="alert">` + "\n<p>")
		m.Text(lz.T("Some search settings could not be used:"))
		m.Raw("</p>\n<ul>")
		for _, p := range v.Problems {
			m.Raw("<li>")
			m.Text(p)
			m.Raw("</li>")
		}
		m.Raw("</ul>\n</div>\n")
	}
	cases := i18n.Path(lz.Lang(), "/cases")
	m.Raw("\n\n" + `<form class="filters" method="get" action="`)
	m.URL(cases)
	m.Raw(`" role="search" aria-label="`)
	m.Text(lz.T("Search cases"))
	m.Raw(`" id="case-search"`)
	if lz.Lang().Short() != "en" {
		m.Attr("data-failed", lz.T("Search failed. Press Search to try again."))
		m.Attr("data-unavailable", lz.T("Live search is not available right now. Press Search to see results."))
	}
	m.Raw(">\n" + `<div class="filter-q">` + "\n" + `<label for="q">`)
	m.Text(lz.T("Search by name, place or description"))
	m.Raw("</label>\n" + `<input type="search" id="q" name="q" value="`)
	m.Text(f.Q)
	m.Raw(`" maxlength="200" autocomplete="off">` + "\n</div>\n" + `<details class="more-filters">` + "\n<summary>")
	m.Text(lz.T("More filters"))
	if len(v.Chips) > 0 {
		m.Raw(` <span class="filter-count">(`)
		m.Text(lz.T("{n} active", "n", len(v.Chips)))
		m.Raw(")</span>")
	}
	m.Raw("</summary>\n" + `<div class="filter-grid">` + "\n")
	m.Raw(string(v.Selects)) // rendered by the template (filterSelects)
	input := func(label, typ, name, value, extra string) {
		m.Raw(`<div><label for="` + name + `">`)
		m.Text(label)
		m.Raw("</label>\n" + `<input type="` + typ + `"` + extra + ` id="` + name + `" name="` + name + `"`)
		m.Attr("value", value)
		if typ == "text" {
			m.Raw(` maxlength="3"`)
		}
		m.Raw("></div>\n")
	}
	input(lz.T("Age from"), "text", "age_min", f.AgeMin, ` inputmode="numeric"`)
	input(lz.T("Age to"), "text", "age_max", f.AgeMax, ` inputmode="numeric"`)
	input(lz.T("Last seen from"), "date", "since", f.Since, "")
	input(lz.T("Last seen until"), "date", "until", f.Until, "")
	m.Raw(string(v.SortSelect)) // rendered by the template (filterSelects)
	m.Raw("</div>\n</details>\n" + `<p class="filter-actions"><button type="submit" class="button">`)
	m.Text(lz.T("Search"))
	m.Raw(`</button> <a href="`)
	m.URL(cases)
	m.Raw(`">`)
	m.Text(lz.T("Clear all"))
	m.Raw("</a></p>\n</form>\n\n" + `<div id="active-filters">`)
	if len(v.Chips) > 0 {
		m.Raw(`<div class="chips">` + "\n" + `<h2 class="visually-hidden">`)
		m.Text(lz.T("Active filters"))
		m.Raw("</h2>\n<ul>\n")
		remove := lz.T("(remove this filter)")
		for _, c := range v.Chips {
			m.Raw(`<li><a class="chip" href="`)
			m.URL(c.Remove)
			m.Raw(`">`)
			m.Text(c.Label)
			m.Raw(`<span aria-hidden="true"> ×</span><span class="visually-hidden"> `)
			m.Text(remove)
			m.Raw("</span></a></li>\n")
		}
		m.Raw("</ul>\n</div>")
	}
	m.Raw("</div>\n\n")
	return m.HTML()
}

// resultCount is the text of the result count paragraph.
func resultCount(lz *i18n.Localizer, total int, pg pagination) template.HTML {
	var m kit.Markup
	if pg.Last > 1 {
		m.Text(lz.N("{n} person found, page {page} of {last}.", "{n} people found, page {page} of {last}.", total, "page", pg.Current, "last", pg.Last))
	} else {
		m.Text(lz.N("{n} person found.", "{n} people found.", total))
	}
	return m.HTML()
}

// pageLinks is the pagination, "" when there is one page.
func pageLinks(lz *i18n.Localizer, pg pagination) template.HTML {
	if pg.Last <= 1 {
		return ""
	}
	var m kit.Markup
	m.Raw(`<nav class="pagination" aria-label="`)
	m.Text(lz.T("Pages of results"))
	m.Raw(`" id="pagination">` + "\n<ul>\n")
	page := lz.TC("pagination", "page")
	step := func(url, rel, label string) { // the previous or next page
		if url == "" {
			return
		}
		m.Raw(`<li><a href="`)
		m.URL(url)
		m.Raw(`" rel="` + rel + `">`)
		m.Text(label)
		m.Raw(`<span class="visually-hidden"> `)
		m.Text(page)
		m.Raw(`</span></a></li>`)
	}
	step(pg.Prev, "prev", lz.T("Previous"))
	m.Raw("\n")
	pageWord := lz.T("Page")
	for _, l := range pg.Links {
		if l.Gap {
			m.Raw(`<li class="gap" aria-hidden="true">…</li>`)
		}
		m.Raw(`<li><a href="`)
		m.URL(l.URL)
		if l.Current {
			m.Raw(`" aria-current="page"><span class="visually-hidden">`)
		} else {
			m.Raw(`"><span class="visually-hidden">`)
		}
		m.Text(pageWord)
		m.Raw(` </span>`)
		m.Int(l.N)
		m.Raw("</a></li>\n")
	}
	step(pg.Next, "next", lz.T("Next"))
	m.Raw("\n</ul>\n</nav>\n")
	return m.HTML()
}

// filterSelects renders the filter form's selects for f, each combination
// of their values once per process: about forty template calls per
// listing otherwise. ParseCaseQuery leaves only canonical values in them
// (3 statuses × 6 regions × 3 sexes, and 5 orders × with or without text),
// so the renderer keeps a few dozen forms at most.
func (h *handler) filterSelects(l i18n.Lang, f form.ListFilter) (selects, sortSelect template.HTML, err error) {
	sel := form.ListFilter{Status: f.Status, Region: f.Region, Sex: f.Sex}
	selects, err = h.Render.VariantLang(l, "cases.html", "filter-selects", sel.Status+"\x00"+sel.Region+"\x00"+sel.Sex, func() any { return sel })
	if err != nil {
		return "", "", err
	}
	srt := form.ListFilter{Sort: f.Sort}
	if f.Q != "" {
		srt.Q = "q" // the select only asks whether there is text
	}
	sortSelect, err = h.Render.VariantLang(l, "cases.html", "sort-select", srt.Sort+"\x00"+srt.Q, func() any { return srt })
	return selects, sortSelect, err
}

// pagination is previous/next plus a window of page numbers.
type pagination struct {
	Current, Last int
	Prev, Next    string
	Links         []pageLink
}

// localize puts the links in the request's language.
func (pg *pagination) localize(r *http.Request) {
	if pg.Prev != "" {
		pg.Prev = kit.LangPath(r, pg.Prev)
	}
	if pg.Next != "" {
		pg.Next = kit.LangPath(r, pg.Next)
	}
	for i := range pg.Links {
		pg.Links[i].URL = kit.LangPath(r, pg.Links[i].URL)
	}
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis before this link
}

func Paginate(f form.ListFilter, total, perPage int) pagination {
	if perPage <= 0 {
		perPage = form.DefaultPerPage
	}
	last := (total + perPage - 1) / perPage
	if last < 1 {
		last = 1
	}
	pg := pagination{Current: f.Page, Last: last}
	if f.Page > 1 {
		prev := f.Page - 1
		if prev > last {
			prev = last
		}
		pg.Prev = f.PageURL(prev)
	}
	if f.Page < last {
		pg.Next = f.PageURL(f.Page + 1)
	}
	if last == 1 {
		return pg
	}
	// First, last, and two either side of the current page.
	var nums []int
	add := func(n int) {
		if n >= 1 && n <= last && (len(nums) == 0 || n > nums[len(nums)-1]) {
			nums = append(nums, n)
		}
	}
	add(1)
	for n := f.Page - 2; n <= f.Page+2; n++ {
		add(n)
	}
	add(last)
	for i, n := range nums {
		pg.Links = append(pg.Links, pageLink{N: n, URL: f.PageURL(n), Current: n == f.Page, Gap: i > 0 && n > nums[i-1]+1})
	}
	return pg
}
