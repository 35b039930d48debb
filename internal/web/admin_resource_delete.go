package web

import "net/http"

// adminResourceDelete is POST /admin/resources/{id}/delete.
func (h *handler) adminResourceDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	res, err := h.st.GetResource(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.st.DeleteResource(r.Context(), id, h.auditFor(r, "resource.delete", "resource deleted: "+res.Title)); err != nil {
		return err
	}
	return h.flashRedirect(w, r, "/admin/resources", "success", "Resource deleted.")
}
