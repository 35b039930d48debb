package web

import "net/http"

// adminResourceMove is POST /admin/resources/{id}/move with dir=up|down.
func (h *handler) adminResourceMove(w http.ResponseWriter, r *http.Request) error {
	if err := h.needAdmin(); err != nil {
		return err
	}
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	vals, err := h.readSmallForm(w, r)
	if err != nil {
		return err
	}
	rs, err := h.st.ListResources(r.Context())
	if err != nil {
		return err
	}
	at := -1
	ids := make([]int64, len(rs))
	for i, res := range rs {
		ids[i] = res.ID
		if res.ID == id {
			at = i
		}
	}
	if at < 0 {
		return errNotFound()
	}
	to := at - 1
	if vals.Get("dir") == "down" {
		to = at + 1
	}
	if to < 0 || to >= len(ids) {
		return h.flashRedirect(w, r, "/admin/resources", "success", "The resource is already at that end.")
	}
	ids[at], ids[to] = ids[to], ids[at]
	if err := h.st.ReorderResources(r.Context(), ids, h.auditFor(r, "resource.reorder", "resource order changed: "+rs[at].Title)); err != nil {
		return err
	}
	return h.flashRedirect(w, r, "/admin/resources", "success", "Order saved.")
}
