package typeset

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// FuzzCleanAndFit checks the promises the poster and the share image rely
// on, for any text: Clean leaves valid UTF-8 with no control, format or
// unprintable character and at most the limit; Fit never returns more
// lines than the box holds, nor a line wider than the box unless it is a
// single character, nor a size outside the range.
func FuzzCleanAndFit(f *testing.F) {
	fonts := loadFonts(f)
	for _, s := range []string{
		"Marie-Ève Côté", "\u202Eevil\u202C", "😀😀😀", "a\x00b\x1bc", strings.Repeat("W", 500),
		"word " + strings.Repeat("x", 80), "\xff\xfe", "ᐃᓄᒃᑎᑐᑦ Ŋĸł", "",
	} {
		f.Add(s, 60.0, 3)
	}
	f.Fuzz(func(t *testing.T, text string, width float64, maxLines int) {
		if width != width || width < 1 || width > 1000 || maxLines < 0 || maxLines > 50 {
			t.Skip()
		}
		clean, cut := fonts.Clean(text, 200)
		if !utf8.ValidString(clean) {
			t.Fatalf("invalid UTF-8 %q", clean)
		}
		if n := utf8.RuneCountInString(clean); n > 200 {
			t.Fatalf("%d runes over the limit", n)
		}
		for _, r := range clean {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || (r != ' ' && unicode.IsSpace(r)) {
				t.Fatalf("%U left in %q", r, clean)
			}
		}
		if clean != strings.TrimSpace(clean) || strings.Contains(clean, "  ") {
			t.Fatalf("spaces not normalised: %q", clean)
		}
		box := Box{Width: width, Height: 40, MaxSize: 20, MinSize: 6, Step: 1, Leading: 1.2, MaxLines: maxLines}
		fit := Fit(clean, box, mono, cut)
		if fit.Size > box.MaxSize || fit.Size < box.MinSize {
			t.Fatalf("size %v out of range", fit.Size)
		}
		if clean != "" && len(fit.Lines) > box.lines(fit.Size) {
			t.Fatalf("%d lines, the box holds %d", len(fit.Lines), box.lines(fit.Size))
		}
		for _, l := range fit.Lines {
			if mono(l, fit.Size) > box.Width && utf8.RuneCountInString(l) > 1 {
				t.Fatalf("line %q is %v wide, box %v", l, mono(l, fit.Size), box.Width)
			}
		}
		noSpace := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if !fit.Cut && noSpace(strings.Join(fit.Lines, "")) != noSpace(clean) {
			t.Fatalf("uncut text changed: %q -> %q", clean, fit.Lines)
		}
	})
}
