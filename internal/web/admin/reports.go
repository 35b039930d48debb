package admin

import (
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// reportsView is the data of admin/reports.html.
type reportsView struct {
	List  *store.CaseList
	Pager kit.Pager
}

// adminReports is GET /admin/reports: the queue of pending reports, the
// most recent disappearance first (the most urgent to check with police;
// the store has no "submitted" order, and the queue is short).
func (h *handler) adminReports(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	list, err := h.Store.SearchCases(r.Context(), store.CaseQuery{
		Statuses: []store.Status{store.StatusPending}, Sort: store.SortRecent, Page: kit.QueryPage(vals), PerPage: 50,
	})
	if err != nil {
		return err
	}
	v := &reportsView{List: list, Pager: kit.NewPager("/admin/reports", nil, list.Page, list.PerPage, list.Total)}
	return h.AdminRender(w, r, http.StatusOK, "reports.html", kit.L(r).TC("admin cases", "Reports to review"), "reports", v)
}
