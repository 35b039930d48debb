package typeset

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func loadFonts(t testing.TB) *Fonts {
	t.Helper()
	f, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestCleanKeepsNamesAndDropsWhatMustNotPrint(t *testing.T) {
	f := loadFonts(t)
	cases := []struct{ in, want string }{
		{"Marie-Ève Côté", "Marie-Ève Côté"},
		{"Geneviève Thériault", "Geneviève Thériault"},
		{"Co\u0302te\u0301", "Côté"}, // decomposed accents are composed
		{"D’Arcy O'Brien", "D’Arcy O'Brien"},
		{"Ŋiviuq Kĸ Łukasz", "Ŋiviuq Kĸ Łukasz"},
		{"  two\n\nlines\tand\r\ntabs  ", "two lines and tabs"},
		{"a\u202Eevil\u202C b\u200Fc\u200Bd\u00ADe", "aevil bcde"}, // bidi override, RLM, ZWSP, soft hyphen
		{"bell\x07 nul\x00 esc\x1b[31m", "bell nul esc[31m"},
		{"smile 😀 ok ❤️", "smile ok"},
		{"bad \xff\xfe utf8", "bad utf8"},
		{"Inuktitut ᐃᓄᒃᑎᑐᑦ", "Inuktitut ??????"},
	}
	for _, c := range cases {
		got, cut := f.Clean(c.in, 0)
		if got != c.want || cut {
			t.Errorf("Clean(%q) = %q, %v; want %q, false", c.in, got, cut, c.want)
		}
	}
}

func TestCleanLimit(t *testing.T) {
	f := loadFonts(t)
	got, cut := f.Clean(strings.Repeat("ab ", 5000), 100)
	if !cut || utf8.RuneCountInString(got) > 100 {
		t.Fatalf("cut=%v len=%d", cut, utf8.RuneCountInString(got))
	}
	// Trailing white space beyond the limit is not a cut.
	got, cut = f.Clean("exactly eleven   \n", 14)
	if cut || got != "exactly eleven" {
		t.Fatalf("got %q cut=%v", got, cut)
	}
}

// mono is a measure where every character is size/2 wide, so expected
// lines are easy to reason about.
func mono(s string, size float64) float64 { return float64(utf8.RuneCountInString(s)) * size / 2 }

func TestFitShrinksBeforeCutting(t *testing.T) {
	box := Box{Width: 100, Height: 24, MaxSize: 20, MinSize: 10, Step: 2, Leading: 1.2}
	// 30 characters: at size 20 a line holds 10 characters and the box one
	// line; at size 10 a line holds 20 characters and the box two lines.
	text := "aaaa bbbb cccc dddd eeee ffff"
	got := Fit(text, box, mono, false)
	if got.Cut || got.Size != 10 || len(got.Lines) != 2 {
		t.Fatalf("got %+v", got)
	}
	for _, l := range got.Lines {
		if mono(l, got.Size) > box.Width {
			t.Errorf("line %q too wide", l)
		}
	}
}

func TestFitCutsWithEllipsis(t *testing.T) {
	box := Box{Width: 100, Height: 24, MaxSize: 20, MinSize: 10, Step: 2, Leading: 1.2}
	got := Fit(strings.Repeat("word ", 400), box, mono, false)
	if !got.Cut || len(got.Lines) != 2 || !strings.HasSuffix(got.Lines[1], Ellipsis) {
		t.Fatalf("got %+v", got)
	}
	for _, l := range got.Lines {
		if mono(l, got.Size) > box.Width {
			t.Errorf("line %q too wide", l)
		}
	}
	// A text Clean already shortened gets the ellipsis even if it fits.
	got = Fit("short", box, mono, true)
	if !got.Cut || got.Lines[len(got.Lines)-1] != "short"+Ellipsis {
		t.Fatalf("got %+v", got)
	}
}

func TestWrapBreaksLongWords(t *testing.T) {
	w := func(s string) float64 { return mono(s, 2) } // one unit per character
	lines := Wrap("x "+strings.Repeat("y", 25)+" z", 10, w)
	want := []string{"x", "yyyyyyyyyy", "yyyyyyyyyy", "yyyyy z"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q want %q", lines, want)
	}
	// A line narrower than one character still progresses.
	if got := Wrap("abc", 0.5, w); len(got) != 3 {
		t.Fatalf("got %q", got)
	}
}

// A word is broken only when no size in the range keeps it whole.
func TestFitShrinksRatherThanBreakWords(t *testing.T) {
	box := Box{Width: 60, Height: 40, MaxSize: 20, MinSize: 6, Step: 1, Leading: 1.2, MaxLines: 3}
	got := Fit("Marie-Ève Côté", box, mono, false)
	if strings.Join(got.Lines, "|") != "Marie-Ève|Côté" {
		t.Fatalf("got %+v", got)
	}
	// At the smallest size a word wider than the line is still broken.
	got = Fit(strings.Repeat("x", 30), Box{Width: 30, Height: 40, MaxSize: 6, MinSize: 6}, mono, false)
	if len(got.Lines) != 3 || got.Cut {
		t.Fatalf("got %+v", got)
	}
}
