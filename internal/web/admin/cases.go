package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminCasesView is the data of admin/cases.html.
type adminCasesView struct {
	Q, Status, Region string
	Statuses          []store.Status
	List              *store.CaseList
	Pager             kit.Pager
	Problems          []string
}

var allStatuses = []store.Status{store.StatusPending, store.StatusMissing, store.StatusLocated, store.StatusArchived, store.StatusRejected}

// The templates show a status as tc "case status" of its capitalised
// name; Missing and Located are the public site's (site.po), these are
// the staff-only ones.
var _ = []string{
	i18n.MarkC("case status", "Pending"),
	i18n.MarkC("case status", "Archived"),
	i18n.MarkC("case status", "Rejected"),
}

// adminCases is GET /admin/cases: every case in any status, with the
// public listing's filters (q, region, sex, ages, dates, sort) plus status.
func (h *handler) adminCases(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	// A reporter's reference (someone calling about their report) goes
	// straight to its case.
	if ref := strings.TrimSpace(vals.Get("q")); looksLikeReference(ref) {
		id, err := h.Store.CaseIDByReference(r.Context(), ref)
		if err == nil {
			http.Redirect(w, r, kit.CaseAdminURL(id), http.StatusSeeOther)
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
	}
	// parseCaseQuery knows only the public statuses; status is read here.
	pub := url.Values{}
	for k, v := range vals {
		if k != "status" {
			pub[k] = v
		}
	}
	lz := kit.L(r)
	q, f, problems := form.ParseCaseQueryIn(lz, pub)
	v := &adminCasesView{Q: f.Q, Region: f.Region, Statuses: allStatuses, Problems: problems}
	q.Statuses = allStatuses
	if s := strings.TrimSpace(vals.Get("status")); s != "" && s != "all" {
		if st := store.Status(s); st.Valid() {
			q.Statuses = []store.Status{st}
			v.Status = s
		} else {
			v.Problems = append(v.Problems, lz.TC("admin cases", "Unknown status; showing every status."))
		}
	}
	list, err := h.Store.SearchCases(r.Context(), q)
	if err != nil {
		return err
	}
	v.List = list
	base := f.Values()
	base.Del("status")
	if v.Status != "" {
		base.Set("status", v.Status)
	}
	v.Pager = kit.NewPager("/admin/cases", base, list.Page, list.PerPage, list.Total)
	return h.AdminRender(w, r, http.StatusOK, "cases.html", lz.TC("admin cases", "Cases"), "cases", v)
}

// statusLabel is a status as a word inside a sentence ("this one is
// located"), in the page's language.
func statusLabel(lz *i18n.Localizer, st store.Status) string {
	return lz.TC("case status in a sentence", string(st))
}

var _ = []string{
	i18n.MarkC("case status in a sentence", "pending"),
	i18n.MarkC("case status in a sentence", "missing"),
	i18n.MarkC("case status in a sentence", "located"),
	i18n.MarkC("case status in a sentence", "archived"),
	i18n.MarkC("case status in a sentence", "rejected"),
}
