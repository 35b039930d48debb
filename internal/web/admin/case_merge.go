package admin

import (
	"errors"
	"net/http"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// mergeView is the data of admin/case_merge.html: the confirmation step of
// merging a pending report into the case of the same person.
type mergeView struct {
	From, Into       *store.Case
	FromAge, IntoAge string
	FromPhotos       int
	Additions        int
	Error            string
	Reason           string // what the report's rejection reason will say (data, English)
	CanMerge         bool   // the lifecycle allows this merge now: show the form
}

// adminCaseMerge is POST /admin/cases/{id}/merge (into, confirm=yes):
// merges the pending report {id} into case "into" (store.MergeCase: one
// transaction, both audit trails). A second submit of the same merge says
// it is done and shows the case; refusals re-render the confirmation with
// the reason.
func (h *handler) adminCaseMerge(w http.ResponseWriter, r *http.Request) error {
	vals, err := form.ReadSmallForm(w, r)
	if err != nil {
		return err
	}
	v, err := h.mergeCases(r, vals.Get("into"))
	if err != nil {
		return err
	}
	lz := kit.L(r)
	refuse := func(msg string) error {
		v.Error = msg
		return h.AdminRender(w, r, http.StatusUnprocessableEntity, "case_merge.html", lz.TC("admin cases", "Merge report"), "reports", v)
	}
	if mergedInto(v) {
		return h.alreadyMerged(w, r, v)
	}
	if msg := mergeRefusal(lz, v.From, v.Into); msg != "" {
		return refuse(msg)
	}
	if vals.Get("confirm") != "yes" {
		return refuse(lz.T("Tick the box to confirm that both are the same person."))
	}
	audit := h.AuditFor(r, "case.merge", "")
	res, err := h.Store.MergeCase(r.Context(), v.From.ID, v.Into.ID, audit)
	switch {
	case errors.Is(err, store.ErrAlreadyMerged):
		return h.alreadyMerged(w, r, v)
	case errors.Is(err, store.ErrIllegalTransition), errors.Is(err, store.ErrConflict):
		return refuse(lz.T("One of the two cases changed meanwhile, so this merge no longer applies. Go back to the report and check both cases."))
	case err != nil:
		return err
	}
	// The reason is quoted as stored (data, in English).
	msg := lz.T("Merged: the report of {name} (case {id}) is now part of this case: {photos}, {messages} moved. The report is closed as rejected (“{reason}”).",
		"name", v.From.FullName, "id", v.From.ID,
		"photos", lz.N("{n} photo", "{n} photos", res.Photos),
		"messages", lz.N("{n} message from the reporter", "{n} messages from the reporter", res.Additions),
		"reason", store.MergedReason(v.Into.ID))
	return h.FlashRedirect(w, r, kit.CaseAdminURL(v.Into.ID), "success", msg)
}

// mergedInto: the report was already merged into this case.
func mergedInto(v *mergeView) bool {
	return v.From.Status == store.StatusRejected && v.From.RejectReason == store.MergedReason(v.Into.ID)
}

// alreadyMerged answers a second submit: nothing to do, and where it went.
func (h *handler) alreadyMerged(w http.ResponseWriter, r *http.Request, v *mergeView) error {
	return h.FlashRedirect(w, r, kit.CaseAdminURL(v.Into.ID), "success",
		kit.L(r).T("This report was already merged into this case (case {id}). Nothing more to do.", "id", v.Into.ID))
}

// mergeCases loads the report of the path and the case named by into. A
// malformed into is a 400 with a message; an unknown case a 404.
func (h *handler) mergeCases(r *http.Request, into string) (*mergeView, error) {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	intoID, ok := kit.ParseID(strings.TrimSpace(into))
	if !ok {
		return nil, kit.ErrBadRequest(kit.L(r).T("Choose the case to merge into from the report's list of possible duplicates."))
	}
	ctx := r.Context()
	v := &mergeView{}
	if v.From, err = h.Store.GetCase(ctx, id); err != nil {
		return nil, err
	}
	if v.Into, err = h.Store.GetCase(ctx, intoID); err != nil {
		return nil, err
	}
	v.FromAge, v.IntoAge = ageText(kit.L(r), v.From.Age), ageText(kit.L(r), v.Into.Age)
	v.Reason = store.MergedReason(v.Into.ID)
	photos, err := h.Store.ListPhotos(ctx, v.From.ID)
	if err != nil {
		return nil, err
	}
	v.FromPhotos = len(photos)
	adds, err := h.Store.ListReportAdditions(ctx, v.From.ID)
	if err != nil {
		return nil, err
	}
	v.Additions = len(adds)
	v.CanMerge = mergeRefusal(kit.L(r), v.From, v.Into) == ""
	return v, nil
}

// mergeRefusal says why from cannot be merged into into ("" when it can):
// only a pending report is merged (a published case has its own public
// page, followers and links, so two published cases are a moderator's
// call, not a merge), and only into an open or pending case.
func mergeRefusal(lz *i18n.Localizer, from, into *store.Case) string {
	switch {
	case from.ID == into.ID:
		return lz.T("A report cannot be merged into itself.")
	case from.Status != store.StatusPending:
		return lz.T("Only a pending report can be merged into another case; this one is {status}.", "status", statusLabel(lz, from.Status))
	case into.Status != store.StatusMissing && into.Status != store.StatusPending:
		return lz.T("Case {id} is {status}: a report can only be merged into an open (missing) or pending case.", "id", into.ID, "status", statusLabel(lz, into.Status))
	}
	return ""
}
