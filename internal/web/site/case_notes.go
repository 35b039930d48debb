package site

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
	"lostinnl/internal/web/form"
	"lostinnl/internal/web/kit"
)

// notesView is the public-notes part of the case page (issue 19 point 5):
// the approved notes and the form, shown only while the case is missing
// and its staff allow notes. Everything is plain text for html/template to
// escape.
type notesView struct {
	Open   bool // the case takes notes: show the section
	Sent   bool // back from a note just sent
	Items  []noteItem
	Action string

	Form      *form.NoteForm
	Errors    map[string]string
	Notice    string // a server-side problem while saving
	Summary   []kit.FieldError
	Kinds     []kindOption
	KindError string
	Message   kit.Field
	Name      kit.Field
	Blank     template.HTML // for the empty form, the controls already rendered (noteFields)
}

type noteItem struct{ Kind, Name, Message, ISO, Date string }

type kindOption struct {
	ID, Value, Label string
	Checked          bool
}

// noteKindLabels: the form's choice, and the label of an approved note
// (English msgids, shown through the catalog).
var noteKindLabels = map[store.NoteKind][2]string{
	store.NoteSupport: {i18n.Mark("A message of support"), i18n.Mark("Message of support")},
	store.NoteSharing: {i18n.Mark("I'm sharing this in my community"), i18n.Mark("Sharing this in their community")},
}

// caseNotes fills v.Notes for an open case: whether notes are on, the
// approved ones (newest first) and the form with what was typed.
func (h *handler) caseNotes(r *http.Request, c *store.Case, v *caseView) error {
	if v.Notes == nil {
		v.Notes = &notesView{}
	}
	n := v.Notes
	lz := kit.L(r)
	// The case was read in this request: whether notes are on comes with
	// it (a note posted by a form whose case turned them off meanwhile is
	// refused by the store, note_save.go).
	n.Open = c.Status == store.StatusMissing && c.NotesAllowed
	if !n.Open {
		return nil
	}
	notes, err := h.Store.ApprovedNotes(r.Context(), c.ID)
	if err != nil {
		return err
	}
	for _, note := range notes {
		name := note.PublicName
		if name == "" {
			name = lz.T("Anonymous")
		}
		// A first-name-only case's full name in a note is replaced like
		// in any other public text (store.Case.PublicText).
		n.Items = append(n.Items, noteItem{
			Kind:    lz.T(noteKindLabels[note.Kind][1]),
			Name:    c.PublicText(name),
			Message: c.PublicText(note.PublicMessage),
			ISO:     note.CreatedAt.UTC().Format(time.RFC3339),
			Date:    lz.Date(note.CreatedAt.In(h.Loc)),
		})
	}
	// Posted under the page's language, so the answer stays in it.
	n.Action = kit.LangPath(r, "/cases/"+strconv.FormatInt(c.ID, 10)+"/notes")
	if n.Form == nil {
		n.Form = &form.NoteForm{}
	}
	if n.Errors == nil {
		n.Errors = map[string]string{}
	}
	n.Errors = kit.TErrorsIn(lz, n.Errors)
	if n.Notice != "" {
		n.Notice = lz.T(n.Notice)
	}
	n.Summary = kit.ErrorSummary(n.Errors, form.NoteFieldOrder)
	if len(n.Errors) == 0 && n.Form.Kind == "" && n.Form.Message == "" && n.Form.Name == "" {
		// Every case page shows the same empty form: its controls are
		// rendered once per language, like the tip form's.
		blank, err := h.Render.VariantLang(lz.Lang(), "case.html", "note-fields", "", func() any {
			b := &notesView{Form: &form.NoteForm{}}
			b.fields(lz)
			return b
		})
		if err != nil {
			return err
		}
		n.Blank = blank
		return nil
	}
	n.fields(lz)
	return nil
}

// fields fills the form's controls with n.Form's values and n.Errors.
func (n *notesView) fields(lz *i18n.Localizer) {
	for i, k := range form.NoteKinds {
		id := "f-note_kind" // the first choice carries the id the error summary links to
		if i > 0 {
			id += "-" + string(k)
		}
		n.Kinds = append(n.Kinds, kindOption{ID: id, Value: string(k), Label: lz.T(noteKindLabels[k][0]), Checked: n.Form.Kind == string(k)})
	}
	n.KindError = n.Errors["note_kind"]
	n.Message = kit.NewField("note_message", lz.TC("case page", "Your message"), n.Form.Message, n.Errors, "type=textarea", "rows=3",
		"max="+strconv.Itoa(store.MaxNoteMessage), "hint="+lz.T("Up to {n} characters. You may leave it empty if you are only telling the family you shared this.", "n", lz.Number(store.MaxNoteMessage)))
	n.Name = kit.NewField("note_name", lz.T("Your first name or a nickname (optional)"), n.Form.Name, n.Errors,
		"max="+strconv.Itoa(store.MaxNoteName), "auto=given-name", "hint="+lz.T("Shown with your note. Leave it empty to appear as “Anonymous”."))
}
