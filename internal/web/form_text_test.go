package web

import (
	"lostinnl/internal/web/kit"
	"net/url"
	"strings"
	"testing"
	"time"
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
		if got := cleanText(c.in, c.multiline); got != c.want {
			t.Errorf("cleanText(%q, %v) = %q, want %q", c.in, c.multiline, got, c.want)
		}
	}
}

func TestFormReaderRefusesInvalidUTF8AndCountsRunes(t *testing.T) {
	fr := newFormReader(url.Values{"a": {"ok\xffno"}, "b": {strings.Repeat("é", 10)}, "c": {strings.Repeat("é", 11)}})
	if v := fr.line("a", 100); v != "ok\uFFFDno" || !strings.Contains(fr.errs["a"], "could not read") {
		t.Errorf("invalid UTF-8: %q %q", v, fr.errs["a"])
	}
	fr.line("b", 10)
	if fr.has("b") {
		t.Errorf("10 runes refused at limit 10: %q", fr.errs["b"])
	}
	fr.line("c", 10)
	if !strings.Contains(fr.errs["c"], "10 characters or fewer (it has 11)") {
		t.Errorf("c: %q", fr.errs["c"])
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
		if !validEmail(e) {
			t.Errorf("validEmail(%q) = false", e)
		}
	}
	for _, e := range bad {
		if validEmail(e) {
			t.Errorf("validEmail(%q) = true", e)
		}
	}
}

func TestParsePastDate(t *testing.T) {
	today := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	if _, msg := parsePastDate("2026-11-27", today); msg != "" {
		t.Errorf("today refused: %s", msg)
	}
	for _, s := range []string{"2026-11-28", "2026-02-30", "26-11-01", "2026/11/01", "1899-12-31", "", "2026-11-27T00:00"} {
		if _, msg := parsePastDate(s, today); msg == "" {
			t.Errorf("%q accepted", s)
		}
	}
}

// The site's "today" is St. John's time: at 23:00 on the 27th in St. John's
// it is already the 28th in UTC, and the 28th must still be refused.
func TestTodayUsesNewfoundlandTime(t *testing.T) {
	loc, err := time.LoadLocation("America/St_Johns")
	if err != nil {
		t.Fatal(err)
	}
	h := &kit.Env{Loc: loc, Now: func() time.Time { return time.Date(2026, 11, 28, 2, 30, 0, 0, time.UTC) }}
	if got := h.Today().Format(time.DateOnly); got != "2026-11-27" {
		t.Errorf("today = %s", got)
	}
}

func TestUnitFormatting(t *testing.T) {
	i := func(n int) *int { return &n }
	for cm, want := range map[int]string{170: "170 cm (5 ft 7 in)", 183: "183 cm (6 ft 0 in)", 152: "152 cm (5 ft 0 in)", 100: "100 cm (3 ft 3 in)"} {
		if got := kit.FormatHeight(i(cm)); got != want {
			t.Errorf("height %d: %q", cm, got)
		}
	}
	if kit.FormatHeight(nil) != "" || kit.FormatWeight(nil) != "" || kit.FormatHeight(i(0)) != "" {
		t.Error("unknown values not blank")
	}
	for kg, want := range map[int]string{70: "70 kg (154 lb)", 100: "100 kg (220 lb)", 3: "3 kg (7 lb)"} {
		if got := kit.FormatWeight(i(kg)); got != want {
			t.Errorf("weight %d: %q", kg, got)
		}
	}
	born := time.Date(2000, 6, 15, 0, 0, 0, 0, time.UTC)
	if y := kit.YearsBetween(born, time.Date(2026, 6, 14, 0, 0, 0, 0, time.UTC)); y != 25 {
		t.Errorf("age day before birthday %d", y)
	}
	if y := kit.YearsBetween(born, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)); y != 26 {
		t.Errorf("age on birthday %d", y)
	}
}

func TestParseCaseQueryDefaults(t *testing.T) {
	q, f, problems := parseCaseQuery(url.Values{})
	if len(problems) != 0 || f.Status != "missing" || len(q.Statuses) != 1 || q.Sort != "recent" || q.Page != 1 || q.PerPage != defaultPerPage {
		t.Errorf("defaults: %+v %+v %v", q, f, problems)
	}
	q, f, _ = parseCaseQuery(url.Values{"q": {"  Gander  "}, "region": {"labrador"}, "sex": {"FEMALE"}})
	if q.Q != "Gander" || q.Sort != "" || q.Region != "Labrador" || q.Sex != "female" || f.Region != "Labrador" {
		t.Errorf("canonicalised: %+v", q)
	}
	if got := f.PageURL(3); got != "/cases?page=3&q=Gander&region=Labrador&sex=female" {
		t.Errorf("PageURL %q", got)
	}
}
