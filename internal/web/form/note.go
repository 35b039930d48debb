package form

import (
	"net/url"
	"regexp"

	"lostinnl/internal/i18n"
	"lostinnl/internal/store"
)

// NoteForm is the public-note form on a case page (issue 19 point 5): a
// kind, a short message and an optional display name. It asks for no
// contact details at all. Field names carry a note_ prefix because the
// tip form on the same page already uses "message" and "name" (and the
// field ids derive from the names).
type NoteForm struct {
	Kind     string
	Message  string
	Name     string
	Honeypot string
	read     *formReader
}

// NoteFieldOrder is the on-page order, for the error summary.
var NoteFieldOrder = []string{"note_kind", "note_message", "note_name"}

// NoteKinds are the kinds a visitor can choose, in the order shown.
var NoteKinds = []store.NoteKind{store.NoteSupport, store.NoteSharing}

// NewNoteForm reads the form. The message is read as a single line: a
// note is a sentence or two, and newlines typed into it become spaces
// (which also keeps CR/LF out of everything shown to moderators).
func NewNoteForm(vals url.Values) *NoteForm {
	fr := NewFormReader(vals)
	return &NoteForm{
		Kind:     fr.line("note_kind", 20),
		Message:  fr.line("note_message", store.MaxNoteMessage),
		Name:     fr.line("note_name", store.MaxNoteName),
		Honeypot: vals.Get(honeypotField),
		read:     fr,
	}
}

// Validate returns a message per bad field; empty means valid. Contact
// details in the message are left for the moderator to judge (ContactHints
// flags them); in the display name, which is shown as typed, they are
// refused outright.
func (f *NoteForm) Validate() map[string]string {
	errs := f.read.errorsWith()
	kind := store.NoteKind(f.Kind)
	if !kind.Valid() {
		SetIfNone(errs, "note_kind", i18n.Mark("Choose whether this is a message of support or a note that you are sharing this."))
	}
	if kind == store.NoteSupport && f.Message == "" {
		SetIfNone(errs, "note_message", i18n.Mark("Write a short message of support."))
	}
	if f.Name != "" && len(ContactHints(f.Name)) > 0 {
		SetIfNone(errs, "note_name", i18n.Mark("Give just a first name or a nickname, with no email address, phone number or web address."))
	}
	return errs
}

// Text is what the store seals.
func (f *NoteForm) Text() (store.NoteKind, store.NoteText) {
	return store.NoteKind(f.Kind), store.NoteText{Message: f.Message, DisplayName: f.Name}
}

// Blank reports whether nothing was entered.
func (f *NoteForm) Blank() bool { return f.Kind == "" && f.Message == "" && f.Name == "" }

// Contact-detail patterns for ContactHints. They are deliberately loose
// (a hint for a person, not a filter): a false alarm costs a moderator a
// glance, a miss is caught by the moderator reading the note anyway.
var (
	hintEmail = regexp.MustCompile(`(?i)[a-z0-9._%+\-]+\s*(@|\(at\)|\[at\]|\sat\s)\s*[a-z0-9\-]+(\.|\s*\(dot\)\s*|\s*\[dot\]\s*|\sdot\s)[a-z]{2,}`)
	// North American numbers in their usual spellings (709-555-0100,
	// (709) 555 0100, +1 709 555 0100, 7095550100) and the seven-digit
	// local form (555-0100).
	hintPhone = regexp.MustCompile(`(\+?1[\s.\-]?)?\(?\b\d{3}\)?[\s.\-]?\d{3}[\s.\-]?\d{4}\b|\b\d{3}[\s.\-]\d{4}\b`)
	hintURL   = regexp.MustCompile(`(?i)\b(https?://|www\.)\S+|\b[a-z0-9\-]+\.(com|ca|org|net|info|io|ly|me|co|app|link|biz)\b(/\S*)?`)
)

// ContactHints names the kinds of contact detail s seems to contain
// ("phone number", "email address", "web address"), for the moderation
// queue's highlight and the display name check. Empty when none.
func ContactHints(s string) []string {
	var out []string
	if hintPhone.MatchString(s) {
		out = append(out, "phone number")
	}
	if hintEmail.MatchString(s) {
		out = append(out, "email address")
	}
	// An address's domain is not also a web address.
	if hintURL.MatchString(hintEmail.ReplaceAllString(s, " ")) {
		out = append(out, "web address")
	}
	return out
}
