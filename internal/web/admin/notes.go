package admin

import (
	"net/http"
	"net/url"
	"strings"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// notesView is the data of admin/notes.html: the moderation queue of
// public notes (issue 19 point 5), or the approved ones for removal.
type notesView struct {
	State   string // "pending" or "approved"
	Rows    []noteRow
	Pager   kit.Pager
	Total   int
	Pending int // for the tab label
}

// noteRow is one note with its text opened and its contact-detail hints.
type noteRow struct {
	ID         int64
	CaseID     int64
	CaseName   string
	CaseStatus store.Status
	CaseOpen   bool // missing: an approved note is on the page
	Kind       string
	Name       string
	Message    string
	Hints      string // "phone number, web address", or ""
	CreatedAt  string
	Approved   bool
	Unreadable bool // the sealed text could not be opened: approval is refused
}

const notesPerPage = 50

var noteKindNames = map[store.NoteKind]string{store.NoteSupport: i18n.MarkC("admin cases", "Message of support"), store.NoteSharing: i18n.MarkC("admin cases", "Sharing in their community")}

// The hints form.ContactHints gives, translated when shown.
var _ = []string{i18n.MarkC("admin cases", "phone number"), i18n.MarkC("admin cases", "email address"), i18n.MarkC("admin cases", "web address")}

// adminNotes is GET /admin/notes?state=pending|approved: pending notes
// oldest first (approve or reject), approved ones newest first (remove).
// A pending note's text is opened here for the moderator; the hints are
// worked out from it on the server, each time, so none of it is stored.
func (h *handler) adminNotes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vals := r.URL.Query()
	v := &notesView{State: string(store.NotePending)}
	if strings.TrimSpace(vals.Get("state")) == string(store.NoteApproved) {
		v.State = string(store.NoteApproved)
	}
	pageNo := kit.QueryPage(vals)
	notes, total, err := h.Store.ListNotes(ctx, store.NoteState(v.State), pageNo, notesPerPage)
	if err != nil {
		return err
	}
	if v.Pending, err = h.Store.CountPendingNotes(ctx); err != nil {
		return err
	}
	lz := kit.L(r)
	for _, n := range notes {
		row := noteRow{ID: n.ID, CaseID: n.CaseID, CaseName: n.CaseName, CaseStatus: n.CaseStatus, CaseOpen: n.CaseStatus == store.StatusMissing,
			Kind: lz.TC("admin cases", noteKindNames[n.Kind]), CreatedAt: lz.Stamp(n.CreatedAt, h.Loc), Approved: n.State == store.NoteApproved}
		text := h.openNote(r, &n.Note)
		row.Message, row.Name = text.Message, text.DisplayName
		row.Unreadable = text.Message == kit.Unreadable || text.DisplayName == kit.Unreadable
		hints := form.ContactHints(text.DisplayName + "\n" + text.Message)
		for i := range hints {
			hints[i] = lz.TC("admin cases", hints[i])
		}
		row.Hints = strings.Join(hints, ", ")
		v.Rows = append(v.Rows, row)
	}
	v.Total = total
	base := url.Values{}
	if v.State != string(store.NotePending) {
		base.Set("state", v.State)
	}
	v.Pager = kit.NewPager("/admin/notes", base, pageNo, notesPerPage, total)
	return h.AdminRender(w, r, http.StatusOK, "notes.html", lz.TC("admin cases", "Public notes"), "notes", v)
}

// openNote returns a note's text: the public text of an approved note,
// the opened sealed text of a pending one (kit.Unreadable for a value that
// cannot be opened).
func (h *handler) openNote(r *http.Request, n *store.Note) store.NoteText {
	if n.State == store.NoteApproved {
		return store.NoteText{Message: n.PublicMessage, DisplayName: n.PublicName}
	}
	return store.NoteText{
		Message:     h.Unseal(r, n.Message, "case_notes", "message", n.ID, n.SealToken),
		DisplayName: h.Unseal(r, n.DisplayName, "case_notes", "display_name", n.ID, n.SealToken),
	}
}
