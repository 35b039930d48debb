package media

// Generators of extreme image shapes for the memory tests: very wide, very
// tall, 16-bit, interlaced, paletted PNGs, baseline and progressive JPEGs.
// Their pixels are flat (all zero, or DC only), so the files are tiny and
// quick to make while the decoders still allocate full-size buffers, which
// is exactly what a hostile upload does.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"testing"
)

// pngChannels is the number of samples per pixel of a PNG colour type.
var pngChannels = map[byte]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}

// adam7 is the Adam7 pass grid: x offset, y offset, x step, y step.
var adam7 = [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// pngFlat builds a w×h PNG whose every sample is zero (filter type None on
// every row), in colour type ct at bit depth depth, optionally interlaced
// and with a tRNS chunk (which makes the decoder return NRGBA for gray).
func pngFlat(t testing.TB, w, h int, ct, depth byte, interlaced, trns bool) []byte {
	t.Helper()
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	il := byte(0)
	if interlaced {
		il = 1
	}
	ihdr = append(ihdr, depth, ct, 0, 0, il)
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	if ct == 3 {
		out = append(out, pngChunk("PLTE", []byte{200, 30, 30, 0, 0, 0})...)
	}
	if trns {
		switch ct {
		case 0:
			out = append(out, pngChunk("tRNS", []byte{0, 1})...)
		case 2:
			out = append(out, pngChunk("tRNS", []byte{0, 1, 0, 1, 0, 1})...)
		case 3:
			out = append(out, pngChunk("tRNS", []byte{128})...)
		}
	}
	bits := pngChannels[ct] * int(depth)
	rowBytes := func(pw int) int { return 1 + (bits*pw+7)/8 }
	var raw int
	if !interlaced {
		raw = h * rowBytes(w)
	} else {
		for _, p := range adam7 {
			pw := (w - p[0] + p[2] - 1) / p[2]
			ph := (h - p[1] + p[3] - 1) / p[3]
			if pw > 0 && ph > 0 {
				raw += ph * rowBytes(pw)
			}
		}
	}
	var z bytes.Buffer
	zw, err := zlib.NewWriterLevel(&z, zlib.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 1<<20)
	for raw > 0 {
		n := min(raw, len(zero))
		if _, err := zw.Write(zero[:n]); err != nil {
			t.Fatal(err)
		}
		raw -= n
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out = append(out, pngChunk("IDAT", z.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// jpegFlat builds a w×h three-component JPEG in which every block has only
// a zero DC difference: one Huffman code of one bit per block (plus an EOB
// bit per block in baseline). sub420 picks 4:2:0 chroma, else 4:4:4;
// progressive writes one DC-first scan (SOF2), which is a complete,
// displayable progressive file. rgb marks the components R, G, B, which
// makes image/jpeg convert the planes to an RGBA image.
func jpegFlat(w, h int, sub420, progressive, rgb bool) []byte {
	out := []byte{0xFF, 0xD8}
	q := make([]byte, 65)
	for i := 1; i < 65; i++ {
		q[i] = 1
	}
	out = append(out, jpegSegment(0xDB, q)...)
	ids := [3]byte{1, 2, 3}
	if rgb {
		ids = [3]byte{'R', 'G', 'B'}
	}
	ySamp := byte(0x11)
	if sub420 {
		ySamp = 0x22
	}
	sof := []byte{8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3, ids[0], ySamp, 0, ids[1], 0x11, 0, ids[2], 0x11, 0}
	marker := byte(0xC0)
	if progressive {
		marker = 0xC2
	}
	out = append(out, jpegSegment(marker, sof)...)
	// One code of length 1 for symbol 0: DC "size 0", AC "EOB".
	dht := func(class byte) []byte {
		d := make([]byte, 1+16+1)
		d[0] = class << 4
		d[1] = 1
		return d
	}
	out = append(out, jpegSegment(0xC4, dht(0))...)
	se := byte(63)
	bitsPerBlock := 2 // DC + EOB
	if progressive {
		se, bitsPerBlock = 0, 1
	} else {
		out = append(out, jpegSegment(0xC4, dht(1))...)
	}
	out = append(out, jpegSegment(0xDA, []byte{3, ids[0], 0x00, ids[1], 0x00, ids[2], 0x00, 0, se, 0})...)
	mcu, blocks := 8, 3
	if sub420 {
		mcu, blocks = 16, 6
	}
	n := ((w + mcu - 1) / mcu) * ((h + mcu - 1) / mcu) * blocks * bitsPerBlock
	data := make([]byte, (n+7)/8)
	if n%8 != 0 {
		data[len(data)-1] = byte(0xFF >> (n % 8)) // pad with 1 bits
	}
	out = append(out, data...)
	return append(out, 0xFF, 0xD9)
}

// gifFlat is a w×h single-frame GIF of one colour.
func gifFlat(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White})
	var b bytes.Buffer
	if err := gif.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
