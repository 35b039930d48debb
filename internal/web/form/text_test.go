package form

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
)

func TestCleanText(t *testing.T) {
	cases := []struct {
		in        string
		multiline bool
		want      string
	}{
		{"  hello  ", false, "hello"},
		{"a\r\nb\rc", true, "a\nb\nc"},
		{"a\r\nb", false, "a b"},
		{"tab\there", false, "tab here"},
		{"bell\x07 nul\x00", false, "bell nul"},
		{"e\u0301", false, "é"}, // NFC
		{"\ufeffBOM", false, "BOM"},
		{"left\u202eright", false, "leftright"},
		{"line\u2028sep", false, "linesep"},
		{"Ó Ceallaigh", false, "Ó Ceallaigh"},
	}
	for _, c := range cases {
		if got := CleanText(c.in, c.multiline); got != c.want {
			t.Errorf("cleanText(%q, %v) = %q, want %q", c.in, c.multiline, got, c.want)
		}
	}
}

func TestFormReaderRefusesInvalidUTF8AndCountsRunes(t *testing.T) {
	fr := NewFormReader(url.Values{"a": {"ok\xffno"}, "b": {strings.Repeat("é", 10)}, "c": {strings.Repeat("é", 11)}})
	if v := fr.line("a", 100); v != "ok\uFFFDno" || !strings.Contains(fr.Errs["a"], "could not read") {
		t.Errorf("invalid UTF-8: %q %q", v, fr.Errs["a"])
	}
	fr.line("b", 10)
	if fr.has("b") {
		t.Errorf("10 runes refused at limit 10: %q", fr.Errs["b"])
	}
	fr.line("c", 10)
	if !strings.Contains(fr.Errs["c"], "10 characters or fewer (it has 11)") {
		t.Errorf("c: %q", fr.Errs["c"])
	}
}

func TestValidPhone(t *testing.T) {
	good := []string{"709-555-0123", "(709) 555-0123", "+1 709 555 0123", "7095550123", "709.555.0123", "709-555-0123 ext. 42", "709 555 0123 x12", "+44 20 7946 0958", "911-1234"}
	bad := []string{"", "abc", "555", "12-34", "709-555-0123; DROP", "<script>", "+1 709 555 0123 ext", "1234567890123456", "709--", "+-+-+-+-+-+-+-", strings.Repeat("1", 50)}
	for _, p := range good {
		if !validPhone(p) {
			t.Errorf("validPhone(%q) = false", p)
		}
	}
	for _, p := range bad {
		if validPhone(p) {
			t.Errorf("validPhone(%q) = true", p)
		}
	}
}

func TestValidEmail(t *testing.T) {
	good := []string{"a@example.com", "first.last+tag@sub.example.ca", "o'brien@example.ie"}
	bad := []string{"", "a", "a@b", "a@.com", "a@example.", "Name <a@example.com>", "a@example.com, b@example.com", "a b@example.com", "<script>@x.com", "@example.com", strings.Repeat("a", 250) + "@example.com"}
	for _, e := range good {
		if !ValidEmail(e) {
			t.Errorf("validEmail(%q) = false", e)
		}
	}
	for _, e := range bad {
		if ValidEmail(e) {
			t.Errorf("validEmail(%q) = true", e)
		}
	}
}

func TestParsePastDate(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	if _, msg := parsePastDate(i18n.For(i18n.English), "2026-11-27", today); msg != "" {
		t.Errorf("today refused: %s", msg)
	}
	for _, s := range []string{"2026-11-28", "2026-02-30", "26-11-01", "2026/11/01", "1899-12-31", "", "2026-11-27T00:00"} {
		if _, msg := parsePastDate(i18n.For(i18n.English), s, today); msg == "" {
			t.Errorf("%q accepted", s)
		}
	}
}
