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
	lz := kit.L(r)
	body, msg, altMsg := readUpdateBody(lz, vals)
	if msg == "" && altMsg != "" {
		msg = lz.TC("admin cases", "the version in the other language: {error}", "error", altMsg)
	}
	if msg != "" {
		return h.renderAdminCase(w, r, http.StatusUnprocessableEntity, c, &adminCaseView{
			Form: form.AdminCaseFormFrom(c, h.openContact(r, c)), UpdateError: lz.TC("admin cases", "Update {id}: {error}", "id", uid, "error", msg)})
	}
	audit := h.AuditFor(r, "case.update_edit", "public update "+strconv.FormatInt(uid, 10)+" edited")
	if _, ok := vals["body_alt"]; ok {
		err = h.Store.EditUpdateText(r.Context(), id, uid, body, audit)
	} else {
		// A post without the field (an older form) keeps the other version.
		err = h.Store.EditUpdate(r.Context(), id, uid, body.Body, audit)
	}
	if err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#updates", "success", lz.TC("admin cases", "Update saved."))
}
