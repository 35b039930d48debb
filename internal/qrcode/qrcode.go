// Package qrcode draws QR codes as PNG images of a chosen size and error
// correction level: the staff TOTP enrolment code today, printed posters
// and sharing links next.
//
// It owns the picture only (quiet zone, whole-pixel modules, centring);
// the symbol itself — data encoding, Reed–Solomon, masking — comes from
// github.com/boombuler/barcode/qr, which has no dependencies of its own.
// It must not know what the content means: callers build the URL.
package qrcode

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

// Level is how much of the symbol may be damaged or covered and still scan.
// Higher levels make the symbol denser for the same content.
type Level int

const (
	Low      Level = iota // about 7% recoverable: screens
	Medium                // about 15%: the usual choice
	Quartile              // about 25%
	High                  // about 30%: print that may be torn, wet or written on
)

func (l Level) qr() (qr.ErrorCorrectionLevel, error) {
	switch l {
	case Low:
		return qr.L, nil
	case Medium:
		return qr.M, nil
	case Quartile:
		return qr.Q, nil
	case High:
		return qr.H, nil
	}
	return 0, fmt.Errorf("qrcode: unknown error correction level %d", int(l))
}

// QuietZone is the white margin, in modules, on each side of the symbol.
// ISO/IEC 18004 asks for 4; scanners miss codes printed nearer an edge.
const QuietZone = 4

// MaxSize bounds the picture so a caller's mistake cannot allocate
// gigabytes (a 4096-pixel square is 16 MiB at one byte per pixel).
const MaxSize = 4096

// ErrTooLong is returned when the content does not fit in the largest QR
// symbol (version 40) at the requested level.
var ErrTooLong = errors.New("qrcode: content too long for a QR code")

// Image draws content as a size×size black-on-white picture. Every module
// is the same whole number of pixels, since a module split across pixels
// blurs its edges and scans worse; the symbol and its quiet zone are centred
// and any spare pixels are white. It fails when size is too small to give
// each module at least one pixel.
func Image(content string, size int, level Level) (*image.Paletted, error) {
	ecl, err := level.qr()
	if err != nil {
		return nil, err
	}
	if size < 1 || size > MaxSize {
		return nil, fmt.Errorf("qrcode: size %d out of range 1..%d", size, MaxSize)
	}
	code, err := qr.Encode(content, ecl, qr.Auto)
	if err != nil {
		// Byte mode takes any content, so the only failure is content that
		// fits no symbol version. The library's message quotes the content
		// (for TOTP, the secret), so it is not passed on.
		return nil, fmt.Errorf("%w (%d bytes at level %s)", ErrTooLong, len(content), ecl)
	}
	b := code.Bounds()
	modules := b.Dx()
	span := modules + 2*QuietZone
	scale := size / span
	if scale < 1 {
		return nil, fmt.Errorf("qrcode: %d pixels is too small for this content: it needs at least %d", size, span)
	}
	// Index 0 (white) is the zero value, so the new image starts blank.
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	origin := (size-span*scale)/2 + QuietZone*scale
	for my := range modules {
		for mx := range modules {
			if !dark(code.At(b.Min.X+mx, b.Min.Y+my)) {
				continue
			}
			x0, y0 := origin+mx*scale, origin+my*scale
			for y := y0; y < y0+scale; y++ {
				row := img.Pix[y*img.Stride:]
				for x := x0; x < x0+scale; x++ {
					row[x] = 1
				}
			}
		}
	}
	return img, nil
}

func dark(c color.Color) bool {
	return color.GrayModel.Convert(c).(color.Gray).Y < 0x80
}

// PNG is Image encoded as a two-colour PNG (a few hundred bytes for a URL).
func PNG(content string, size int, level Level) ([]byte, error) {
	img, err := Image(content, size, level)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qrcode: %w", err)
	}
	return buf.Bytes(), nil
}
