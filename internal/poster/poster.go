package poster

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"image/png"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"lostinnl/internal/i18n"
	"lostinnl/internal/qrcode"
	"lostinnl/internal/typeset"
)

// Poster is what the poster shows. Texts are as the case page shows them
// (the web layer formats heights, weights and dates, so both agree); empty
// fields are left out.
type Poster struct {
	Name   string
	Age    string // "17"
	Sex    string // "Female"
	Height string // "170 cm (5 ft 7 in)"
	Weight string // "70 kg (154 lb)"
	Build  string
	Hair   string
	Eyes   string

	Features string // distinguishing features
	Clothing string // clothing last seen

	LastSeen      string // "November 3, 2026 at 21:30"
	LastSeenPlace string // "Water Street, St. John's"

	Agency     string // "RNC"
	Phone      string // "709-729-8000"
	FileNumber string

	URL  string // the case page's absolute URL: printed and in the QR code
	Site string // the site's address as people should type it

	// Generated is printed as the poster's date ("Poster made …").
	Generated time.Time

	// Photo is the primary photo as JPEG bytes (a media variant, baseline
	// JPEG as the media pipeline writes it), or nil for none.
	Photo []byte

	// Lang is the poster's language: every fixed text (labels, the call
	// to action, the date) comes from its catalog; the case's own texts
	// are printed as given. Zero is English.
	Lang i18n.Lang
}

// Size is the paper size.
type Size int

const (
	Letter Size = iota // 8.5 × 11 in, the default in Canada
	A4                 // 210 × 297 mm
)

// ParseSize reads the ?size= query value: "" or "letter" is Letter, "a4"
// is A4 (any letter case); anything else is an error the caller shows as
// a 400.
func ParseSize(s string) (Size, error) {
	switch strings.ToLower(s) {
	case "", "letter":
		return Letter, nil
	case "a4":
		return A4, nil
	}
	return Letter, errors.New(`poster: size must be "letter" or "a4"`)
}

func (s Size) String() string {
	if s == A4 {
		return "a4"
	}
	return "letter"
}

// points is the page's width and height in PostScript points.
func (s Size) points() (w, h float64, name string, err error) {
	switch s {
	case Letter:
		return 612, 792, "Letter", nil
	case A4:
		return 595.28, 841.89, "A4", nil
	}
	return 0, 0, "", fmt.Errorf("poster: unknown size %d", int(s))
}

// Renderer makes posters. It holds the parsed fonts, so make one at
// start-up and share it: it is safe for concurrent use.
type Renderer struct {
	fonts *typeset.Fonts
}

// New loads the fonts.
func New() (*Renderer, error) {
	f, err := typeset.Load()
	if err != nil {
		return nil, err
	}
	return &Renderer{fonts: f}, nil
}

// maxRunes bounds each text before fitting: no box on the page holds more
// than about a thousand characters even at the smallest size, and fitting
// a hostile 10 KB field would otherwise cost work for nothing.
const maxRunes = 2500

// MaxPhotoBytes refuses photos larger than any variant the media pipeline
// writes by a wide margin: the PDF embeds the bytes as they are, so an
// original upload would make a poster of many megabytes.
const MaxPhotoBytes = 8 << 20

// Render writes p as a one-page PDF of the given size.
func (r *Renderer) Render(w io.Writer, p Poster, size Size) error {
	pw, ph, sizeName, err := size.points()
	if err != nil {
		return err
	}
	if p.URL == "" {
		return errors.New("poster: the case URL is required (it is printed and in the QR code)")
	}
	if p.Generated.IsZero() {
		// The date tells a reader how old the appeal is; a poster dated
		// year 1 would be a wiring mistake, not a choice.
		return errors.New("poster: the generation date is required")
	}
	var photo *photoInfo
	if len(p.Photo) > 0 {
		if photo, err = readPhoto(p.Photo); err != nil {
			return err
		}
	}
	qr, err := qrPNG(p.URL)
	if err != nil {
		return err
	}

	pdf := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", SizeStr: sizeName})
	pdf.SetAutoPageBreak(false, 0) // one page: nothing may flow onto a second
	pdf.SetMargins(0, 0, 0)
	pdf.SetCompression(true)
	// Same case, same bytes: sorted resources and a fixed date make the
	// output reproducible, so a cached copy can be checked against a fresh one.
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(p.Generated)
	pdf.SetModificationDate(p.Generated)
	pdf.SetCreator("LostInNL", true)
	pdf.SetProducer("LostInNL", true)
	lz := i18n.For(p.Lang)
	name, _ := r.fonts.Clean(p.Name, 300)
	pdf.SetTitle(lz.TC("poster", "Missing: {name}", "name", name), true)
	pdf.SetLang(string(lz.Lang()))
	pdf.AddUTF8FontFromBytes(family, "", r.fonts.RegularTTF)
	pdf.AddUTF8FontFromBytes(family, "B", r.fonts.BoldTTF)
	pdf.AddPage()

	l := &layout{pdf: pdf, fonts: r.fonts, pageW: pw, pageH: ph, lz: lz}
	l.draw(p, photo, qr)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("poster: %w", err)
	}
	if n := pdf.PageCount(); n != 1 {
		// The layout places every block at a fixed spot, so this cannot
		// happen; it is checked so a future layout bug is an error, not a
		// two-page appeal.
		return fmt.Errorf("poster: layout made %d pages", n)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("poster: write PDF: %w", err)
	}
	return nil
}

// qrPNG draws the QR code at level High (print gets torn, wet and written
// on). 400 pixels over the 100-point square is about 290 dpi, with whole
// pixels per module; the fastest PNG compression, since qrcode.PNG's best
// compression took a third of a poster's time to save a few hundred bytes.
func qrPNG(url string) ([]byte, error) {
	img, err := qrcode.Image(url, 400, qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("poster: QR code: %w", err)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("poster: QR code: %w", err)
	}
	return buf.Bytes(), nil
}

type photoInfo struct {
	jpeg []byte
	w, h int
}

// readPhoto checks the JPEG header (not the pixels: the PDF embeds the
// compressed bytes as they are, which is why a poster costs milliseconds).
func readPhoto(b []byte) (*photoInfo, error) {
	if len(b) > MaxPhotoBytes {
		return nil, fmt.Errorf("poster: photo of %d bytes is larger than %d; pass a downscaled media variant", len(b), MaxPhotoBytes)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("poster: photo is not a JPEG: %w", err)
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return nil, fmt.Errorf("poster: photo has no pixels (%d×%d)", cfg.Width, cfg.Height)
	}
	return &photoInfo{jpeg: b, w: cfg.Width, h: cfg.Height}, nil
}
