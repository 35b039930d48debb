package readmodel

import (
	"math/bits"
	"slices"
	"sort"
	"strings"

	"lostinnl/internal/search"
	"lostinnl/internal/store"
)

// Result is one page of a listing or search.
type Result struct {
	// CaseList is the page as store.SearchCases returns it. Each case has
	// the listing fields filled (id, status, name, aliases, age, birth
	// date, sex, last seen date and place, community, region, police
	// verified, withdrawn, located and updated times, primary photo, and
	// the public point of the last-seen place: rounded, see store.PublicCases);
	// the descriptions, the police contact and the private fields are
	// empty: the case page reads its row from the database.
	store.CaseList
	// Suggestion is the text index's "did you mean" for a text query
	// (usually when it matched nothing); "" otherwise.
	Suggestion string
	// Revision is the content revision of the snapshot that answered.
	Revision int64
}

// Query answers a listing or a search from the current snapshot, without
// the database: every filter of store.CaseQuery, its sort orders, the page
// and the total. Without text (Q blank) the answer is the one
// store.SearchCases gives for the same query at the same revision: the same
// cases in the same order, the same total and page bounds. With text the
// text index picks and ranks the cases; the filters then narrow them, kept
// in rank order unless Sort names an order (relevance when Sort is "", the
// recent order for an unknown Sort, as SearchCases does).
//
// Only public statuses are held: Statuses empty means missing; pending,
// archived or rejected in Statuses match nothing here (the admin area
// lists those through the store). Statuses, Region and Sex match exactly,
// as on SQLite; MySQL's case-insensitive collation would also match
// "avalon" for "Avalon", but the web layer only passes canonical values,
// for which both agree. Hostile values are safe: page and per
// page are bounded as store.CaseQuery.Bounds says; an age range the wrong
// way round or a date range that cannot match gives an empty page and a
// zero total.
func (m *Model) Query(q store.CaseQuery) *Result { return m.cur.Load().query(q, false) }

// QueryPrefix is Query with the last word of the text taken as a prefix,
// for the live search as the visitor types.
func (m *Model) QueryPrefix(q store.CaseQuery) *Result { return m.cur.Load().query(q, true) }

// filter is a CaseQuery's filters in the snapshot's terms.
type filter struct {
	set             statusSet
	region, sex     uint32
	byRegion, bySex bool
	anyRegion       int   // 1 when no region filter: see match
	anySex          int   // 1 when no sex filter
	ageMin, ageMax  int64 // with an age filter, ageMin ≥ 0 leaves out unknown ages (-1)
	byAge           bool
	dayMin, dayMax  int64
	none            bool // the query can match nothing (unknown region or sex, no public status)
	narrowsList     bool // anything other than the status set, the region and the date range
}

// A filter's date range when the query has none.
const noDayMin, noDayMax = -1 << 62, 1 << 62

func (s *snapshot) filterOf(q store.CaseQuery) filter {
	f := filter{ageMin: -1 << 62, ageMax: 1 << 62, dayMin: noDayMin, dayMax: noDayMax}
	if len(q.Statuses) == 0 {
		f.set = setMissing
	}
	for _, st := range q.Statuses {
		f.set |= setOf(st)
	}
	if f.set == 0 {
		f.none = true
	}
	if q.Region != "" {
		c, ok := s.regions.code[q.Region]
		f.region, f.byRegion, f.none = c, true, f.none || !ok
	}
	if q.Sex != "" {
		c, ok := s.sexes.code[q.Sex]
		f.sex, f.bySex, f.none = c, true, f.none || !ok
	}
	if q.AgeMin != nil {
		f.ageMin, f.byAge = int64(*q.AgeMin), true
	}
	if q.AgeMax != nil {
		f.ageMax, f.byAge = int64(*q.AgeMax), true
	}
	if q.Since != nil {
		f.dayMin = dayKey(*q.Since)
	}
	if q.Until != nil {
		f.dayMax = dayKey(*q.Until)
	}
	if f.byAge {
		// SQL's age >= x is false for a NULL age, whatever x; known ages
		// are never negative.
		f.ageMin = max(f.ageMin, 0)
	}
	f.anyRegion, f.anySex = b2i(!f.byRegion), b2i(!f.bySex)
	f.narrowsList = f.bySex || f.byAge
	return f
}

// match is 1 when a card's values pass every filter, 0 otherwise. It is
// written without branches (each comparison becomes a flag, the flags are
// ANDed): a filtered scan meets matches at random, and a mispredicted
// branch per case cost more than the comparisons themselves.
func (f *filter) match(a *attr) int {
	m := b2i(a.status&f.set != 0)
	m &= b2i(a.region == f.region) | f.anyRegion
	m &= b2i(a.sex == f.sex) | f.anySex
	age, d := int64(a.age), int64(a.day)
	m &= b2i(age >= f.ageMin) & b2i(age <= f.ageMax)
	m &= b2i(d >= f.dayMin) & b2i(d <= f.dayMax)
	return m
}

// keep is f for a WindowIndex: the status set and the region as bitsets
// (all a listing's search usually has), the other filters as a call.
func (s *snapshot) keep(f *filter) Keep {
	if f.none {
		return Keep{Fn: func(int) bool { return false }}
	}
	k := Keep{In: []search.Bits{s.inSet[f.set-1]}}
	if f.byRegion {
		k.In = append(k.In, s.inRegion[f.region])
	}
	if f.narrowsList || f.dayMin != noDayMin || f.dayMax != noDayMax {
		k.Fn = func(i int) bool { return f.match(&s.attrs[i]) == 1 }
	}
	return k
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (s *snapshot) query(q store.CaseQuery, prefix bool) *Result {
	pg, per, off := q.Bounds()
	return s.queryWindow(q, prefix, pg, per, off)
}

// queryWindow is query for the window [off, off+per) of the matches.
func (s *snapshot) queryWindow(q store.CaseQuery, prefix bool, pg, per, off int) *Result {
	res := &Result{CaseList: store.CaseList{Page: pg, PerPage: per, Cases: []store.Case{}}, Revision: s.rev}
	f := s.filterOf(q)
	text := strings.TrimSpace(q.Q) != ""
	if wi, ok := s.index.(WindowIndex); ok && text {
		// The index filters and ranks only what the page shows (see
		// WindowIndex); relevance needs the best off+per, another order
		// every match, unranked.
		need := -1
		if q.Sort == "" {
			need = off + per
		}
		// The index was built over the cards, in order (newSnapshot).
		ids, total, suggestion := wi.SearchWindow(q.Q, prefix, s.keep(&f), need)
		res.Suggestion = suggestion
		if !f.none {
			s.textPage(res, ids, q.Sort, nil, off, per)
			res.Total = total
		}
		return res
	}
	var ids []int64
	if text {
		ids, res.Suggestion = s.index.Search(q.Q, prefix)
	}
	if f.none {
		return res
	}
	if text {
		s.textPage(res, ids, q.Sort, &f, off, per)
		return res
	}

	order, reverse := orderRecent, false
	switch q.Sort {
	case store.SortOldest:
		reverse = true
	case store.SortName:
		order = orderName
	}
	l := s.lists[f.set-1][order]
	if f.byRegion {
		l = s.byRegion[f.set-1][order][f.region]
	}
	if order == orderRecent {
		// The date range is a run of the recent order: find it by
		// binary search instead of testing every case.
		lo := sort.Search(len(l.at), func(j int) bool { return int64(l.at[j].day) <= f.dayMax })
		hi := lo + sort.Search(len(l.at)-lo, func(j int) bool { return int64(l.at[lo+j].day) < f.dayMin })
		l = l.slice(lo, hi)
		if !f.narrowsList {
			res.Total = len(l.idx)
			s.fill(res, window(l.idx, off, per, reverse))
			return res
		}
	} else if !f.narrowsList && q.Since == nil && q.Until == nil {
		res.Total = len(l.idx)
		s.fill(res, window(l.idx, off, per, reverse))
		return res
	}

	// Filtered: one pass counts every match and keeps the page's.
	page := make([]int32, 0, min(per, len(l.idx)))
	n := 0
	// uint(n-off) < uint(per) is n in [off, off+per): tested first, as it
	// is almost always false and so predicted.
	if reverse {
		for j := len(l.at) - 1; j >= 0; j-- {
			ok := f.match(&l.at[j])
			if uint(n-off) < uint(per) && ok == 1 {
				page = append(page, l.idx[j])
			}
			n += ok
		}
	} else {
		for j := range l.at {
			ok := f.match(&l.at[j])
			if uint(n-off) < uint(per) && ok == 1 {
				page = append(page, l.idx[j])
			}
			n += ok
		}
	}
	res.Total = n
	s.fill(res, page)
	return res
}

// textPage fills res from the text index's ranked ids: filtered, then
// ordered by sort (relevance when sort is "").
// With f nil, ids are filtered already (WindowIndex).
func (s *snapshot) textPage(res *Result, ids []int64, sortBy string, f *filter, off, per int) {
	matches := make([]int32, 0, len(ids))
	for _, id := range ids {
		i, ok := s.lookup(id)
		if ok && (f == nil || f.match(&s.attrs[i]) == 1) {
			matches = append(matches, i)
		}
	}
	switch sortBy {
	case "":
		// relevance: the index's order
	case store.SortName:
		matches = sortRanks(matches, len(s.cards)) // card indexes are name ranks
	default:
		for j, i := range matches {
			matches[j] = s.recentRank[i]
		}
		matches = sortRanks(matches, len(s.cards))
		if sortBy == store.SortOldest {
			slices.Reverse(matches)
		}
		all := s.lists[setBoth-1][orderRecent].idx
		for j, rank := range matches {
			matches[j] = all[rank]
		}
	}
	res.Total = len(matches)
	s.fill(res, window(matches, off, per, false))
}

// sortRanks sorts ranks (each below n) in place and returns them. Unless
// they are very few, they are sorted by marking them in a bitmap of n bits
// and reading it back: n/64 words to clear and scan instead of a
// comparison sort's len·log(len) steps (2,000 matches of 100,000 cases:
// a few µs instead of ~60). A repeated rank is then kept once.
func sortRanks(ranks []int32, n int) []int32 {
	if len(ranks)*128 < n {
		slices.Sort(ranks)
		return ranks
	}
	marks := make([]uint64, (n+63)/64)
	for _, r := range ranks {
		marks[r>>6] |= 1 << (r & 63)
	}
	k := 0
	for w, word := range marks {
		for word != 0 {
			ranks[k] = int32(w*64 + bits.TrailingZeros64(word))
			k++
			word &= word - 1
		}
	}
	return ranks[:k]
}

// window is the page [off, off+per) of list, read from the end when
// reverse; empty past the end.
func window(list []int32, off, per int, reverse bool) []int32 {
	if off >= len(list) {
		return nil
	}
	end := min(off+per, len(list))
	if !reverse {
		return list[off:end]
	}
	out := make([]int32, 0, end-off)
	for j := len(list) - 1 - off; j >= len(list)-end; j-- {
		out = append(out, list[j])
	}
	return out
}

// fill turns the page's card indexes into cases.
func (s *snapshot) fill(res *Result, page []int32) {
	if len(page) == 0 {
		return
	}
	b := newPageBuf(len(page))
	res.Cases = make([]store.Case, len(page))
	for j, i := range page {
		res.Cases[j] = s.toCase(i, b)
	}
}
