package admin

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// adminCaseMergeConfirm is GET /admin/cases/{id}/merge?into=N: shows the
// pending report and the case side by side, says what merging does, and
// asks "are you sure" (the POST needs the tick). A merge that is already
// done sends the moderator to the case; one that is not possible says why
// instead of offering the form.
func (h *handler) adminCaseMergeConfirm(w http.ResponseWriter, r *http.Request) error {
	v, err := h.mergeCases(r, r.URL.Query().Get("into"))
	if err != nil {
		return err
	}
	if mergedInto(v) {
		return h.alreadyMerged(w, r, v)
	}
	v.Error = mergeRefusal(kit.L(r), v.From, v.Into)
	return h.AdminRender(w, r, http.StatusOK, "case_merge.html", kit.L(r).TC("admin cases", "Merge report"), "reports", v)
}
