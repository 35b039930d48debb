package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"lostinnl/internal/auth"
	"lostinnl/internal/store"
)

// adminPage is the Data of every admin template: the signed-in user (for
// the navigation), a one-time flash message, and the page's own data.
type adminPage struct {
	User    *store.User
	IsAdmin bool
	Section string // current navigation item
	Flash   *auth.Flash
	Body    any
}

// adminRender renders an admin page (never cached, never indexed).
func (h *Env) adminRender(w http.ResponseWriter, r *http.Request, status int, name, title, section string, body any) error {
	ap := &adminPage{User: userFrom(r.Context()), Section: section, Body: body}
	ap.IsAdmin = ap.User != nil && ap.User.Role == store.RoleAdmin
	if s := sessionFrom(r.Context()); s != nil {
		f, err := h.sessions.TakeFlash(r.Context(), s)
		if err != nil {
			// A lost flash message is not worth failing the page for.
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "flash message lost",
				slog.String("request_id", h.requestID(r.Context())), slog.String("error", err.Error()))
		}
		ap.Flash = f
	}
	p := h.page(r, title)
	p.NoIndex = true
	p.Data = ap
	return h.html(w, status, cacheNone, "admin/"+name, p)
}

// flashRedirect stores a one-time message and redirects (303) to to.
// (Dropping cached public pages after a write is the route table's job:
// see route.purges.)
func (h *Env) flashRedirect(w http.ResponseWriter, r *http.Request, to, kind, msg string) error {
	if s := sessionFrom(r.Context()); s != nil {
		if err := h.sessions.SetFlash(r.Context(), s, kind, msg); err != nil {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "flash message lost",
				slog.String("request_id", h.requestID(r.Context())), slog.String("error", err.Error()))
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// pathID reads a numeric path value; anything else is a 404 (never a 400
// that would tell a prober which ids are well-formed).
func pathID(r *http.Request, name string) (int64, error) {
	id, ok := parseID(r.PathValue(name))
	if !ok {
		return 0, errNotFound()
	}
	return id, nil
}

// queryPage reads ?page=, defaulting to 1 for anything unusable.
func queryPage(vals url.Values) int {
	n, err := strconv.Atoi(strings.TrimSpace(vals.Get("page")))
	if err != nil || n < 1 || n > maxPage {
		return 1
	}
	return n
}

// pager is what the pagination partial needs.
type pager struct {
	Page, Pages, Total int
	base               url.Values
	path               string
}

func newPager(path string, base url.Values, pageNo, perPage, total int) pager {
	pages := (total + perPage - 1) / perPage
	if pages < 1 {
		pages = 1
	}
	return pager{Page: pageNo, Pages: pages, Total: total, base: base, path: path}
}

// URL is the link to page n with the same filters.
func (p pager) URL(n int) string {
	v := url.Values{}
	for k, vs := range p.base {
		if k != "page" {
			v[k] = vs
		}
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return p.path
	}
	return p.path + "?" + v.Encode()
}

func (p pager) Prev() int { return p.Page - 1 }
func (p pager) Next() int { return p.Page + 1 }

// caseAdminURL is the admin page of a case.
func caseAdminURL(id int64) string { return "/admin/cases/" + strconv.FormatInt(id, 10) }

// unseal opens a sealed field of row id (seal token token, nil for a row
// without one) for a staff view.
func (h *Env) unseal(r *http.Request, sealed []byte, table, column string, id int64, token []byte) string {
	if len(sealed) == 0 {
		return ""
	}
	return h.cipher.OpenRowOrUnreadable(r.Context(), sealed, table, column, id, token)
}
