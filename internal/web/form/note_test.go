package form

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"lostinnl/internal/store"
)

func TestContactHints(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Praying for you all, come home safe", nil},
		{"Shared at the Gander Co-op and St. John's library", nil},
		{"We searched on 2026-11-20 near the wharf", nil},
		{"call me at 709-555-0100", []string{"phone number"}},
		{"(709) 555 0100", []string{"phone number"}},
		{"+1 709 555 0100", []string{"phone number"}},
		{"ring 555-0100 anytime", []string{"phone number"}},
		{"write to ann@example.com", []string{"email address"}},
		{"ann at example dot com", []string{"email address"}},
		{"ann [at] example [dot] ca", []string{"email address"}},
		{"see https://example.org/x", []string{"web address"}},
		{"www.example.ca has more", []string{"web address"}},
		{"join our group on example.com/groups/1", []string{"web address"}},
		{"me@x.ca or 709 555 0100 or x.ca", []string{"phone number", "email address", "web address"}},
	} {
		if got := ContactHints(c.in); !slices.Equal(got, c.want) {
			t.Errorf("ContactHints(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNoteFormValidate(t *testing.T) {
	for _, c := range []struct {
		name string
		vals url.Values
		bad  []string
	}{
		{"support with a message", url.Values{"note_kind": {"support"}, "note_message": {"Thinking of you"}}, nil},
		{"sharing without words", url.Values{"note_kind": {"sharing"}}, nil},
		{"empty", url.Values{}, []string{"note_kind"}},
		{"support without words", url.Values{"note_kind": {"support"}}, []string{"note_message"}},
		{"unknown kind", url.Values{"note_kind": {"<script>"}, "note_message": {"x"}}, []string{"note_kind"}},
		{"too long", url.Values{"note_kind": {"support"}, "note_message": {strings.Repeat("é", 501)}}, []string{"note_message"}},
		{"bad encoding", url.Values{"note_kind": {"support"}, "note_message": {"a\xffb"}}, []string{"note_message"}},
		{"email as name", url.Values{"note_kind": {"support"}, "note_message": {"x"}, "note_name": {"ann@example.com"}}, []string{"note_name"}},
		{"phone as name", url.Values{"note_kind": {"sharing"}, "note_name": {"709 555 0100"}}, []string{"note_name"}},
		{"long name", url.Values{"note_kind": {"sharing"}, "note_name": {strings.Repeat("n", 61)}}, []string{"note_name"}},
	} {
		f := NewNoteForm(c.vals)
		errs := f.Validate()
		var got []string
		for k := range errs {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.bad) {
			t.Errorf("%s: errors on %q, want %q (%v)", c.name, got, c.bad, errs)
		}
	}
	// CR/LF and controls never survive into the text.
	f := NewNoteForm(url.Values{"note_kind": {"support"}, "note_message": {"line one\r\nline two\rthree\x00\u202e"}, "note_name": {"An\nn"}})
	if _, text := f.Text(); text.Message != "line one line two three" || text.DisplayName != "An n" {
		t.Errorf("cleaned text = %q / %q", text.Message, text.DisplayName)
	}
}

// FuzzNoteForm: whatever is posted, a note the form accepts is one the
// store takes and the page can show on one line: a known kind, valid
// UTF-8 without control characters or line breaks, within the limits, and
// a display name with nothing that looks like contact details.
func FuzzNoteForm(f *testing.F) {
	f.Add("support", "Thinking of you", "Ann")
	f.Add("sharing", "", "")
	f.Add("support", "a\r\nb\x00\u202ec", "Bo\nb")
	f.Add("\xff", "<script>alert(1)</script>", "ann@example.com")
	f.Fuzz(func(t *testing.T, kind, msg, name string) {
		nf := NewNoteForm(url.Values{"note_kind": {kind}, "note_message": {msg}, "note_name": {name}})
		if errs := nf.Validate(); len(errs) > 0 {
			return
		}
		k, text := nf.Text()
		if !k.Valid() || k == store.NoteSupport && text.Message == "" {
			t.Fatalf("accepted kind %q with message %q", k, text.Message)
		}
		for _, v := range []string{text.Message, text.DisplayName} {
			if !utf8.ValidString(v) || strings.ContainsAny(v, "\r\n\x00") {
				t.Fatalf("accepted bad text %q", v)
			}
		}
		if utf8.RuneCountInString(text.Message) > store.MaxNoteMessage || utf8.RuneCountInString(text.DisplayName) > store.MaxNoteName {
			t.Fatal("accepted text over the limits")
		}
		if len(ContactHints(text.DisplayName)) > 0 {
			t.Fatalf("accepted display name %q", text.DisplayName)
		}
	})
}
