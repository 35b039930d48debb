package readmodel

import "lostinnl/internal/store"

// QueryAll answers q as Query does, but with the first limit matches in
// one page instead of q's page (q.Page and q.PerPage are ignored): for the
// map of open cases, which shows every match at once. Total is still the
// number of all matches, so a caller can say that some were left out.
// limit is at least 1.
func (m *Model) QueryAll(q store.CaseQuery, limit int) *Result {
	limit = max(limit, 1)
	return m.cur.Load().queryWindow(q, false, 1, limit, 0)
}
