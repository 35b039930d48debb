package poster

import (
	"bytes"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"lostinnl/internal/i18n"
	"lostinnl/internal/typeset"
)

const family = "go"

// Lengths in points (1/72 in). Every block has a fixed height; only the
// photo row takes what is left, so A4's extra height goes to the photo.
const (
	margin      = 36.0
	bandH       = 74.0 // red MISSING band
	nameH       = 58.0 // up to two lines of name
	textLabelH  = 13.0
	textBoxH    = 44.0 // features, clothing: each a label and this much text
	callH       = 58.0
	footerH     = 100.0 // QR code and site
	gap         = 8.0
	columnGap   = 16.0
	factLabelW  = 62.0
	factSize    = 12.0
	minFactSize = 8.0
)

var red = [3]int{190, 20, 40}

type layout struct {
	pdf          *fpdf.Fpdf
	fonts        *typeset.Fonts
	pageW, pageH float64
	lz           *i18n.Localizer // the poster's language
}

// measure is the width of s in the current font at size: fpdf's widths in
// thousandths of an em, the same table it draws with.
func (l *layout) measure(s string, size float64) float64 {
	return float64(l.pdf.GetStringSymbolWidth(s)) * size / 1000
}

type align int

const (
	left align = iota
	center
)

// text cleans, fits and draws s in the box (x, y, box.Width, box.Height)
// and returns the height it used.
func (l *layout) text(s, style string, x, y float64, box typeset.Box, a align) float64 {
	clean, cut := l.fonts.Clean(s, maxRunes)
	l.pdf.SetFont(family, style, box.MaxSize)
	fit := typeset.Fit(clean, box, l.measure, cut)
	if len(fit.Lines) == 0 {
		return 0
	}
	l.pdf.SetFontSize(fit.Size)
	lh := box.LineHeight(fit.Size)
	for i, line := range fit.Lines {
		lx := x
		if a == center {
			lx = x + (box.Width-l.measure(line, fit.Size))/2
		}
		// The baseline sits about 0.8 em under the line's top with the
		// Go fonts' ascent, leaving the leading below.
		l.pdf.Text(lx, y+float64(i)*lh+fit.Size*0.9, line)
	}
	return float64(len(fit.Lines)) * lh
}

func (l *layout) draw(p Poster, photo *photoInfo, qr []byte) {
	pdf := l.pdf
	x0 := margin
	cw := l.pageW - 2*margin
	y := margin

	// MISSING, white on red across the page.
	pdf.SetFillColor(red[0], red[1], red[2])
	pdf.Rect(x0, y, cw, bandH, "F")
	pdf.SetTextColor(255, 255, 255)
	// French says PERSONNE DISPARUE, twice as long as MISSING: the band
	// may take a smaller size, on one line.
	l.text(l.lz.TC("poster", "MISSING"), "B", x0, y+8, typeset.Box{Width: cw, Height: bandH - 8, MaxSize: 64, MinSize: 36, Step: 2, MaxLines: 1}, center)
	pdf.SetTextColor(0, 0, 0)
	y += bandH + gap

	l.text(p.Name, "B", x0, y, typeset.Box{Width: cw, Height: nameH, MaxSize: 28, MinSize: 12, Step: 1, Leading: 1.05, MaxLines: 2}, center)
	y += nameH + gap

	fixed := bandH + gap + nameH + gap + gap + 2*(textLabelH+textBoxH) + gap + gap + callH + gap + footerH
	rowH := l.pageH - 2*margin - fixed
	colX, photoH := l.photo(photo, x0, y, cw, rowH)
	colX += columnGap
	factsH := l.facts(p, colX, y, x0+cw-colX, rowH)
	// A landscape photo and a short description leave part of the row
	// empty: the two free texts below get that room.
	used := max(photoH, factsH)
	textH := textBoxH + (rowH-used)/2
	y += used + gap

	for _, t := range [...]struct{ label, text string }{
		{l.lz.TC("poster", "Distinguishing features"), p.Features},
		{l.lz.TC("poster", "Clothing when last seen"), p.Clothing},
	} {
		l.text(t.label, "B", x0, y, typeset.Box{Width: cw, Height: textLabelH, MaxSize: 10, MinSize: 10}, left)
		body := t.text
		if strings.TrimSpace(body) == "" {
			body = l.lz.TC("poster", "Not known")
		}
		l.text(body, "", x0, y+textLabelH, typeset.Box{Width: cw, Height: textH, MaxSize: 12, MinSize: 7, Step: 0.5, Leading: 1.15}, left)
		y += textLabelH + textH + gap
	}

	// Whom to call, framed in red.
	pdf.SetDrawColor(red[0], red[1], red[2])
	pdf.SetLineWidth(2.5)
	pdf.Rect(x0, y, cw, callH, "D")
	l.text(callText(l.lz, p), "B", x0+10, y+8, typeset.Box{Width: cw - 20, Height: callH - 14, MaxSize: 16, MinSize: 8, Step: 0.5, Leading: 1.15}, center)
	y += callH + gap

	l.footer(p, qr, x0, y, cw)
}

// photo draws the photo as large as the row allows without distortion
// (portraits fill the height, landscapes up to 60% of the width) and
// returns the x where the facts column starts and the height it used.
func (l *layout) photo(photo *photoInfo, x, y, cw, rowH float64) (float64, float64) {
	pdf := l.pdf
	if photo == nil {
		w := cw * 0.42
		pdf.SetFillColor(232, 232, 232)
		pdf.Rect(x, y, w, rowH, "F")
		pdf.SetTextColor(90, 90, 90)
		l.text(l.lz.TC("poster", "No photo available"), "", x, y+rowH/2-8, typeset.Box{Width: w, Height: 20, MaxSize: 13, MinSize: 13}, center)
		pdf.SetTextColor(0, 0, 0)
		return x + w, rowH
	}
	aspect := float64(photo.w) / float64(photo.h)
	w, h := rowH*aspect, rowH
	if maxW := cw * 0.6; w > maxW {
		w, h = maxW, maxW/aspect
	}
	opt := fpdf.ImageOptions{ImageType: "jpg"}
	pdf.RegisterImageOptionsReader("photo", opt, bytes.NewReader(photo.jpeg))
	pdf.ImageOptions("photo", x, y, w, h, false, opt, 0, "")
	return x + max(w, cw*0.3), h
}

// facts lists the description as label–value lines, then where and when
// the person was last seen in the room left; it returns the height used.
func (l *layout) facts(p Poster, x, y, w, h float64) float64 {
	top, bottom := y, y+h
	lz := l.lz
	facts := [...]struct{ label, value string }{
		{lz.T("Age"), p.Age}, {lz.T("Sex"), p.Sex}, {lz.TC("poster", "Height"), p.Height}, {lz.TC("poster", "Weight"), p.Weight},
		{lz.TC("poster", "Build"), p.Build}, {lz.TC("poster", "Hair"), p.Hair}, {lz.TC("poster", "Eyes"), p.Eyes},
	}
	labelW := factLabelW
	l.pdf.SetFont(family, "B", factSize)
	for _, f := range facts {
		// French labels are longer (Corpulence): the column widens to
		// the longest, up to a third of the facts' width.
		labelW = min(max(labelW, l.measure(f.label, factSize)+6), w/3)
	}
	valueBox := typeset.Box{Width: w - labelW, Height: factSize * 1.25, MaxSize: factSize, MinSize: minFactSize, Step: 0.5, Leading: 1.25, MaxLines: 1}
	for _, f := range facts {
		if strings.TrimSpace(f.value) == "" {
			continue
		}
		l.text(f.label, "B", x, y, typeset.Box{Width: labelW - 4, Height: valueBox.Height, MaxSize: factSize, MinSize: minFactSize, Step: 0.5, MaxLines: 1}, left)
		l.text(f.value, "", x+labelW, y, valueBox, left)
		y += valueBox.Height + 2
	}
	y += 8
	if y+14 >= bottom {
		return h
	}
	l.text(lz.T("Last seen"), "B", x, y, typeset.Box{Width: w, Height: 15, MaxSize: 13, MinSize: 13}, left)
	y += 17
	seen := strings.TrimSpace(p.LastSeen)
	if place := strings.TrimSpace(p.LastSeenPlace); place != "" {
		if seen != "" {
			seen += ", "
		}
		seen += place
	}
	if seen == "" {
		seen = lz.TC("poster", "Not known")
	}
	y += l.text(seen, "", x, y, typeset.Box{Width: w, Height: bottom - y, MaxSize: 13, MinSize: 8, Step: 0.5, Leading: 1.2}, left)
	return y - top
}

// callText is the sentence that tells a reader what to do: the
// emergency number first, then whom to call, in the poster's language.
func callText(lz *i18n.Localizer, p Poster) string {
	agency, phone, file := strings.TrimSpace(p.Agency), strings.TrimSpace(p.Phone), strings.TrimSpace(p.FileNumber)
	var s string
	switch {
	case agency != "" && phone != "":
		s = lz.T("If you have seen this person call 911 or {agency} at {phone}", "agency", agency, "phone", phone)
	case agency != "":
		s = lz.T("If you have seen this person call 911 or the {agency}", "agency", agency)
	case phone != "":
		s = lz.T("If you have seen this person call 911 or police at {phone}", "phone", phone)
	default:
		s = lz.T("If you have seen this person call 911 or your local police")
	}
	if file != "" {
		return lz.TC("poster", "{call}, file {file}.", "call", s, "file", file)
	}
	return lz.TC("poster", "{call}.", "call", s)
}

// footer: the QR code on the left, the address and date beside it.
func (l *layout) footer(p Poster, qr []byte, x, y, cw float64) {
	pdf := l.pdf
	opt := fpdf.ImageOptions{ImageType: "png"}
	pdf.RegisterImageOptionsReader("qr", opt, bytes.NewReader(qr))
	pdf.ImageOptions("qr", x, y, footerH, footerH, false, opt, 0, "")
	tx := x + footerH + 14
	tw := cw - footerH - 14
	ty := y + 6
	ty += l.text(l.lz.T("Scan the code or visit the page for the latest information:"), "", tx, ty, typeset.Box{Width: tw, Height: 14, MaxSize: 11, MinSize: 7, Step: 0.5, MaxLines: 1}, left)
	ty += l.text(p.URL, "B", tx, ty, typeset.Box{Width: tw, Height: 30, MaxSize: 12, MinSize: 7, Step: 0.5, Leading: 1.15}, left)
	if site := strings.TrimSpace(p.Site); site != "" {
		ty += l.text(site, "", tx, ty+2, typeset.Box{Width: tw, Height: 16, MaxSize: 12, MinSize: 7, Step: 0.5, MaxLines: 1}, left) + 2
	}
	pdf.SetTextColor(80, 80, 80)
	l.text(l.lz.T("Poster made {date}. This person may have been found since: please check the page before sharing.", "date", l.lz.Date(p.Generated)), "",
		tx, max(ty+2, y+footerH-24), typeset.Box{Width: tw, Height: 24, MaxSize: 9, MinSize: 7, Step: 0.5, Leading: 1.2, MaxLines: 2}, left)
	pdf.SetTextColor(0, 0, 0)
}
