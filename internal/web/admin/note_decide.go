package admin

import (
	"errors"
	"fmt"
	"net/http"

	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// adminNoteApprove is POST /admin/notes/{nid}/approve: the note's text is
// opened from the database (never taken from the form) and published.
func (h *handler) adminNoteApprove(w http.ResponseWriter, r *http.Request) error {
	n, err := h.noteFromPath(r)
	if err != nil {
		return err
	}
	back := "/admin/notes"
	if n.State != store.NotePending {
		return h.FlashRedirect(w, r, back, "warning", kit.L(r).T("That note was already decided by someone else."))
	}
	text := h.openNote(r, n)
	if text.Message == kit.Unreadable || text.DisplayName == kit.Unreadable {
		// Publishing the placeholder as if someone had typed it would be
		// wrong; the key problem is in the logs.
		return h.FlashRedirect(w, r, back, "error", kit.L(r).T("This note cannot be opened (encryption key problem), so it was not approved. Reject it, or ask an administrator."))
	}
	audit := h.AuditFor(r, "note.approve", fmt.Sprintf("public note %d (%s) approved", n.ID, n.Kind))
	if err := h.Store.ApproveNote(r.Context(), n.ID, text, audit); err != nil {
		return h.decideFailed(w, r, back, err)
	}
	return h.FlashRedirect(w, r, back, "success", kit.L(r).T("Note approved. It shows on the case page while the case is open and takes notes."))
}

// adminNoteReject is POST /admin/notes/{nid}/reject: the pending note is
// deleted; its sender is not told.
func (h *handler) adminNoteReject(w http.ResponseWriter, r *http.Request) error {
	n, err := h.noteFromPath(r)
	if err != nil {
		return err
	}
	audit := h.AuditFor(r, "note.reject", fmt.Sprintf("public note %d (%s) rejected and deleted", n.ID, n.Kind))
	if err := h.Store.RejectNote(r.Context(), n.ID, audit); err != nil {
		return h.decideFailed(w, r, "/admin/notes", err)
	}
	return h.FlashRedirect(w, r, "/admin/notes", "success", kit.L(r).TC("admin cases", "Note rejected and deleted."))
}

// adminNoteRemove is POST /admin/notes/{nid}/remove: an approved note
// leaves the case page and is deleted.
func (h *handler) adminNoteRemove(w http.ResponseWriter, r *http.Request) error {
	n, err := h.noteFromPath(r)
	if err != nil {
		return err
	}
	back := "/admin/notes?state=approved"
	audit := h.AuditFor(r, "note.remove", fmt.Sprintf("approved public note %d (%s) removed and deleted", n.ID, n.Kind))
	if err := h.Store.RemoveNote(r.Context(), n.ID, audit); err != nil {
		return h.decideFailed(w, r, back, err)
	}
	return h.FlashRedirect(w, r, back, "success", kit.L(r).T("Note removed from the case page and deleted."))
}

func (h *handler) noteFromPath(r *http.Request) (*store.Note, error) {
	nid, err := kit.PathID(r, "nid")
	if err != nil {
		return nil, err
	}
	return h.Store.GetNote(r.Context(), nid)
}

// decideFailed turns a lost race (another moderator decided the note
// first) into a notice on the list instead of an error page.
func (h *handler) decideFailed(w http.ResponseWriter, r *http.Request, back string, err error) error {
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		return h.FlashRedirect(w, r, back, "warning", kit.L(r).T("That note was already decided by someone else."))
	}
	return err
}
