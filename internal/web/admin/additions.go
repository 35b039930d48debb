package admin

import (
	"errors"
	"net/http"
	"regexp"
	"strconv"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// loadReporterSide fills the reporter's reference and additions of the
// case page (staff only: these are never on a public page).
func (h *handler) loadReporterSide(r *http.Request, caseID int64, v *adminCaseView) error {
	ctx := r.Context()
	a, err := h.Store.ReportAccessForCase(ctx, caseID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		// Created by staff: no reporter link.
	case err != nil:
		return err
	default:
		v.Access = a
	}
	if v.Additions, err = h.Store.ListReportAdditions(ctx, caseID); err != nil {
		return err
	}
	for _, ad := range v.Additions {
		if ad.Kind == store.AdditionWithdraw && ad.HandledAt == nil {
			v.WithdrawOpen = true
		}
	}
	return nil
}

// adminAdditionHandled is POST /admin/cases/{id}/additions/{aid}/handled.
func (h *handler) adminAdditionHandled(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	aid, err := kit.PathID(r, "aid")
	if err != nil {
		return err
	}
	audit := h.AuditFor(r, "case.addition_handled", "reporter's addition "+strconv.FormatInt(aid, 10)+" marked handled")
	if err := h.Store.MarkAdditionHandled(r.Context(), id, aid, audit); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#additions", "success", kit.L(r).TC("admin cases", "Marked as handled."))
}

// adminAdditionPhotoAdopt is POST /admin/cases/{id}/additions/photos/{pid}/adopt:
// a photo the reporter sent becomes one of the case's photos (public once
// the case is). The store checks the photo belongs to this case (404).
func (h *handler) adminAdditionPhotoAdopt(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	pid, err := kit.PathID(r, "pid")
	if err != nil {
		return err
	}
	audit := h.AuditFor(r, "case.photo_adopt", "reporter's photo "+strconv.FormatInt(pid, 10)+" added to the case's photos")
	if _, err := h.Store.AdoptAdditionPhoto(r.Context(), id, pid, audit); err != nil {
		return err
	}
	return h.FlashRedirect(w, r, kit.CaseAdminURL(id)+"#photos", "success", kit.L(r).TC("admin cases", "Photo added to the case's photos."))
}

// referenceShape is the shape of a reporter's reference (store.newReference),
// in either case.
var referenceShape = regexp.MustCompile(`(?i)^NL-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$`)

func looksLikeReference(s string) bool { return referenceShape.MatchString(s) }
