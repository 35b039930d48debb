package admin

import (
	"lostinnl/internal/web/kit"
	"net/http"
	"time"

	"lostinnl/internal/store"
)

// dashboardView is the data of admin/dashboard.html.
type dashboardView struct {
	Pending int
	// Additions and Withdrawals are what reporters sent through their
	// private links and no moderator has handled yet.
	Additions   int
	Withdrawals int
	Waiting     []store.OpenAdditionCase
	NewTips     int
	Notes       int // public notes waiting for a moderator
	Unread      int
	ByStatus    []statusCount
	Due         []dueCase
	Days        int
}

type statusCount struct {
	Status store.Status
	Count  int
}

// dueCase is a located case whose personal details leave the public page
// soon (or are overdue because the retention job has not run yet).
type dueCase struct {
	Case  store.Case
	DueOn time.Time
}

// dueWindow: the dashboard warns this long before withdrawal.
const dueWindow = 7 * 24 * time.Hour

// adminDashboard is GET /admin.
func (h *handler) adminDashboard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	byStatus, err := h.Store.CountCasesByStatus(ctx)
	if err != nil {
		return err
	}
	tips, err := h.Store.CountTipsByState(ctx)
	if err != nil {
		return err
	}
	unread, err := h.Store.CountUnreadMessages(ctx)
	if err != nil {
		return err
	}
	additions, withdrawals, err := h.Store.CountOpenAdditions(ctx)
	if err != nil {
		return err
	}
	waiting, err := h.Store.CasesWithOpenAdditions(ctx, 50)
	if err != nil {
		return err
	}
	notes, err := h.Store.CountPendingNotes(ctx)
	if err != nil {
		return err
	}
	now := h.Now()
	due, err := h.Store.LocatedDueForWithdrawal(ctx, h.retentionCutoff(now).Add(dueWindow), 50)
	if err != nil {
		return err
	}
	v := &dashboardView{Pending: byStatus[store.StatusPending], NewTips: tips[store.TipNew], Unread: unread, Days: h.days,
		Additions: additions, Withdrawals: withdrawals, Waiting: waiting, Notes: notes}
	for _, s := range []store.Status{store.StatusPending, store.StatusMissing, store.StatusLocated, store.StatusArchived, store.StatusRejected} {
		v.ByStatus = append(v.ByStatus, statusCount{s, byStatus[s]})
	}
	for _, c := range due {
		d := dueCase{Case: c}
		if c.LocatedAt != nil {
			d.DueOn = c.LocatedAt.AddDate(0, 0, h.days)
		}
		v.Due = append(v.Due, d)
	}
	return h.AdminRender(w, r, http.StatusOK, "dashboard.html", kit.L(r).TC("admin", "Dashboard"), "dashboard", v)
}
