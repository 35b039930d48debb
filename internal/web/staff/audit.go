package staff

import (
	"lostinnl/internal/i18n"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// auditView is the data of admin/audit.html.
type auditView struct {
	UserID                       string
	Action, Record, Since, Until string
	Users                        []store.User
	Entries                      []store.AuditEntry
	Total                        int
	Pager                        kit.Pager
	Problems                     []string
}

const auditPerPage = 50

// The filters' names as the problems about them say them ("the since
// date was ignored"), marked for the catalog: adminAudit looks them up
// by the field's name.
var _ = []string{
	i18n.MarkC("audit filter", "action"), i18n.MarkC("audit filter", "record"),
	i18n.MarkC("audit filter", "since"), i18n.MarkC("audit filter", "until"),
}

// adminAudit is GET /admin/audit: the append-only audit log, filtered by
// user, action, record and date (dates in the site's zone), newest first.
func (h *Handler) adminAudit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals := r.URL.Query()
	v := &auditView{}
	f := store.AuditFilter{Page: kit.QueryPage(vals), PerPage: auditPerPage}
	base := url.Values{}
	if s := strings.TrimSpace(vals.Get("user")); s != "" {
		if id, ok := kit.ParseID(s); ok {
			f.UserID, v.UserID = id, s
			base.Set("user", s)
		} else {
			v.Problems = append(v.Problems, kit.L(r).T("Unknown user; showing everyone."))
		}
	}
	text := func(name string, max int) string {
		s := vals.Get(name)
		if s == "" {
			return ""
		}
		if !utf8.ValidString(s) || utf8.RuneCountInString(s) > max {
			v.Problems = append(v.Problems, kit.L(r).T("The {filter} filter was not readable, so it was ignored.", "filter", kit.L(r).TC("audit filter", name)))
			return ""
		}
		s = form.CleanText(s, false)
		if s != "" {
			base.Set(name, s)
		}
		return s
	}
	f.Action = text("action", 100)
	v.Action = f.Action
	f.Record = text("record", 200)
	v.Record = f.Record
	day := func(name string, end bool) *time.Time {
		s := strings.TrimSpace(vals.Get(name))
		if s == "" {
			return nil
		}
		d, err := time.ParseInLocation(time.DateOnly, s, h.Loc)
		if err != nil || d.Year() < 2000 || d.Year() > 9999 {
			v.Problems = append(v.Problems, kit.L(r).T("Dates are year-month-day, for example 2026-03-14; the {filter} date was ignored.", "filter", kit.L(r).TC("audit filter", name)))
			return nil
		}
		base.Set(name, s)
		if end {
			d = d.AddDate(0, 0, 1).Add(-time.Microsecond)
		}
		t := d.UTC()
		return &t
	}
	f.Since, f.Until = day("since", false), day("until", true)
	if f.Since != nil {
		v.Since = vals.Get("since")
	}
	if f.Until != nil {
		v.Until = vals.Get("until")
	}
	entries, total, err := h.Store.ListAudit(ctx, f)
	if err != nil {
		return err
	}
	users, err := h.Store.ListUsers(ctx)
	if err != nil {
		return err
	}
	v.Entries, v.Total, v.Users = entries, total, users
	v.Pager = kit.NewPager("/admin/audit", base, f.Page, auditPerPage, total)
	return h.AdminRender(w, r, http.StatusOK, "audit.html", kit.L(r).TC("admin", "Audit log"), "audit", v)
}
