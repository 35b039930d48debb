package admin

import (
	"net/http"
	"net/url"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// tipRow is one tip in a staff list, with its case's name and (on the
// per-case page) the opened contact.
type tipRow struct {
	Tip      store.Tip
	CaseName string
	Name     string
	Phone    string
	Email    string
}

// tipsView is the data of admin/tips.html (all tips, or one case's).
type tipsView struct {
	Case   *store.Case // nil on the all-tips page
	State  string
	States []store.TipState
	Rows   []tipRow
	Pager  kit.Pager
	Total  int
	Error  string // a state form that was refused
	ErrTip int64
}

var tipStates = []store.TipState{store.TipNew, store.TipReviewed, store.TipForwarded}

// The templates show a tip's state as tc "tip state" of its name.
var _ = []string{
	i18n.MarkC("tip state", "new"),
	i18n.MarkC("tip state", "reviewed"),
	i18n.MarkC("tip state", "forwarded"),
}

const tipsPerPage = 50

// adminTips is GET /admin/tips?state=…: the team's tips inbox across all
// cases, newest first. Contact details are shown on each case's tips page.
func (h *handler) adminTips(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals := r.URL.Query()
	v := &tipsView{States: tipStates}
	f := store.TipFilter{Page: kit.QueryPage(vals), PerPage: tipsPerPage}
	if s := store.TipState(strings.TrimSpace(vals.Get("state"))); s != "" && form.InList(string(s), []string{"new", "reviewed", "forwarded"}) {
		f.State, v.State = s, string(s)
	}
	tips, total, err := h.Store.ListTips(ctx, f)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, t := range tips {
		name, ok := names[t.CaseID]
		if !ok {
			c, err := h.Store.GetCase(ctx, t.CaseID)
			if err != nil {
				return err
			}
			name = c.FullName
			names[t.CaseID] = name
		}
		v.Rows = append(v.Rows, tipRow{Tip: t, CaseName: name})
	}
	v.Total = total
	base := url.Values{}
	if v.State != "" {
		base.Set("state", v.State)
	}
	v.Pager = kit.NewPager("/admin/tips", base, f.Page, tipsPerPage, total)
	return h.AdminRender(w, r, http.StatusOK, "tips.html", kit.L(r).TC("admin cases", "Tips"), "tips", v)
}
