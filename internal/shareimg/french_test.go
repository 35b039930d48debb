package shareimg

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
	"lostinnl/internal/typeset"
)

// TestFrenchLabels: the French picture's fixed texts come from the
// catalog, with the French date, and the fonts have every letter of them
// (a missing glyph would be drawn as the replacement box).
func TestFrenchLabels(t *testing.T) {
	s := sample(nil)
	s.Lang = i18n.French
	s.MissingSince = i18n.For(i18n.French).Date(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	label, since := labels(s)
	if label != "PERSONNE DISPARUE" || since != "Disparue depuis le 1er décembre 2026" {
		t.Errorf("labels %q, %q", label, since)
	}
	fonts, err := typeset.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{label, since, "Marie-Ève Côté-Thériault, Île-aux-Morts, Baie-Sainte-Anne, août, Noël, cœur"} {
		clean, _ := fonts.Clean(text, 0)
		if strings.ContainsRune(clean, typeset.Replacement) || clean != text {
			t.Errorf("the fonts cannot draw %q (got %q)", text, clean)
		}
	}
	en := sample(nil)
	if label, since := labels(en); label != "MISSING" || !strings.HasPrefix(since, "Missing since ") {
		t.Errorf("English labels %q, %q", label, since)
	}
}

// TestFrenchPictureRenders: the longer French label still fits the text
// column (nothing drawn outside it) and the picture differs from the
// English one.
func TestFrenchPictureRenders(t *testing.T) {
	r := newRenderer(t)
	for _, photo := range [][]byte{nil, testJPEG(t, 400, 500)} {
		en, fr := sample(photo), sample(photo)
		fr.Lang = i18n.French
		fr.MissingSince = "1er décembre 2026"
		var a, b bytes.Buffer
		if err := r.Render(&a, en); err != nil {
			t.Fatal(err)
		}
		if err := r.Render(&b, fr); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Error("French picture is the English one")
		}
		img, err := r.draw(fr)
		if err != nil {
			t.Fatal(err)
		}
		area := textArea(photo != nil)
		bg := background
		for y := 0; y < Height; y++ {
			for x := area.Max.X; x < Width; x++ {
				if c := img.RGBAAt(x, y); c != bg {
					t.Fatalf("pixel %d,%d drawn outside the text column (%v)", x, y, c)
				}
			}
		}
	}
}

// TestPseudoLabels: both fixed texts go through the catalog.
func TestPseudoLabels(t *testing.T) {
	s := sample(nil)
	s.Lang = i18n.Pseudo
	s.MissingSince = "{}"
	label, since := labels(s)
	if left := i18n.Untranslated(label + " " + strings.ReplaceAll(since, "{}", "")); len(left) > 0 {
		t.Errorf("untranslated: %q", left)
	}
}
