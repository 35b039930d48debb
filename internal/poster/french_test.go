package poster

import (
	"strings"
	"testing"
	"time"

	"lostinnl/internal/i18n"
)

// frenchSample is sample in French, as the web layer fills it for
// ?lang=fr: values formatted by the French localizer.
func frenchSample(photo []byte) Poster {
	lz := i18n.For(i18n.French)
	p := sample(photo)
	p.Lang = i18n.French
	p.Sex = lz.TC("sex", "Female")
	p.Height = lz.Height(163)
	p.Weight = lz.Weight(54)
	p.Build = "Mince"
	p.LastSeen = lz.T("{date} at {time}", "date", lz.Date(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)), "time", lz.ClockText("21:40"))
	p.URL = "https://missing.example.ca/fr/cases/4217"
	p.Generated = time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC)
	return p
}

// TestFrenchPoster: the French poster's fixed text is French with its
// accents intact in the embedded fonts (pdftotext reads what a printer
// prints), dates and heights are French, and no English label is left.
func TestFrenchPoster(t *testing.T) {
	tool := need(t, "pdftotext", "poppler-utils")
	r := newRenderer(t)
	for _, size := range []Size{Letter, A4} {
		path := render(t, r, frenchSample(testJPEG(t, 400, 500)), size)
		text := run(t, tool, "-layout", path, "-")
		flat := strings.Join(strings.Fields(text), " ")
		for _, want := range []string{
			"PERSONNE DISPARUE", "Marie-Ève Côté-Thériault",
			"Âge", "Sexe", "Femme", "Taille", "163 cm (5 pi 4 po)", "Poids", "Corpulence", "Cheveux", "Yeux",
			"Vu pour la dernière fois", "1er décembre 2026 à 21 h 40",
			"Signes particuliers", "Vêtements portés lors de la disparition",
			"composez le 911", "RNC au 709-555-0142", "numéro de dossier 2026-004217",
			"Balayez le code", "https://missing.example.ca/fr/cases/4217",
			"Affiche créée le 1er décembre 2026", "retrouvée depuis",
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("%s: French poster lacks %q:\n%s", size, want, text)
			}
		}
		if !strings.Contains(strings.ToLower(flat), "disparue") {
			t.Errorf("%s: no « disparue »", size)
		}
		for _, english := range []string{"MISSING", "Height", "Weight", "Eyes", "Hair", "Last seen", "Distinguishing", "Clothing", "Scan the code", "Poster made", "If you have seen", "file 2026"} {
			if strings.Contains(flat, english) {
				t.Errorf("%s: French poster still says %q", size, english)
			}
		}
		// A replacement box would mean a glyph the fonts lack.
		if strings.ContainsRune(text, '\uFFFD') || strings.Contains(text, "□") {
			t.Errorf("%s: a character did not render:\n%s", size, text)
		}
	}
}

// TestFrenchPosterNoPhotoUnknown: the no-photo panel and empty fields
// are French too, and the call falls back to the local police.
func TestFrenchPosterNoPhotoUnknown(t *testing.T) {
	tool := need(t, "pdftotext", "poppler-utils")
	p := frenchSample(nil)
	p.Features, p.Clothing, p.Agency, p.Phone, p.FileNumber, p.LastSeen, p.LastSeenPlace = "", "", "", "", "", "", ""
	text := strings.Join(strings.Fields(run(t, tool, render(t, newRenderer(t), p, Letter), "-")), " ")
	for _, want := range []string{"Aucune photo disponible", "Non précisé", "composez le 911 ou communiquez avec votre service de police local."} {
		if !strings.Contains(text, want) {
			t.Errorf("lacks %q:\n%s", want, text)
		}
	}
}

// TestPosterTitleAndLang: the PDF's metadata say the language and the
// title in it (screen readers and search engines read them).
func TestPosterTitleAndLang(t *testing.T) {
	tool := need(t, "pdfinfo", "poppler-utils")
	for _, tc := range []struct {
		lang  i18n.Lang
		title string
	}{{i18n.English, "Missing: Marie-Ève Côté-Thériault"}, {i18n.French, "Personne disparue : Marie-Ève Côté-Thériault"}} {
		p := frenchSample(nil)
		p.Lang = tc.lang
		info := run(t, tool, render(t, newRenderer(t), p, Letter))
		if !strings.Contains(info, tc.title) {
			t.Errorf("%s: pdfinfo lacks title %q:\n%s", tc.lang, tc.title, info)
		}
	}
}

// TestPseudoPoster: every fixed text goes through the catalog: in the
// pseudo-locale no plain English word is left but the data's.
func TestPseudoPoster(t *testing.T) {
	tool := need(t, "pdftotext", "poppler-utils")
	p := sample(nil)
	p.Lang = i18n.Pseudo
	p.Name, p.Age, p.Sex, p.Height, p.Weight, p.Build, p.Hair, p.Eyes = "", "", "", "", "", "", "", ""
	p.Features, p.Clothing, p.LastSeen, p.LastSeenPlace, p.FileNumber, p.Phone, p.Agency, p.Site = "", "", "", "", "", "", "", ""
	p.URL = "https://x.test/c/1"
	text := run(t, tool, render(t, newRenderer(t), p, Letter), "-")
	text = strings.ReplaceAll(text, p.URL, "")
	if left := i18n.Untranslated(text); len(left) > 0 {
		t.Errorf("untranslated words on the poster: %q\n%s", left, text)
	}
}
