package web

import (
	"net/http"

	"lostinnl/internal/store"
)

// reportsView is the data of admin/reports.html.
type reportsView struct {
	List  *store.CaseList
	Pager pager
}

// adminReports is GET /admin/reports: the queue of pending reports, the
// most recent disappearance first (the most urgent to check with police;
// the store has no "submitted" order, and the queue is short).
func (h *handler) adminReports(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	list, err := h.st.SearchCases(r.Context(), store.CaseQuery{
		Statuses: []store.Status{store.StatusPending}, Sort: store.SortRecent, Page: queryPage(vals), PerPage: 50,
	})
	if err != nil {
		return err
	}
	v := &reportsView{List: list, Pager: newPager("/admin/reports", nil, list.Page, list.PerPage, list.Total)}
	return h.adminRender(w, r, http.StatusOK, "reports.html", "Reports to review", "reports", v)
}
