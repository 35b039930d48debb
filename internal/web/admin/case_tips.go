package admin

import (
	"net/http"
	"net/url"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// adminCaseTips is GET /admin/cases/{id}/tips: one case's tips with the
// tipsters' decrypted contact details and the state/notes forms.
func (h *handler) adminCaseTips(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.Store.GetCase(r.Context(), id)
	if err != nil {
		return err
	}
	return h.renderCaseTips(w, r, http.StatusOK, c, kit.QueryPage(r.URL.Query()), nil)
}

func (h *handler) renderCaseTips(w http.ResponseWriter, r *http.Request, status int, c *store.Case, pageNo int, v *tipsView) error {
	if v == nil {
		v = &tipsView{}
	}
	v.Case, v.States = c, tipStates
	tips, total, err := h.Store.ListTips(r.Context(), store.TipFilter{CaseID: c.ID, Page: pageNo, PerPage: tipsPerPage})
	if err != nil {
		return err
	}
	for _, t := range tips {
		v.Rows = append(v.Rows, h.openTip(r, t, c.FullName))
	}
	v.Total = total
	v.Pager = kit.NewPager(kit.CaseAdminURL(c.ID)+"/tips", url.Values{}, pageNo, tipsPerPage, total)
	return h.AdminRender(w, r, status, "tips.html", kit.L(r).TC("admin cases", "Tips: {name}", "name", c.FullName), "tips", v)
}

// openTip opens a tip's sealed contact for a staff view.
func (h *handler) openTip(r *http.Request, t store.Tip, caseName string) tipRow {
	return tipRow{
		Tip: t, CaseName: caseName,
		Name:  h.Unseal(r, t.Name, "tips", "name", t.ID, t.SealToken),
		Phone: h.Unseal(r, t.Phone, "tips", "phone", t.ID, t.SealToken),
		Email: h.Unseal(r, t.Email, "tips", "email", t.ID, t.SealToken),
	}
}
