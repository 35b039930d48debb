package site

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// The reporter's private page, /report/{token}: the token (store.CreateReport)
// is the only key. Nothing on these pages is taken from a hidden field: a
// POST with one report's token can only ever touch that report.

// reportLinkPath is the private page of a token.
func reportLinkPath(token string) string { return "/report/" + token }

// ValidReportToken: 43 characters of unpadded base64url (256 bits). Other
// strings are refused before the database is asked.
func ValidReportToken(s string) bool {
	if len(s) != 43 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// errBadReportLink is the friendly 404 of an unknown or mistyped link.
func errBadReportLink() error {
	// The error page translates Msg.
	return &kit.HTTPError{Status: http.StatusNotFound, Msg: i18n.Mark("This private report link is not valid. Check that you copied the whole link from the confirmation page. If you lost it, use the contact form and quote your reference number.")}
}

// reportLinkView is the data of report_link.html.
type reportLinkView struct {
	Token     string
	Reference string
	// State is one of pending, published, withdraw-requested, withdrawn,
	// not-published, closed, expired.
	State     string
	CaseURL   string
	ExpiresOn time.Time
	Open      bool // the forms are shown
	Sent      string
	Notice    string
	Add       *form.ReportAddForm
	Withdraw  *form.ReportWithdrawForm
	Errors    map[string]string
	Order     []string
	// PhotosEnabled: the photo pipeline is wired (otherwise the add form
	// has no file input).
	PhotosEnabled bool
}

// PhotoMax is how many photos one addition may have.
func (v *reportLinkView) PhotoMax() int { return kit.MaxReportPhotos }

// reportLinkAccess reads and checks the token of the path: a friendly 404
// for anything that is not a known link.
func (h *handler) reportLinkAccess(r *http.Request) (string, *store.ReportAccess, error) {
	token := r.PathValue("token")
	if !ValidReportToken(token) {
		return "", nil, errBadReportLink()
	}
	a, err := h.Store.ReportAccessByToken(r.Context(), token)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil, errBadReportLink()
	}
	if err != nil {
		return "", nil, err
	}
	return token, a, nil
}

// reportLinkShow is GET /report/{token}.
func (h *handler) reportLinkShow(w http.ResponseWriter, r *http.Request) error {
	token, a, err := h.reportLinkAccess(r)
	if err != nil {
		return err
	}
	v := &reportLinkView{}
	switch s := r.URL.Query().Get("sent"); s {
	case "info", "withdrawn", "requested":
		v.Sent = s
	}
	status := http.StatusOK
	if a.Expired(h.Now()) {
		status = http.StatusGone
	}
	return h.renderReportLink(w, r, status, token, a, v)
}

// renderReportLink fills what every rendering of the page needs.
func (h *handler) renderReportLink(w http.ResponseWriter, r *http.Request, status int, token string, a *store.ReportAccess, v *reportLinkView) error {
	now := h.Now()
	v.Token, v.Reference, v.ExpiresOn = token, a.Reference, a.ExpiresAt.In(h.Loc)
	v.Open = a.Open(now)
	v.PhotosEnabled = h.Pipeline != nil
	v.Order = form.ReportLinkFieldOrder
	if v.Errors == nil {
		v.Errors = map[string]string{}
	}
	if v.Add == nil {
		v.Add = &form.ReportAddForm{}
	}
	if v.Withdraw == nil {
		v.Withdraw = &form.ReportWithdrawForm{}
	}
	switch {
	case a.Expired(now):
		v.State = "expired"
	case a.Status == store.StatusRejected && a.WithdrawnAt != nil:
		v.State = "withdrawn"
	case a.Status == store.StatusRejected:
		v.State = "not-published"
	case a.Status == store.StatusArchived:
		v.State = "closed"
	case a.WithdrawnAt != nil:
		v.State = "withdraw-requested"
	case a.Status.Public():
		v.State = "published"
		v.CaseURL = "/cases/" + strconv.FormatInt(a.CaseID, 10)
	default:
		v.State = "pending"
	}
	p := h.Page(r, kit.L(r).T("Your report {ref}", "ref", a.Reference))
	p.Nav = "report"
	p.NoIndex = true
	p.Data = v
	if p.Langs != nil {
		// After a post (…/add, …/withdraw) the switch leads to the page
		// itself in the other language, not to the post's address.
		other := i18n.French
		if kit.LangFrom(r.Context()) == i18n.French {
			other = i18n.English
		}
		p.Langs.Switch = i18n.Path(other, reportLinkPath(token))
	}
	// The URL is the key to the report: never send it on in a Referer
	// (to the public case page, or to nginx's log through one).
	w.Header().Set("Referrer-Policy", "no-referrer")
	return h.HTML(w, status, kit.CacheNone, "report_link.html", p)
}

// reporterAudit is the audit entry of something the reporter did through
// their link: the actor is "reporter"; the store adds the reference.
func (h *handler) reporterAudit(r *http.Request, action string) *store.AuditEntry {
	return &store.AuditEntry{Action: action, UserEmail: "reporter", IP: h.ClientIP(r).String()}
}

// reportLinkClosed answers an action on a link that can no longer act,
// with the page and a plain reason (409; 410 once expired).
func (h *handler) reportLinkClosed(w http.ResponseWriter, r *http.Request, token string, v *reportLinkView) error {
	a, err := h.Store.ReportAccessByToken(r.Context(), token)
	if err != nil {
		return err
	}
	lz := kit.L(r)
	status := http.StatusConflict
	switch {
	case a.Expired(h.Now()):
		status = http.StatusGone
		v.Notice = lz.T("This private link has expired, so it can no longer change the report. Nothing was sent. To reach the team, use the contact form and quote your reference {ref}.", "ref", a.Reference)
	case a.WithdrawnAt != nil:
		v.Notice = lz.T("You already asked for this report to be withdrawn, so this link can no longer change it. Nothing more was sent.")
	default:
		v.Notice = lz.T("This report is closed, so this link can no longer change it. Nothing was sent. To reach the team, use the contact form and quote your reference {ref}.", "ref", a.Reference)
	}
	return h.renderReportLink(w, r, status, token, a, v)
}
