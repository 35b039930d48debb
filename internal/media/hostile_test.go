package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// allocated returns the bytes allocated while f runs. Tests using it must
// not run in parallel with others.
func allocated(f func()) uint64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func wantReason(t *testing.T, name string, err error, reason string) {
	t.Helper()
	var me *Error
	if !errors.As(err, &me) {
		t.Fatalf("%s: want a *media.Error with reason %q, got %v", name, reason, err)
	}
	if me.Reason != reason {
		t.Fatalf("%s: reason %q (%v), want %q", name, me.Reason, err, reason)
	}
	if me.Message() == "" || strings.Contains(me.Message(), "media:") {
		t.Fatalf("%s: message %q is not fit for a person", name, me.Message())
	}
}

func TestHostileInputs(t *testing.T) {
	smallJPEG := encJPEG(t, textured(64, 48, 3), 90)
	smallPNG := encPNG(t, textured(64, 48, 4))
	pal := image.NewPaletted(image.Rect(0, 0, 64, 48), color.Palette{color.Black, color.White})
	smallGIF := encGIF(t, pal)
	smallWebP := webpSolid(64, 48, color.NRGBA{1, 2, 3, 255}, nil)

	cases := []struct {
		name   string
		data   []byte
		reason string // "" means accepted
	}{
		{"zero bytes", nil, ReasonCorrupt},
		{"1x1 jpeg", encJPEG(t, textured(1, 1, 5), 90), ""},
		{"1x1 png", encPNG(t, textured(1, 1, 6)), ""},
		{"1x1 gif", encGIF(t, image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.White})), ""},
		{"1x1 webp", webpSolid(1, 1, color.NRGBA{9, 9, 9, 255}, nil), ""},
		{"html named .jpg", []byte("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"), ReasonType},
		{"php named .jpg", []byte("<?php system($_GET['c']); ?>"), ReasonType},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>`), ReasonType},
		{"svg with xml prolog", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>`), ReasonType},
		{"bmp", append([]byte("BM"), make([]byte, 60)...), ReasonType},
		{"pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), ReasonType},
		{"two bytes of jpeg magic", []byte{0xFF, 0xD8}, ReasonType},
		{"jpeg magic then garbage", append([]byte{0xFF, 0xD8, 0xFF}, bytes.Repeat([]byte{0x42}, 200)...), ReasonCorrupt},
		{"jpeg header only", smallJPEG[:200], ReasonCorrupt},
		{"jpeg truncated mid-scan", smallJPEG[:len(smallJPEG)/2], ReasonCorrupt},
		{"jpeg missing last bytes", smallJPEG[:len(smallJPEG)-40], ReasonCorrupt},
		{"png truncated", smallPNG[:len(smallPNG)/2], ReasonCorrupt},
		{"png signature only", smallPNG[:8], ReasonCorrupt},
		{"png bad crc", corruptPNGCRC(smallPNG), ReasonCorrupt},
		{"gif truncated", smallGIF[:len(smallGIF)/2], ReasonCorrupt},
		{"webp truncated", smallWebP[:20], ReasonCorrupt},
		{"riff that is not webp", append([]byte("RIFF\x04\x00\x00\x00WAVE"), make([]byte, 16)...), ReasonType},
		{"zero width png", pngHeader(0, 10, 2), ReasonCorrupt},
		{"huge jpeg header", hugeJPEGHeader(65000, 65000), ReasonPixels},
		{"huge png header", append(pngHeader(100000, 100000, 6), pngChunk("IEND", nil)...), ReasonPixels},
		{"huge gif header", hugeGIFHeader(65535, 65535), ReasonPixels},
		{"huge webp header", webpSolid(16384, 16384, color.NRGBA{}, nil), ReasonPixels},
		{"just over 40 MP", append(pngHeader(8000, 5001, 0), pngChunk("IEND", nil)...), ReasonPixels},
		{"16-bit png over the memory budget", append(pngHeader16(6000, 6000, 6), pngChunk("IEND", nil)...), ReasonPixels},
	}
	p := newTestPipeline()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := p.Process(context.Background(), bytes.NewReader(c.data))
			if c.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if len(res.Variants) != 4 {
					t.Fatalf("%d variants", len(res.Variants))
				}
				return
			}
			if res != nil {
				t.Errorf("result with an error")
			}
			wantReason(t, c.name, err, c.reason)
		})
	}
}

// TestDecodeCostGate: the same 40 MP header passes the gate as a baseline
// JPEG (60 MB to decode) but not as a progressive one (300 MB: the decoder
// keeps every coefficient as an int32), and a 16-bit PNG counts its 8 bytes
// per pixel.
func TestDecodeCostGate(t *testing.T) {
	p := newTestPipeline()
	_, err := p.Process(context.Background(), bytes.NewReader(jpegHeaderSOF(0xC0, 8000, 5000)))
	wantReason(t, "baseline 40 MP header (then no data)", err, ReasonCorrupt)
	_, err = p.Process(context.Background(), bytes.NewReader(jpegHeaderSOF(0xC2, 8000, 5000)))
	wantReason(t, "progressive 40 MP", err, ReasonPixels)
	_, err = p.Process(context.Background(), bytes.NewReader(jpegHeaderSOF(0xC2, 4000, 3000)))
	wantReason(t, "progressive 12 MP header (then no data)", err, ReasonCorrupt)

	for _, c := range []struct {
		name   string
		format string
		data   []byte
		w, h   int
		model  color.Model
		want   int64
	}{
		{"baseline 4:2:0", FormatJPEG, jpegHeaderSOF(0xC0, 4000, 3000), 4000, 3000, color.YCbCrModel, 18_048_000}, // whole 16×16 MCUs
		{"progressive 4:2:0", FormatJPEG, jpegHeaderSOF(0xC2, 4000, 3000), 4000, 3000, color.YCbCrModel, 90_240_000},
		{"jpeg rgb 4:4:4", FormatJPEG, jpegFlat(100, 100, false, false, true), 100, 100, color.RGBAModel, 13*13*3*64 + 40_000},
		{"jpeg without readable SOF", FormatJPEG, nil, 100, 100, color.YCbCrModel, 190_000},
		{"png 8-bit rgba", FormatPNG, pngFlat(t, 100, 100, 6, 8, false, false), 100, 100, color.NRGBAModel, 40_000 + 2*401},
		{"png 16-bit rgba", FormatPNG, pngFlat(t, 100, 100, 6, 16, false, false), 100, 100, color.NRGBA64Model, 80_000 + 2*801},
		{"png paletted", FormatPNG, pngFlat(t, 100, 100, 3, 8, false, false), 100, 100, color.Palette{}, 10_000 + 2*101},
		{"png gray", FormatPNG, pngFlat(t, 100, 100, 0, 8, false, false), 100, 100, color.GrayModel, 10_000 + 2*101},
		{"png gray with tRNS (decoded as NRGBA)", FormatPNG, pngFlat(t, 100, 100, 0, 8, false, true), 100, 100, color.GrayModel, 40_000 + 2*101},
		{"png interlaced rgba", FormatPNG, pngFlat(t, 100, 100, 6, 8, true, false), 100, 100, color.NRGBAModel, 2*40_000 + 6*401},
		{"png without readable IHDR", FormatPNG, nil, 100, 100, color.NRGBAModel, 160_000 + 2*801},
		{"gif", FormatGIF, nil, 100, 100, color.Palette{}, 10_000},
		{"webp", FormatWebP, nil, 100, 100, color.NRGBAModel, 80_000},
	} {
		if got := decodeCost(c.format, image.Config{Width: c.w, Height: c.h, ColorModel: c.model}, c.data); got != c.want {
			t.Errorf("%s: cost %d, want %d", c.name, got, c.want)
		}
	}
}

func TestEmptyFileMessage(t *testing.T) {
	_, err := newTestPipeline().Process(context.Background(), bytes.NewReader(nil))
	var me *Error
	if !errors.As(err, &me) || me.Message() != "the file is empty" {
		t.Fatalf("got %v", err)
	}
}

// TestPixelFloodNoAllocation: a 100000×100000 claim costs only the read of
// the tiny file itself, never a pixel buffer (which would be 40 GB).
func TestPixelFloodNoAllocation(t *testing.T) {
	p := newTestPipeline()
	for name, data := range map[string][]byte{
		"png":  append(pngHeader(100000, 100000, 6), pngChunk("IEND", nil)...),
		"jpeg": hugeJPEGHeader(65000, 65000),
		"gif":  hugeGIFHeader(65535, 65535),
		"webp": webpSolid(16384, 16384, color.NRGBA{}, nil),
	} {
		var err error
		n := allocated(func() { _, err = p.Process(context.Background(), bytes.NewReader(data)) })
		if !errors.Is(err, ErrTooManyPixels) {
			t.Fatalf("%s: %v", name, err)
		}
		if n > 256<<10 {
			t.Errorf("%s: refusing a pixel flood allocated %d bytes", name, n)
		}
	}
}

// TestPNGZlibBomb: 50 MB of zeros compress to ~50 KB. With honest small
// dimensions the decoder stops at the declared image size ("too much pixel
// data"); with dimensions large enough to hold it, the pixel gate refuses
// it. Either way memory stays bounded.
func TestPNGZlibBomb(t *testing.T) {
	const bomb = 50 << 20
	idat := zlibZeros(t, bomb)
	if len(idat) > 1<<20 {
		t.Fatalf("bomb compressed to %d bytes", len(idat))
	}
	small := append(pngHeader(1000, 1000, 0), pngChunk("IDAT", idat)...)
	small = append(small, pngChunk("IEND", nil)...)
	big := append(pngHeader(10000, 5000, 0), pngChunk("IDAT", idat)...)
	big = append(big, pngChunk("IEND", nil)...)

	p := newTestPipeline()
	var err error
	n := allocated(func() { _, err = p.Process(context.Background(), bytes.NewReader(small)) })
	wantReason(t, "bomb with small dimensions", err, ReasonCorrupt)
	if n > 16<<20 {
		t.Errorf("bomb with small dimensions allocated %d MB", n>>20)
	}
	n = allocated(func() { _, err = p.Process(context.Background(), bytes.NewReader(big)) })
	wantReason(t, "bomb with large dimensions", err, ReasonPixels)
	if n > 4<<20 {
		t.Errorf("bomb with large dimensions allocated %d MB", n>>20)
	}
}

// TestPolyglot: a file that is a valid JPEG and also carries HTML (in a
// comment and after the end-of-image marker) is accepted as the image it
// is, and nothing of the HTML reaches the output.
func TestPolyglot(t *testing.T) {
	html := []byte("<html><body><script>alert(document.cookie)</script></body></html>")
	file := insertAfterSOI(encJPEG(t, textured(120, 80, 7), 90), jpegSegment(0xFE, html))
	file = append(file, html...)
	res, err := newTestPipeline().Process(context.Background(), bytes.NewReader(file))
	if err != nil {
		t.Fatalf("polyglot refused: %v", err)
	}
	for _, v := range res.Variants {
		decodeVariant(t, v)
		for _, s := range []string{"<html", "<script", "alert("} {
			if bytes.Contains(bytes.ToLower(v.Data), []byte(s)) {
				t.Errorf("%s: output contains %q", v.Name, s)
			}
		}
	}
}

func TestSizeLimit(t *testing.T) {
	p := newTestPipeline()
	// One byte over the default limit, with a real JPEG start: refused by
	// size before any decoding.
	over := make([]byte, DefaultMaxFileBytes+1)
	copy(over, encJPEG(t, textured(8, 8, 8), 90))
	_, err := p.Process(context.Background(), bytes.NewReader(over))
	wantReason(t, "over limit", err, ReasonSize)
	var me *Error
	errors.As(err, &me)
	if me.Message() != "larger than 10 MB" {
		t.Errorf("message %q", me.Message())
	}

	// Exactly at a custom limit is fine; one byte more is not.
	file := encJPEG(t, textured(16, 16, 9), 90)
	exact := NewPipeline(Config{MaxFileBytes: int64(len(file))}, nil)
	if _, err := exact.Process(context.Background(), bytes.NewReader(file)); err != nil {
		t.Errorf("file of exactly the limit: %v", err)
	}
	under := NewPipeline(Config{MaxFileBytes: int64(len(file) - 1)}, nil)
	_, err = under.Process(context.Background(), bytes.NewReader(file))
	wantReason(t, "one byte over", err, ReasonSize)

	// The web layer's http.MaxBytesReader tripping mid-read is a size error too.
	rec := httptest.NewRecorder()
	body := http.MaxBytesReader(rec, io.NopCloser(bytes.NewReader(file)), 100)
	_, err = p.Process(context.Background(), body)
	wantReason(t, "MaxBytesReader", err, ReasonSize)
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestBrokenUpload(t *testing.T) {
	_, err := newTestPipeline().Process(context.Background(), failingReader{})
	wantReason(t, "reader error", err, ReasonCanceled)
}

// TestSemaphoreBoundsDecodes: with Concurrency 2, never more than two
// decodes run at once, however many uploads arrive.
func TestSemaphoreBoundsDecodes(t *testing.T) {
	p := NewPipeline(Config{Concurrency: 2}, nil)
	var active, peak atomic.Int32
	entered := make(chan struct{}, 16)
	release := make(chan struct{})
	p.testHookDecoding = func(context.Context) {
		n := active.Add(1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		entered <- struct{}{}
		<-release
		active.Add(-1)
	}
	file := encJPEG(t, textured(32, 32, 10), 90)
	const uploads = 8
	var wg sync.WaitGroup
	errs := make(chan error, uploads)
	for range uploads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := p.Process(context.Background(), bytes.NewReader(file))
			errs <- err
		}()
	}
	<-entered
	<-entered
	// Both slots are now held and blocked in the hook: nobody else can have
	// a slot, whatever the scheduler does.
	if got := len(p.slots); got != 2 {
		t.Fatalf("%d slots held, want 2", got)
	}
	close(release)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if got := peak.Load(); got != 2 {
		t.Errorf("peak concurrent decodes %d, want 2", got)
	}
}

func TestBusyAndCanceled(t *testing.T) {
	file := encJPEG(t, textured(32, 32, 11), 90)
	var got []Outcome
	var mu sync.Mutex
	p := NewPipeline(Config{Concurrency: 1, QueueTimeout: 20 * time.Millisecond}, func(o Outcome) {
		mu.Lock()
		got = append(got, o)
		mu.Unlock()
	})
	hold := make(chan struct{})
	entered := make(chan struct{})
	p.testHookDecoding = func(context.Context) { entered <- struct{}{}; <-hold }
	done := make(chan error)
	go func() {
		_, err := p.Process(context.Background(), bytes.NewReader(file))
		done <- err
	}()
	<-entered
	p.testHookDecoding = nil // (only the holder runs the hook; it already did)

	_, err := p.Process(context.Background(), bytes.NewReader(file))
	wantReason(t, "no slot within the queue timeout", err, ReasonBusy)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = p.Process(ctx, bytes.NewReader(file))
	wantReason(t, "caller gone while queued", err, ReasonCanceled)

	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	results := map[string]int{}
	for _, o := range got {
		results[o.Result]++
		if o.Format != FormatJPEG {
			t.Errorf("outcome format %q", o.Format)
		}
	}
	if results["ok"] != 1 || results[ReasonBusy] != 1 || results[ReasonCanceled] != 1 {
		t.Errorf("observer saw %v", results)
	}
}

// TestMemoryBudget: a decode waits until its estimated cost fits in the
// budget, even when a CPU slot is free.
func TestMemoryBudget(t *testing.T) {
	file := encJPEG(t, textured(64, 64, 13), 90)
	cfg := image.Config{Width: 64, Height: 64}
	cost := processCost(FormatJPEG, cfg, file)
	p := NewPipeline(Config{Concurrency: 4, MaxDecodeMemory: cost + cost/2, QueueTimeout: 20 * time.Millisecond}, nil)
	hold := make(chan struct{})
	entered := make(chan struct{})
	p.testHookDecoding = func(context.Context) { entered <- struct{}{}; <-hold }
	done := make(chan error)
	go func() {
		_, err := p.Process(context.Background(), bytes.NewReader(file))
		done <- err
	}()
	<-entered
	_, err := p.Process(context.Background(), bytes.NewReader(file))
	wantReason(t, "second decode does not fit the budget", err, ReasonBusy)
	if len(p.slots) != 1 {
		t.Errorf("the waiting decode kept its slot: %d held", len(p.slots))
	}
	close(hold)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	p.testHookDecoding = nil
	if _, err := p.Process(context.Background(), bytes.NewReader(file)); err != nil {
		t.Errorf("after release: %v", err)
	}

	small := NewPipeline(Config{MaxDecodeMemory: cost - 1}, nil)
	_, err = small.Process(context.Background(), bytes.NewReader(file))
	wantReason(t, "cost over the whole budget", err, ReasonPixels)
}

func TestDecodeDeadline(t *testing.T) {
	p := NewPipeline(Config{DecodeTimeout: time.Millisecond}, nil)
	// Wait in the slot until the decode deadline has passed: the decode
	// must then stop with a timeout, not run on.
	p.testHookDecoding = func(ctx context.Context) { <-ctx.Done() }
	_, err := p.Process(context.Background(), bytes.NewReader(encJPEG(t, textured(64, 64, 12), 90)))
	wantReason(t, "deadline", err, ReasonTimeout)
}

func TestGIFWithoutFrames(t *testing.T) {
	// A valid GIF header and screen descriptor, then the trailer: the header
	// passes every gate, the decode finds no frame.
	_, err := newTestPipeline().Process(context.Background(), bytes.NewReader(hugeGIFHeader(10, 10)))
	wantReason(t, "gif without frames", err, ReasonCorrupt)
}

// hugeJPEGHeader is a JPEG of a few dozen bytes whose baseline SOF claims
// w×h.
func hugeJPEGHeader(w, h uint16) []byte { return jpegHeaderSOF(0xC0, w, h) }

// jpegHeaderSOF is a headers-only JPEG with the given start-of-frame marker
// (0xC0 baseline, 0xC2 progressive) claiming w×h, 4:2:0.
func jpegHeaderSOF(sofMarker byte, w, h uint16) []byte {
	b := []byte{0xFF, 0xD8}
	sof := []byte{8, 0, 0, 0, 0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	binary.BigEndian.PutUint16(sof[1:], h)
	binary.BigEndian.PutUint16(sof[3:], w)
	b = append(b, jpegSegment(sofMarker, sof)...)
	// A start of scan (without tables or data): image/jpeg only reports the
	// size of a non-JFIF file once it reaches SOS.
	b = append(b, jpegSegment(0xDA, []byte{3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0})...)
	return append(b, 0xFF, 0xD9)
}

// hugeGIFHeader is a GIF header and logical screen descriptor claiming w×h.
func hugeGIFHeader(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, 0x3B)
}

func pngHeader16(w, h uint32, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 16, colorType, 0, 0, 0)
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// corruptPNGCRC flips a bit in the IHDR CRC.
func corruptPNGCRC(p []byte) []byte {
	c := append([]byte{}, p...)
	c[29] ^= 0x01
	return c
}
