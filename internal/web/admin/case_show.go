package admin

import (
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// adminCaseView is the data of admin/case.html: the whole case with its
// private contact, photos, updates and the status actions it allows.
type adminCaseView struct {
	Case          *store.Case
	Form          *form.AdminCaseForm
	Errors        map[string]string
	Order         []string
	Notice        string
	Photos        []store.Photo
	Updates       []store.Update
	Transitions   []transition
	PhotosEnabled bool
	PhotoError    string
	UpdateError   string
	UpdateBody    string
	// UpdateBodyAlt is the new update's other-language text as typed;
	// UpdateAltErrors holds its error under "body_alt" (issue 18).
	UpdateBodyAlt   string
	UpdateAltErrors map[string]string
	TipCount        int
	Review          bool // the report review page (approve/reject) instead of the case page
	RejectReason    string
	RejectError     string
	// Access is the reporter's link of a case from the public form (nil
	// otherwise); Additions what the reporter sent through it, newest first.
	Access    *store.ReportAccess
	Additions []store.ReportAddition
	// WithdrawOpen: the reporter asked for this published case to be
	// withdrawn and no moderator has handled it yet.
	WithdrawOpen bool
	// Duplicates: open or pending cases that may be the same person (a
	// pending case only; DuplicatesChecked says the lookup ran).
	Duplicates        []duplicateRow
	DuplicatesChecked bool
	// MergedInto: this report was merged into that case (0 otherwise).
	MergedInto int64
	// NotesAllowed: public notes are on for this case (issue 19), with
	// how many of its notes wait and how many are approved.
	NotesAllowed  bool
	NotesPending  int
	NotesApproved int
	// NameLeaks: public texts still showing a first-name-only case's
	// surname (first_name.go).
	NameLeaks []string
}

// transition is one status change the case allows, with its words.
type transition struct {
	To     store.Status
	Label  string
	Action string // audit action
}

// transitionFor names a lifecycle step for buttons and the audit log.
func transitionFor(lz *i18n.Localizer, from, to store.Status) transition {
	t := transition{To: to}
	switch {
	case to == store.StatusMissing && from == store.StatusPending:
		t.Label, t.Action = lz.TC("admin cases", "Publish"), "case.publish"
	case to == store.StatusMissing:
		t.Label, t.Action = lz.TC("admin cases", "Re-open as missing"), "case.reopen"
	case to == store.StatusLocated:
		t.Label, t.Action = lz.TC("admin cases", "Mark located"), "case.locate"
	case to == store.StatusArchived:
		t.Label, t.Action = lz.TC("admin cases", "Archive"), "case.archive"
	case to == store.StatusRejected:
		t.Label, t.Action = lz.TC("admin cases", "Reject report"), "case.reject"
	case to == store.StatusPending:
		t.Label, t.Action = lz.TC("admin cases", "Reconsider report"), "case.reconsider"
	default:
		t.Label, t.Action = string(to), "case.status"
	}
	return t
}

func transitionsFrom(lz *i18n.Localizer, from store.Status) []transition {
	var out []transition
	for _, to := range allStatuses {
		if store.CanTransition(from, to) {
			out = append(out, transitionFor(lz, from, to))
		}
	}
	return out
}

// adminCaseShow is GET /admin/cases/{id}: the case page with its edit form.
func (h *handler) adminCaseShow(w http.ResponseWriter, r *http.Request) error {
	id, err := kit.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := h.Store.GetCase(r.Context(), id)
	if err != nil {
		return err
	}
	v := &adminCaseView{Form: form.AdminCaseFormFrom(c, h.openContact(r, c))}
	return h.renderAdminCase(w, r, http.StatusOK, c, v)
}

// renderAdminCase fills what every rendering of the case page needs.
func (h *handler) renderAdminCase(w http.ResponseWriter, r *http.Request, status int, c *store.Case, v *adminCaseView) error {
	ctx := r.Context()
	var err error
	v.Case = c
	v.Order = form.AdminCaseFieldOrder
	v.Transitions = transitionsFrom(kit.L(r), c.Status)
	v.PhotosEnabled = h.Bucket != nil && h.Pipeline != nil
	if v.Photos, err = h.Store.ListPhotos(ctx, c.ID); err != nil {
		return err
	}
	if v.Updates, err = h.Store.ListUpdates(ctx, c.ID); err != nil {
		return err
	}
	if _, v.TipCount, err = h.Store.ListTips(ctx, store.TipFilter{CaseID: c.ID, PerPage: 1}); err != nil {
		return err
	}
	if v.NotesAllowed, err = h.Store.NotesAllowed(ctx, c.ID); err != nil {
		return err
	}
	if v.NotesPending, v.NotesApproved, err = h.Store.CountCaseNotes(ctx, c.ID); err != nil {
		return err
	}
	if err := h.loadReporterSide(r, c.ID, v); err != nil {
		return err
	}
	if err := h.loadDuplicates(r, c, v); err != nil {
		return err
	}
	if c.Status == store.StatusRejected {
		v.MergedInto, _ = store.MergedInto(c.RejectReason)
	}
	v.NameLeaks = nameLeaks(kit.L(r), c, v.Photos, v.Updates)
	v.Errors = kit.TErrorsIn(kit.L(r), v.Errors)
	if v.Notice != "" {
		v.Notice = kit.L(r).T(v.Notice)
	}
	name, title := "case.html", c.FullName
	if v.Review {
		name, title = "report.html", kit.L(r).TC("admin cases", "Review report: {name}", "name", c.FullName)
	}
	section := "cases"
	if v.Review {
		section = "reports"
	}
	return h.AdminRender(w, r, status, name, title, section, v)
}

func IDString(id int64) string { return strconv.FormatInt(id, 10) }

// openContact opens a case's sealed reporter contact for a staff view.
func (h *handler) openContact(r *http.Request, c *store.Case) store.ReporterContact {
	open := func(sealed []byte, column string) string {
		return h.Unseal(r, sealed, "cases", column, c.ID, c.SealToken)
	}
	return store.ReporterContact{
		Name:         open(c.ReporterName, "reporter_name"),
		Phone:        open(c.ReporterPhone, "reporter_phone"),
		Email:        open(c.ReporterEmail, "reporter_email"),
		Relationship: open(c.ReporterRelationship, "reporter_relationship"),
	}
}
