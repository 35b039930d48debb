package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"testing"
)

// FuzzProcess feeds arbitrary bytes to the pipeline. Whatever the input, it
// must not panic, must refuse with a *Error (never an internal error), and
// anything it accepts must come out as four decodable JPEG variants.
//
//	go test -run '^$' -fuzz FuzzProcess -fuzztime 20s ./internal/media
func FuzzProcess(f *testing.F) {
	jpg := encJPEG(f, textured(24, 16, 30), 80)
	pngData := encPNG(f, textured(16, 24, 31))
	pal := image.NewPaletted(image.Rect(0, 0, 12, 12), color.Palette{color.Black, color.White, color.Transparent})
	gifData := encGIF(f, pal)
	webp := webpSolid(9, 7, color.NRGBA{10, 200, 30, 255}, nil)

	seeds := [][]byte{
		nil,
		jpg,
		insertAfterSOI(jpg, exifAPP1(6, true, binary.BigEndian)),
		insertAfterSOI(jpg, exifAPP1(3, false, binary.LittleEndian), jpegSegment(0xFE, []byte("<html>"))),
		jpg[:len(jpg)/2],
		pngData,
		append(append(append([]byte{}, pngData[:33]...), pngChunk("eXIf", tiffEXIF(8, false, binary.BigEndian))...), pngData[33:]...),
		pngData[:40],
		gifData,
		webp,
		webpSolid(5, 3, color.NRGBA{1, 2, 3, 4}, append([]byte("Exif\x00\x00"), tiffEXIF(5, false, binary.LittleEndian)...)),
		hugeJPEGHeader(60000, 60000),
		append(pngHeader(70000, 70000, 2), pngChunk("IEND", nil)...),
		hugeGIFHeader(4000, 4000),
		[]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"),
		[]byte("RIFF\x10\x00\x00\x00WEBPVP8 \x04\x00\x00\x00"),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	// Small limits keep each iteration fast; the gates are the same code.
	p := NewPipeline(Config{MaxPixels: 1 << 20, MaxFileBytes: 1 << 20}, nil)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := p.Process(context.Background(), bytes.NewReader(data))
		if err != nil {
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("internal error on input: %v", err)
			}
			if res != nil {
				t.Fatal("result returned with an error")
			}
			return
		}
		if len(res.Variants) != 4 || res.Width <= 0 || res.Height <= 0 {
			t.Fatalf("accepted with %d variants, %dx%d", len(res.Variants), res.Width, res.Height)
		}
		for _, v := range res.Variants {
			if _, err := decodeConfigJPEG(v.Data); err != nil {
				t.Fatalf("%s: output not a JPEG: %v", v.Name, err)
			}
		}
	})
}

func decodeConfigJPEG(b []byte) (image.Config, error) { return decodeConfig(FormatJPEG, b) }
