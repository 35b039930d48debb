package admin

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminResources is GET /admin/resources: the help resources in display
// order, with move and delete buttons.
func (h *handler) adminResources(w http.ResponseWriter, r *http.Request) error {
	rs, err := h.Store.ListResources(r.Context())
	if err != nil {
		return err
	}
	return h.AdminRender(w, r, http.StatusOK, "resources.html", kit.L(r).T("Resources"), "resources", rs)
}
