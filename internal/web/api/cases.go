package api

import (
	"net/http"
	"strconv"
	"strings"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// apiCaseList is GET /api/v1/cases: the listing's filters as JSON. Unlike
// the HTML page, a bad parameter is a 400 so API users notice; its
// message is in the lang parameter's language.
func (h *handler) apiCaseList(w http.ResponseWriter, r *http.Request) error {
	vals := r.URL.Query()
	lz := kit.L(r) // lang=en|fr (web/querylang.go)
	q, _, problems := form.ParseCaseQueryIn(lz, vals)
	if raw := strings.TrimSpace(vals.Get("per_page")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 100 {
			problems = append(problems, lz.T("per_page must be a whole number from 1 to 100."))
		} else {
			q.PerPage = n
		}
	}
	if len(problems) > 0 {
		return kit.ErrBadRequest(strings.Join(problems, " "))
	}
	m, err := h.Cases(r.Context())
	if err != nil {
		return err
	}
	res := m.Query(q)
	if form.LiveSearch(vals) {
		res = m.QueryPrefix(q)
	}
	out := apiList{Cases: make([]apiCase, 0, len(res.Cases)), Total: res.Total, Page: res.Page, PerPage: res.PerPage}
	for i := range res.Cases {
		out.Cases = append(out.Cases, h.apiCaseOf(r, &res.Cases[i]))
	}
	return h.WriteJSON(w, http.StatusOK, "public, max-age=30", out)
}
