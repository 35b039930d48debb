package web

import (
	"net/http"
	"strconv"
)

// adminPhotoPrimary is POST /admin/cases/{id}/photos/{pid}/primary. The
// store checks the photo belongs to the case (another case's photo: 404).
func (h *handler) adminPhotoPrimary(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return err
	}
	if err := h.st.SetPrimaryPhoto(r.Context(), id, pid, h.auditFor(r, "case.photo_primary", "photo "+strconv.FormatInt(pid, 10)+" made primary")); err != nil {
		return err
	}
	return h.flashRedirect(w, r, caseAdminURL(id)+"#photos", "success", "Primary photo changed.")
}
