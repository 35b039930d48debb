package form

import (
	"net/url"
	"slices"
	"strings"
	"testing"
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
