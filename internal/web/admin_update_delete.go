package web

import (
	"net/http"
	"strconv"
)

// adminUpdateDelete is POST /admin/cases/{id}/updates/{uid}/delete (404 for
// an update of another case).
func (h *handler) adminUpdateDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := pathID(r, "uid")
	if err != nil {
		return err
	}
	if err := h.st.DeleteUpdate(r.Context(), id, uid, h.auditFor(r, "case.update_delete", "public update "+strconv.FormatInt(uid, 10)+" deleted")); err != nil {
		return err
	}
	return h.flashRedirect(w, r, caseAdminURL(id)+"#updates", "success", "Update deleted.")
}
