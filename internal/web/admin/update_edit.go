package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminUpdateEdit is POST /admin/cases/{id}/updates/{uid}. The store
// changes the update only if it belongs to that case (else 404).
func (h *handler) adminUpdateEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	uid, err := kit.PathID(r, "uid")
	if err != nil {
		return err
	}
	c, err := h.Store.GetCase(r.Context(), id)
	if err != nil {
		return err
	}
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	body, msg := readUpdateBody(vals)
	if msg != "" {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, &adminCaseView{
			Form: form.AdminCaseFormFrom(c, h.openContact(r, c)), UpdateError: kit.L(r).TC("admin cases", "Update {id}: {error}", "id", uid, "error", kit.L(r).T(msg))})
	}
	if err := h.Store.EditUpdate(r.Context(), id, uid, body, h.AuditFor(r, "case.update_edit", "public update "+strconv.FormatInt(uid, 10)+" edited")); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#updates", "success", kit.L(r).TC("admin cases", "Update saved."))
}
