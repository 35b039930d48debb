package media

// Test images are generated here, in code: no binary fixtures.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"testing"
)

// textured returns a w×h photo-like image: smooth gradients plus seeded
// noise, so JPEG sizes and resampling costs resemble a real photograph
// rather than a flat colour.
func textured(w, h int, seed uint64) *image.RGBA {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			n := uint8(rng.IntN(48))
			i := m.PixOffset(x, y)
			m.Pix[i+0] = uint8(x*200/w) + n
			m.Pix[i+1] = uint8(y*200/h) + n/2
			m.Pix[i+2] = uint8((x+y)*100/(w+h)) + n
			m.Pix[i+3] = 0xFF
		}
	}
	return m
}

// gradient is a cheap w×h test picture (no noise), for tests that need
// large dimensions but not photographic content.
func gradient(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = uint8(x), uint8(y), uint8(x+y), 0xFF
		}
	}
	return m
}

func fill(m *image.RGBA, r image.Rectangle, c color.RGBA) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			m.SetRGBA(x, y, c)
		}
	}
}

func encJPEG(t testing.TB, m image.Image, q int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encPNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// jpegSegment builds one marker segment (marker 0xFFxx, length, payload).
func jpegSegment(marker byte, payload []byte) []byte {
	s := []byte{0xFF, marker, 0, 0}
	binary.BigEndian.PutUint16(s[2:], uint16(len(payload)+2))
	return append(s, payload...)
}

// insertAfterSOI puts segments right after the SOI marker, where cameras
// put APP1 EXIF.
func insertAfterSOI(j []byte, segs ...[]byte) []byte {
	out := append([]byte{}, j[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, j[2:]...)
}

// tiffEXIF builds a small TIFF structure (big- or little-endian) with the
// orientation tag in IFD0 and, when gps is true, a GPS IFD holding a
// latitude and longitude — what a phone writes.
func tiffEXIF(orient int, gps bool, bo byteOrder) []byte {
	var t []byte
	if bo.String() == binary.BigEndian.String() {
		t = []byte("MM")
	} else {
		t = []byte("II")
	}
	t = bo.AppendUint16(t, 42)
	t = bo.AppendUint32(t, 8) // IFD0 right after the header
	n := 1
	if gps {
		n = 2
	}
	t = bo.AppendUint16(t, uint16(n))
	// entry: tag, type SHORT(3), count 1, value (left-justified)
	t = bo.AppendUint16(t, tagOrientation)
	t = bo.AppendUint16(t, 3)
	t = bo.AppendUint32(t, 1)
	t = bo.AppendUint16(t, uint16(orient))
	t = bo.AppendUint16(t, 0)
	gpsIFDPos := 8 + 2 + 12*n + 4
	if gps {
		t = bo.AppendUint16(t, 0x8825) // GPSInfo IFD pointer, LONG
		t = bo.AppendUint16(t, 4)
		t = bo.AppendUint32(t, 1)
		t = bo.AppendUint32(t, uint32(gpsIFDPos))
	}
	t = bo.AppendUint32(t, 0) // no IFD1
	if gps {
		// GPS IFD: LatitudeRef "N", Latitude 47/1 33/1 4812/100 (fictional).
		ratPos := gpsIFDPos + 2 + 12*2 + 4
		t = bo.AppendUint16(t, 2)
		t = bo.AppendUint16(t, 1) // GPSLatitudeRef, ASCII, count 2, inline
		t = bo.AppendUint16(t, 2)
		t = bo.AppendUint32(t, 2)
		t = append(t, 'N', 0, 0, 0)
		t = bo.AppendUint16(t, 2) // GPSLatitude, RATIONAL ×3
		t = bo.AppendUint16(t, 5)
		t = bo.AppendUint32(t, 3)
		t = bo.AppendUint32(t, uint32(ratPos))
		t = bo.AppendUint32(t, 0)
		for _, v := range [][2]uint32{{47, 1}, {33, 1}, {4812, 100}} {
			t = bo.AppendUint32(t, v[0])
			t = bo.AppendUint32(t, v[1])
		}
		t = append(t, []byte("GPSMARKER")...) // searchable in output bytes
	}
	return t
}

// byteOrder is what binary.BigEndian and binary.LittleEndian both are.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

func exifAPP1(orient int, gps bool, bo byteOrder) []byte {
	return jpegSegment(0xE1, append([]byte("Exif\x00\x00"), tiffEXIF(orient, gps, bo)...))
}

// pngChunk builds a PNG chunk with a correct CRC.
func pngChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// pngHeader returns the signature and IHDR of a w×h PNG (bit depth 8).
func pngHeader(w, h uint32, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, colorType, 0, 0, 0)
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// zlibZeros compresses n zero bytes: a decompression bomb of ratio ~1000:1.
func zlibZeros(t testing.TB, n int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw, err := zlib.NewWriterLevel(&b, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	zero := make([]byte, 1<<20)
	for n > 0 {
		k := min(n, len(zero))
		if _, err := zw.Write(zero[:k]); err != nil {
			t.Fatal(err)
		}
		n -= k
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// bitWriter packs bits LSB-first, as VP8L does.
type bitWriter struct {
	b    []byte
	nbit uint
}

func (w *bitWriter) write(v uint32, n uint) {
	for i := uint(0); i < n; i++ {
		if w.nbit%8 == 0 {
			w.b = append(w.b, 0)
		}
		if v>>i&1 == 1 {
			w.b[len(w.b)-1] |= 1 << (w.nbit % 8)
		}
		w.nbit++
	}
}

// webpSolid builds a lossless (VP8L) WebP of one colour. Each of the five
// prefix codes is a "simple" code with a single symbol, so every pixel
// takes zero bits: the bitstream is a few bytes for any size — which also
// makes it a natural pixel-flood probe. exif, when non-nil, is added in an
// extended (VP8X) container.
func webpSolid(w, h int, c color.NRGBA, exif []byte) []byte {
	var bw bitWriter
	bw.write(0x2f, 8)
	bw.write(uint32(w-1), 14)
	bw.write(uint32(h-1), 14)
	bw.write(0, 1) // alpha hint
	bw.write(0, 3) // version
	bw.write(0, 1) // no transform
	bw.write(0, 1) // no colour cache
	bw.write(0, 1) // no meta prefix codes
	simple := func(sym uint8) {
		bw.write(1, 1) // simple code
		bw.write(0, 1) // one symbol
		bw.write(1, 1) // 8-bit symbol
		bw.write(uint32(sym), 8)
	}
	simple(c.G)
	simple(c.R)
	simple(c.B)
	simple(c.A)
	simple(0) // distance
	vp8l := bw.b

	chunk := func(fourcc string, data []byte) []byte {
		out := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
		out = append(out, data...)
		if len(data)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	var body []byte
	if exif != nil {
		x := []byte{0x08, 0, 0, 0} // flags: EXIF present
		x = append(x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16))
		x = append(x, byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
		body = append(body, chunk("VP8X", x)...)
		body = append(body, chunk("VP8L", vp8l)...)
		body = append(body, chunk("EXIF", exif)...)
	} else {
		body = chunk("VP8L", vp8l)
	}
	out := []byte("RIFF")
	out = binary.LittleEndian.AppendUint32(out, uint32(4+len(body)))
	out = append(out, "WEBP"...)
	return append(out, body...)
}

// jpegSegments lists the markers of a JPEG up to and including SOS.
func jpegSegments(t testing.TB, j []byte) []byte {
	t.Helper()
	if len(j) < 4 || j[0] != 0xFF || j[1] != 0xD8 {
		t.Fatalf("output is not a JPEG: % x", j[:min(len(j), 8)])
	}
	var markers []byte
	i := 2
	for i+4 <= len(j) {
		if j[i] != 0xFF {
			t.Fatalf("marker expected at %d", i)
		}
		m := j[i+1]
		markers = append(markers, m)
		if m == 0xDA {
			return markers
		}
		i += 2 + int(binary.BigEndian.Uint16(j[i+2:]))
	}
	t.Fatal("no SOS in output")
	return nil
}

func gifEncodeAll(w *bytes.Buffer, frames ...*image.Paletted) error {
	g := &gif.GIF{}
	for _, f := range frames {
		g.Image = append(g.Image, f)
		g.Delay = append(g.Delay, 10)
	}
	return gif.EncodeAll(w, g)
}
