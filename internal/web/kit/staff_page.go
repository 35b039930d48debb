package kit

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
	// Here is the page's own address, for the header's language switch
	// to come back to (empty on a POST's answer: the switch then lands
	// on the account page).
	Here string
}

// AdminRender renders an admin page (never cached, never indexed).
func (h *Env) AdminRender(w http.ResponseWriter, r *http.Request, status int, name, title, section string, body any) error {
	ap := &adminPage{User: UserFrom(r.Context()), Section: section, Body: body}
	ap.IsAdmin = ap.User != nil && ap.User.Role == store.RoleAdmin
	if r.Method == http.MethodGet {
		ap.Here = r.URL.RequestURI()
	}
	if s := SessionFrom(r.Context()); s != nil {
		f, err := h.Sessions.TakeFlash(r.Context(), s)
		if err != nil {
			// A lost flash message is not worth failing the page for.
			h.Log.LogAttrs(r.Context(), slog.LevelWarn, "flash message lost",
				slog.String("request_id", h.RequestID(r.Context())), slog.String("error", err.Error()))
		}
		ap.Flash = f
	}
	p := h.Page(r, title)
	p.NoIndex = true
	p.Data = ap
	return h.HTML(w, status, CacheNone, "admin/"+name, p)
}

// FlashRedirect stores a one-time message and redirects (303) to to.
// (Dropping cached public pages after a write is the route table's job:
// see Route.Purges.)
func (h *Env) FlashRedirect(w http.ResponseWriter, r *http.Request, to, kind, msg string) error {
	if s := SessionFrom(r.Context()); s != nil {
		if err := h.Sessions.SetFlash(r.Context(), s, kind, msg); err != nil {
			h.Log.LogAttrs(r.Context(), slog.LevelWarn, "flash message lost",
				slog.String("request_id", h.RequestID(r.Context())), slog.String("error", err.Error()))
		}
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// PathID reads a numeric path value; anything else is a 404 (never a 400
// that would tell a prober which ids are well-formed).
func PathID(r *http.Request, name string) (int64, error) {
	id, ok := ParseID(r.PathValue(name))
	if !ok {
		return 0, ErrNotFound()
	}
	return id, nil
}

// QueryPage reads ?page=, defaulting to 1 for anything unusable.
func QueryPage(vals url.Values) int {
	n, err := strconv.Atoi(strings.TrimSpace(vals.Get("page")))
	if err != nil || n < 1 || n > MaxPage {
		return 1
	}
	return n
}

// Pager is what the pagination partial needs.
type Pager struct {
	Page, Pages, Total int
	base               url.Values
	path               string
}

func NewPager(path string, base url.Values, pageNo, perPage, total int) Pager {
	pages := (total + perPage - 1) / perPage
	if pages < 1 {
		pages = 1
	}
	return Pager{Page: pageNo, Pages: pages, Total: total, base: base, path: path}
}

// URL is the link to page n with the same filters.
func (p Pager) URL(n int) string {
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

func (p Pager) Prev() int { return p.Page - 1 }
func (p Pager) Next() int { return p.Page + 1 }

// CaseAdminURL is the admin page of a case.
func CaseAdminURL(id int64) string { return "/admin/cases/" + strconv.FormatInt(id, 10) }

// Unseal opens a sealed field of row id (seal token token, nil for a row
// without one) for a staff view.
func (h *Env) Unseal(r *http.Request, sealed []byte, table, column string, id int64, token []byte) string {
	if len(sealed) == 0 {
		return ""
	}
	return h.Cipher.OpenRowOrUnreadable(r.Context(), sealed, table, column, id, token)
}
