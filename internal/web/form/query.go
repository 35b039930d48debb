package form

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// ListFilter is the listing's filter as understood: only valid values, so
// the form shows what was actually applied and links can be rebuilt.
type ListFilter struct {
	Q      string
	Status string // missing (default), located, all
	Region string
	Sex    string
	AgeMin string
	AgeMax string
	Since  string
	Until  string
	Sort   string // "" = default (recent, or best match with q)
	Page   int
}

const (
	DefaultPerPage = 20
	MaxQueryLen    = 200
)

// ParseCaseQuery turns listing parameters into a store query. Every bad
// value is reported in plain words and replaced by its default, so the page
// still works; the API turns the same problems into a 400.
func ParseCaseQuery(vals url.Values) (store.CaseQuery, ListFilter, []string) {
	return ParseCaseQueryIn(i18n.For(i18n.English), vals)
}

// ParseCaseQueryIn is ParseCaseQuery with the problems in lz's language
// (the listing page; the API's stay English).
func ParseCaseQueryIn(lz *i18n.Localizer, vals url.Values) (store.CaseQuery, ListFilter, []string) {
	var (
		q        store.CaseQuery
		f        ListFilter
		problems []string
	)
	bad := func(msgid string, args ...any) { problems = append(problems, lz.T(msgid, args...)) }

	if raw := vals.Get("q"); raw != "" {
		switch {
		case !utf8.ValidString(raw):
			bad("The search text contained characters we could not read, so it was ignored.")
		default:
			s := CleanText(raw, false)
			if utf8.RuneCountInString(s) > MaxQueryLen {
				bad("The search text was longer than {max} characters, so it was shortened.", "max", lz.Number(MaxQueryLen))
				s = string([]rune(s)[:MaxQueryLen])
			}
			f.Q, q.Q = s, s
		}
	}

	switch st := strings.ToLower(strings.TrimSpace(vals.Get("status"))); st {
	case "", "missing":
		f.Status = "missing"
		q.Statuses = []store.Status{store.StatusMissing}
	case "located":
		f.Status = "located"
		q.Statuses = []store.Status{store.StatusLocated}
	case "all":
		f.Status = "all"
		q.Statuses = []store.Status{store.StatusMissing, store.StatusLocated}
	default:
		bad("Status must be missing, located or all; showing missing people.")
		f.Status = "missing"
		q.Statuses = []store.Status{store.StatusMissing}
	}

	if raw := strings.TrimSpace(vals.Get("region")); raw != "" {
		if r, ok := canonical(raw, store.Regions); ok {
			f.Region, q.Region = r, r
		} else {
			bad("Region must be one of {regions}; showing all regions.", "regions", strings.Join(store.Regions, ", "))
		}
	}
	if raw := strings.TrimSpace(vals.Get("sex")); raw != "" {
		if s, ok := canonical(raw, store.Sexes); ok {
			f.Sex, q.Sex = s, s
		} else {
			bad("Sex must be one of {sexes}; showing everyone.", "sexes", strings.Join(store.Sexes, ", "))
		}
	}

	ageMin, okMin := parseAgeParam(vals.Get("age_min"), "Minimum age must be a whole number from 0 to 120, so it was ignored.", bad)
	ageMax, okMax := parseAgeParam(vals.Get("age_max"), "Maximum age must be a whole number from 0 to 120, so it was ignored.", bad)
	if okMin && okMax && ageMin != nil && ageMax != nil && *ageMin > *ageMax {
		bad("The minimum age was above the maximum age, so the age filter was ignored.")
		ageMin, ageMax = nil, nil
	}
	if ageMin != nil {
		q.AgeMin, f.AgeMin = ageMin, strconv.Itoa(*ageMin)
	}
	if ageMax != nil {
		q.AgeMax, f.AgeMax = ageMax, strconv.Itoa(*ageMax)
	}

	since := parseDateParam(vals.Get("since"), "The “last seen from” date was ignored: use year-month-day, for example 2026-03-14.", bad)
	until := parseDateParam(vals.Get("until"), "The “last seen until” date was ignored: use year-month-day, for example 2026-03-14.", bad)
	if since != nil && until != nil && since.After(*until) {
		bad("The “from” date was after the “until” date, so the date filter was ignored.")
		since, until = nil, nil
	}
	if since != nil {
		q.Since, f.Since = since, since.Format(time.DateOnly)
	}
	if until != nil {
		q.Until, f.Until = until, until.Format(time.DateOnly)
	}

	switch s := strings.ToLower(strings.TrimSpace(vals.Get("sort"))); s {
	case "":
		if q.Q == "" {
			q.Sort = store.SortRecent
		} // with a search, "" lets the store rank by relevance
	case store.SortRecent, store.SortOldest, store.SortName:
		f.Sort, q.Sort = s, s
	case "relevance":
		if q.Q != "" {
			f.Sort = "relevance"
		} else {
			q.Sort = store.SortRecent
		}
	default:
		bad("Sort must be recent, oldest or name; showing the most recent first.")
		q.Sort = store.SortRecent
	}

	f.Page = 1
	if raw := strings.TrimSpace(vals.Get("page")); raw != "" {
		n, err := strconv.Atoi(raw)
		switch {
		case err != nil || n < 1:
			bad("The page number was not valid; showing the first page.")
		case n > kit.MaxPage:
			bad("The page number was too large; showing the first page.")
		default:
			f.Page = n
		}
	}
	q.Page = f.Page
	q.PerPage = DefaultPerPage
	return q, f, problems
}

func canonical(v string, list []string) (string, bool) {
	for _, x := range list {
		if strings.EqualFold(v, x) {
			return x, true
		}
	}
	return "", false
}

// parseAgeParam: problem is the whole message, in English, for the catalog.
func parseAgeParam(raw, problem string, bad func(string, ...any)) (*int, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, true
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 0 || n > 120 {
		bad(problem)
		return nil, false
	}
	return &n, true
}

func parseDateParam(raw, problem string, bad func(string, ...any)) *time.Time {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	// A future "until" is harmless in a search, so only the form is checked.
	d, err := time.Parse(time.DateOnly, raw)
	if err != nil || d.Year() < 1900 {
		bad(problem)
		return nil
	}
	return &d
}

// Values encodes the filter with only non-default values (page excluded),
// for links and the API call that scripts.js makes.
func (f ListFilter) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	if f.Status != "missing" {
		set("status", f.Status)
	}
	set("region", f.Region)
	set("sex", f.Sex)
	set("age_min", f.AgeMin)
	set("age_max", f.AgeMax)
	set("since", f.Since)
	set("until", f.Until)
	set("sort", f.Sort)
	return v
}

// PageURL is the listing URL for page n with the same filters.
func (f ListFilter) PageURL(n int) string {
	v := f.Values()
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/cases"
	}
	return "/cases?" + v.Encode()
}

// Filtered reports whether anything narrows the default listing.
func (f ListFilter) Filtered() bool {
	return f.Q != "" || f.Region != "" || f.Sex != "" || f.AgeMin != "" || f.AgeMax != "" || f.Since != "" || f.Until != ""
}

// WithStatus is the first page of the same search with another status.
func (f ListFilter) WithStatus(status string) string {
	f.Status = status
	return f.PageURL(1)
}

// WithQ is the first page of the same filters searching for q instead
// (the "Did you mean" link).
func (f ListFilter) WithQ(q string) string {
	f.Q = q
	return f.PageURL(1)
}

// Chip is one active filter shown above the results, with the link that
// removes it (and keeps every other filter).
type Chip struct {
	Label  string
	Remove string
}

// Chips lists the active filters in the order of the form, so a person on a
// phone sees what narrows the results without opening the filter panel.
func (f ListFilter) Chips() []Chip { return f.ChipsIn(i18n.For(i18n.English)) }

// ChipsIn is Chips with the labels in lz's language; the links stay
// English paths (the caller puts them in the page's language).
func (f ListFilter) ChipsIn(lz *i18n.Localizer) []Chip {
	var out []Chip
	add := func(label string, clear func(*ListFilter)) {
		g := f
		clear(&g)
		out = append(out, Chip{Label: label, Remove: g.PageURL(1)})
	}
	if f.Q != "" {
		add("“"+f.Q+"”", func(g *ListFilter) { g.Q = "" })
	}
	switch f.Status {
	case "located":
		add(lz.T("Located only"), func(g *ListFilter) { g.Status = "missing" })
	case "all":
		add(lz.T("Missing and located"), func(g *ListFilter) { g.Status = "missing" })
	}
	if f.Region != "" {
		add(lz.T("Region: {region}", "region", lz.TC("region", f.Region)), func(g *ListFilter) { g.Region = "" })
	}
	if f.Sex != "" {
		add(lz.T("Sex: {sex}", "sex", lz.TC("sex", kit.SexLabel(f.Sex))), func(g *ListFilter) { g.Sex = "" })
	}
	if f.AgeMin != "" {
		add(lz.T("Age from {age}", "age", f.AgeMin), func(g *ListFilter) { g.AgeMin = "" })
	}
	if f.AgeMax != "" {
		add(lz.T("Age to {age}", "age", f.AgeMax), func(g *ListFilter) { g.AgeMax = "" })
	}
	if f.Since != "" {
		add(lz.T("Last seen from {date}", "date", chipDate(lz, f.Since)), func(g *ListFilter) { g.Since = "" })
	}
	if f.Until != "" {
		add(lz.T("Last seen until {date}", "date", chipDate(lz, f.Until)), func(g *ListFilter) { g.Until = "" })
	}
	return out
}

// chipDate shows a filter's YYYY-MM-DD as the site writes dates elsewhere.
func chipDate(lz *i18n.Localizer, iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	if lz.Lang() != i18n.English {
		return lz.Date(t)
	}
	return kit.FormatDate(t)
}

// ListingParams are the query parameters the listing reads, which its page
// cache key keeps (TestCachedRoutesParams checks them against the code).
// live=1 asks for the live search's answer (the last word taken as a
// prefix, see LiveSearch); it is never part of a link the page shows.
var ListingParams = []string{"q", "status", "region", "sex", "age_min", "age_max", "since", "until", "sort", "page", "live"}

// LiveSearch reports whether a listing request comes from the live search
// as the visitor types (live=1; scripts.js adds it to its fetch only):
// its last word is then matched as a prefix, so "Wal" already finds Walsh.
// Any other value is an ordinary search.
func LiveSearch(vals url.Values) bool { return vals.Get("live") == "1" }
