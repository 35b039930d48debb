package readmodel

import "lostinnl/internal/store"

// Home is what the front page shows.
type Home struct {
	Latest       []store.Case // the most recently last-seen missing people
	Located      []store.Case // the most recently last-seen located people
	MissingCount int
	LocatedCount int
	Revision     int64
}

// Home returns the front page's data from one snapshot: the latest
// missing and located cases (latest and located of them, bounded like
// any listing page: below 1 means 20, above 100 means 100) and the counts
// of each. It is what the
// home handler asked the store for with two SearchCases calls.
func (m *Model) Home(latest, located int) Home {
	s := m.cur.Load()
	l := s.query(store.CaseQuery{Statuses: []store.Status{store.StatusMissing}, Sort: store.SortRecent, PerPage: latest}, false)
	o := s.query(store.CaseQuery{Statuses: []store.Status{store.StatusLocated}, Sort: store.SortRecent, PerPage: located}, false)
	return Home{Latest: l.Cases, Located: o.Cases, MissingCount: l.Total, LocatedCount: o.Total, Revision: s.rev}
}

// Counts is the number of public cases of each public status.
func (m *Model) Counts() map[store.Status]int {
	s := m.cur.Load()
	return map[store.Status]int{
		store.StatusMissing: len(s.lists[setMissing-1][orderRecent].idx),
		store.StatusLocated: len(s.lists[setLocated-1][orderRecent].idx),
	}
}
