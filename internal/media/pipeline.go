package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"
)

// Defaults for Config fields left at zero.
const (
	DefaultMaxFileBytes  = 10 << 20
	DefaultMaxPixels     = 40_000_000
	DefaultDecodeMemory  = 256 << 20
	DefaultDecodeTimeout = 20 * time.Second
	DefaultQueueTimeout  = 30 * time.Second
	// DefaultJPEGQuality: see docs/media.md for the measurements behind it.
	DefaultJPEGQuality = 82
)

// Config bounds what one upload may cost. Zero values take the defaults.
type Config struct {
	// MaxFileBytes is the largest accepted file (default 10 MiB). The web
	// layer should also cap the whole request with http.MaxBytesReader.
	MaxFileBytes int64
	// MaxPixels caps width×height read from the header before any pixel is
	// decoded (default 40 million).
	MaxPixels int
	// MaxDecodeMemory is the memory budget shared by all running decodes
	// (default 256 MiB). Each upload's cost is estimated from its header
	// (a progressive JPEG or 16-bit PNG costs far more per pixel than a
	// baseline JPEG); a decode starts only when its cost fits in what is
	// left, and a file whose cost alone exceeds the budget is refused.
	MaxDecodeMemory int64
	// Concurrency is the number of decodes that may run at once (default
	// runtime.NumCPU()). Decoding is CPU- and memory-bound, so more than
	// one per core only raises peak memory.
	Concurrency int
	// QueueTimeout is how long Process waits for a decode slot and memory
	// before giving up with ErrBusy (default 30 s).
	QueueTimeout time.Duration
	// DecodeTimeout bounds decoding plus producing all variants, measured
	// from when the slot is acquired (default 20 s).
	DecodeTimeout time.Duration
	// JPEGQuality of the variants, 1–100 (default 82).
	JPEGQuality int
}

func (c Config) withDefaults() Config {
	if c.MaxFileBytes <= 0 {
		c.MaxFileBytes = DefaultMaxFileBytes
	}
	if c.MaxPixels <= 0 {
		c.MaxPixels = DefaultMaxPixels
	}
	if c.MaxDecodeMemory <= 0 {
		c.MaxDecodeMemory = DefaultDecodeMemory
	}
	if c.Concurrency <= 0 {
		c.Concurrency = runtime.NumCPU()
	}
	if c.QueueTimeout <= 0 {
		c.QueueTimeout = DefaultQueueTimeout
	}
	if c.DecodeTimeout <= 0 {
		c.DecodeTimeout = DefaultDecodeTimeout
	}
	if c.JPEGQuality <= 0 || c.JPEGQuality > 100 {
		c.JPEGQuality = DefaultJPEGQuality
	}
	return c
}

// Outcome describes one Process call, for metrics.
type Outcome struct {
	Result string        // "ok", one of the Reason* constants, or "error" (internal failure)
	Format string        // source format when it was recognised, else ""
	Wait   time.Duration // time spent waiting for a decode slot
	Total  time.Duration // wall time of the whole call
}

// Observer receives one Outcome per Process call. It runs on the caller's
// goroutine and must be quick (e.g. increment Prometheus metrics).
type Observer func(Outcome)

// Pipeline validates, decodes and re-encodes uploaded photos. It is safe for
// concurrent use; make one per process and share it, so its decode limit
// holds across all requests.
type Pipeline struct {
	cfg     Config
	observe Observer
	slots   chan struct{}       // one token per running decode: bounds CPU
	mem     *semaphore.Weighted // estimated bytes of running decodes: bounds memory

	// testHookDecoding, when set, runs while a decode slot is held, with the
	// decode deadline's context. Tests use it to observe and hold
	// concurrency and to reach the deadline; nil in production.
	testHookDecoding func(ctx context.Context)
}

// NewPipeline returns a pipeline with cfg's limits (zero fields take the
// defaults). observe may be nil.
func NewPipeline(cfg Config, observe Observer) *Pipeline {
	cfg = cfg.withDefaults()
	return &Pipeline{
		cfg:     cfg,
		observe: observe,
		slots:   make(chan struct{}, cfg.Concurrency),
		mem:     semaphore.NewWeighted(cfg.MaxDecodeMemory),
	}
}

// Config returns the effective configuration, defaults filled in.
func (p *Pipeline) Config() Config { return p.cfg }

// Variant is one re-encoded rendition of a photo.
type Variant struct {
	Name        string // one of the Variant* constants
	Width       int
	Height      int
	ContentType string // always "image/jpeg"
	Data        []byte
}

// Processed is a photo ready to store: upright, stripped of all metadata,
// in every variant.
type Processed struct {
	Format   string // source format: FormatJPEG, FormatPNG, FormatGIF or FormatWebP
	Width    int    // upright size of the original upload
	Height   int
	Variants []Variant // one per VariantNames(), in that order
}

// Variant returns the named variant.
func (p *Processed) Variant(name string) (Variant, bool) {
	for _, v := range p.Variants {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Process reads one uploaded file from r and returns its variants. Refusals
// are *Error values (see Reason and Message); any other error is an internal
// failure. It reads at most MaxFileBytes+1 bytes from r.
//
// The order of checks is chosen so that a hostile file costs as little as
// possible: size while reading, the format from the magic bytes, then the
// dimensions from the header, and only then — holding a decode slot and
// against a deadline — the pixels.
func (p *Pipeline) Process(ctx context.Context, r io.Reader) (_ *Processed, err error) {
	start := time.Now()
	out := Outcome{}
	defer func() {
		if p.observe != nil {
			out.Result = ReasonOf(err)
			out.Total = time.Since(start)
			p.observe(out)
		}
	}()

	data, err := p.readAll(r)
	if err != nil {
		return nil, err
	}
	format, ok := sniff(data)
	if !ok {
		if len(data) == 0 {
			return nil, newError(ErrCorrupt, "the file is empty", nil)
		}
		return nil, ErrUnsupportedType
	}
	out.Format = format

	cfg, err := decodeConfig(format, data)
	if err != nil {
		return nil, newError(ErrCorrupt, "", fmt.Errorf("read %s header: %w", format, err))
	}
	cost, err := p.checkDimensions(format, cfg, data)
	if err != nil {
		return nil, err
	}
	o := orientation(format, data)

	waitStart := time.Now()
	release, err := p.acquire(ctx, cost)
	out.Wait = time.Since(waitStart)
	if err != nil {
		return nil, err
	}
	defer release()

	dctx, cancel := context.WithTimeout(ctx, p.cfg.DecodeTimeout)
	defer cancel()
	if p.testHookDecoding != nil {
		p.testHookDecoding(dctx)
	}
	img, err := decode(format, &ctxReader{ctx: dctx, r: bytes.NewReader(data)})
	if err != nil {
		return nil, p.stageError(ctx, dctx, fmt.Errorf("decode %s: %w", format, err))
	}
	// The decoder may return an image smaller than the header promised
	// (GIF frames); never trust one over the other blindly.
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || b.Dx()*b.Dy() > p.cfg.MaxPixels {
		return nil, newError(ErrCorrupt, "", fmt.Errorf("decoded %s has bounds %v", format, b))
	}

	res, err := p.variants(dctx, img, o)
	if err != nil {
		return nil, p.stageError(ctx, dctx, err)
	}
	res.Format = format
	return res, nil
}

// readAll reads the whole upload, refusing it as soon as it exceeds the limit.
func (p *Pipeline) readAll(r io.Reader) ([]byte, error) {
	// Size the buffer from the reader when it knows its length (multipart
	// files, bytes.Reader): growing by doubling would make ~2× the file in
	// garbage per upload, which shows directly in peak heap under load.
	capacity := int64(64 << 10)
	if n, ok := knownSize(r); ok && n >= 0 {
		capacity = min(n, p.cfg.MaxFileBytes) + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, capacity))
	n, err := buf.ReadFrom(io.LimitReader(r, p.cfg.MaxFileBytes+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, p.sizeError()
		}
		return nil, newError(ErrCanceled, "", fmt.Errorf("read upload: %w", err))
	}
	if n > p.cfg.MaxFileBytes {
		return nil, p.sizeError()
	}
	return buf.Bytes(), nil
}

// knownSize returns the remaining length of readers that can tell it.
func knownSize(r io.Reader) (int64, bool) {
	switch v := r.(type) {
	case interface{ Len() int }: // bytes.Reader, bytes.Buffer, strings.Reader
		return int64(v.Len()), true
	case interface{ Size() int64 }: // io.SectionReader (in-memory multipart files)
		return v.Size(), true
	case interface{ Stat() (os.FileInfo, error) }: // *os.File (multipart files on disk)
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size(), true
		}
	}
	return 0, false
}

func (p *Pipeline) sizeError() error {
	return newError(ErrTooLarge, "larger than "+formatBytes(p.cfg.MaxFileBytes), nil)
}

// formatBytes renders a limit for people: "10 MB", "512 KB".
func formatBytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkDimensions is the pixel-flood gate: it runs on the header alone, so a
// 100000×100000 claim in a tiny file is refused before any allocation. It
// returns the estimated memory cost of processing the file, and refuses
// files whose cost alone exceeds the whole decode budget.
func (p *Pipeline) checkDimensions(format string, c image.Config, data []byte) (int64, error) {
	if c.Width <= 0 || c.Height <= 0 {
		return 0, newError(ErrCorrupt, "", fmt.Errorf("header claims %dx%d", c.Width, c.Height))
	}
	px := int64(c.Width) * int64(c.Height)
	if px > int64(p.cfg.MaxPixels) {
		return 0, newError(ErrTooManyPixels, fmt.Sprintf("image dimensions are too large (%d×%d; the limit is %s)",
			c.Width, c.Height, megapixels(p.cfg.MaxPixels)), nil)
	}
	cost := processCost(format, c, data)
	if cost > p.cfg.MaxDecodeMemory {
		return 0, newError(ErrTooManyPixels, fmt.Sprintf("image is too large to process in this format (%d×%d); save it as an ordinary (baseline) JPEG",
			c.Width, c.Height), fmt.Errorf("processing would need ~%d MB, budget %d MB", cost>>20, p.cfg.MaxDecodeMemory>>20))
	}
	return cost, nil
}

// processCost is what one Process call may allocate for this file, from
// its header, before any pixel is decoded: the upload's bytes, the
// decoder's buffers (decodeCost), the resampler's row buffers, and the
// variants stage. It is an upper bound on the bytes allocated, not only on
// those live at the peak, so it holds even if the GC does not run during
// the call (measured per shape in TestProcessCostBoundsAllocation); the
// decode budget is reserved by this amount.
func processCost(format string, c image.Config, data []byte) int64 {
	return int64(len(data)) + decodeCost(format, c, data) + resampleCost(c.Width) + variantsCost
}

// resampleCost: the box pre-shrink reads and sums whole source rows as
// three float32 each (24 bytes per source column), and the filter reads
// rows of the shrunk source (at most 12 more). Negligible for photos, but
// a 40 MP image one pixel high is a 40-million-pixel row.
func resampleCost(width int) int64 { return 36 * int64(width) }

// variantsCost is the memory of the variants stage beside the decoded
// image: the 1600 px RGBA image (at most 1600×1600×4 = 10 MB), its oriented
// copy, the smaller variants, and the four JPEG encoders' buffers; measured
// at most 30 MB for a square, rotated, photo-like image of 1600 px and more.
const variantsCost = 40 << 20

func megapixels(n int) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%d megapixels", n/1_000_000)
	}
	return fmt.Sprintf("%.1f megapixels", float64(n)/1e6)
}

// decodeCost is what the standard decoders allocate for an image, from its
// header (see docs/media.md, "Memory budget"). Pixel count alone is not
// enough: the same 40 MP costs 40 MB as a paletted PNG, 60 MB as a baseline
// 4:2:0 JPEG, 160 MB as an 8-bit RGBA PNG, 300 MB as a progressive JPEG
// and 320 MB as a 16-bit PNG.
func decodeCost(format string, c image.Config, data []byte) int64 {
	px := int64(c.Width) * int64(c.Height)
	switch format {
	case FormatJPEG:
		f, ok := jpegFrame(data)
		if !ok {
			return 5*3*px + 4*px // unknown layout: assume the worst (4:4:4 progressive, RGB)
		}
		// image/jpeg allocates its planes (and coefficients) in whole
		// MCUs: one byte per sample of every 8×8 block.
		planes := 64 * f.blocks(c.Width, c.Height)
		cost := planes
		if f.progressive {
			// Every coefficient is kept as an int32 until the last scan:
			// 256 bytes per block, 4 per sample.
			cost += 4 * planes
		}
		if f.components == 4 || f.components == 3 && f.rgb {
			// CMYK/YCCK and RGB JPEGs are converted into a new 4-byte
			// CMYK or RGBA image after decoding.
			cost += 4 * px
		}
		return cost
	case FormatPNG:
		ih, ok := pngIHDR(data)
		if !ok {
			return 2*8*px + 2*(1+8*int64(c.Width)) // unreadable: 16-bit interlaced
		}
		img := ih.bytesPerPixel() * px
		row := 1 + (ih.bitsPerPixel()*int64(c.Width)+7)/8 // filter byte + samples
		if ih.interlaced {
			// Each of the seven Adam7 passes is decoded into an image of
			// its own (together as large as the result), then merged into
			// the full-size one; each pass has its own two row buffers.
			return 2*img + 6*row
		}
		return img + 2*row // the image, the current and the previous row
	case FormatGIF:
		return px // paletted, one byte per pixel
	case FormatWebP:
		return 8 * px // lossless: ARGB working buffer + NRGBA result (lossy needs less)
	}
	return 8 * px
}

// pngInfo is what IHDR (and a tRNS chunk before the data) says about the
// decoder's output.
type pngInfo struct {
	colorType, depth byte
	interlaced, trns bool
}

// pngIHDR reads the PNG header chunks up to the first IDAT. Bounds are
// checked at each step; a malformed layout returns ok false.
func pngIHDR(b []byte) (pngInfo, bool) {
	var h pngInfo
	if len(b) < 33 || string(b[12:16]) != "IHDR" {
		return h, false
	}
	h.depth, h.colorType, h.interlaced = b[24], b[25], b[28] == 1
	switch h.colorType {
	case 0, 2, 3, 4, 6:
	default:
		return h, false
	}
	for i := 33; i+8 <= len(b); {
		n := int64(binary.BigEndian.Uint32(b[i : i+4]))
		typ := string(b[i+4 : i+8])
		if typ == "IDAT" || typ == "IEND" {
			break
		}
		if typ == "tRNS" {
			h.trns = true
		}
		next := int64(i) + 12 + n
		if next > int64(len(b)) {
			break
		}
		i = int(next)
	}
	return h, true
}

// bitsPerPixel of the encoded rows.
func (h pngInfo) bitsPerPixel() int64 {
	ch := map[byte]int64{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[h.colorType]
	return ch * int64(h.depth)
}

// bytesPerPixel of the image image/png returns: Gray/Paletted 1, Gray16 2,
// (N)RGBA 4, (N)RGBA64 8. A tRNS chunk turns gray into NRGBA(64).
func (h pngInfo) bytesPerPixel() int64 {
	wide := h.depth == 16
	switch {
	case h.colorType == 3:
		return 1
	case h.colorType == 0 && !h.trns:
		if wide {
			return 2
		}
		return 1
	case wide:
		return 8
	}
	return 4
}

// frameInfo is what the JPEG start-of-frame segment says about the decode.
type frameInfo struct {
	progressive bool
	components  int
	hv          [4][2]int // sampling factors per component
	rgb         bool      // decoded as RGB (component ids R, G, B, or Adobe transform 0)
}

// blocks is the number of 8×8 blocks image/jpeg allocates across all
// component planes: whole MCUs, so the edges are rounded up.
func (f frameInfo) blocks(w, h int) int64 {
	if f.components == 1 {
		return int64((w+7)/8) * int64((h+7)/8)
	}
	hmax, vmax := 1, 1
	for i := 0; i < f.components; i++ {
		hmax, vmax = max(hmax, f.hv[i][0]), max(vmax, f.hv[i][1])
	}
	mxx := int64((w + 8*hmax - 1) / (8 * hmax))
	myy := int64((h + 8*vmax - 1) / (8 * vmax))
	var n int64
	for i := 0; i < f.components; i++ {
		n += mxx * myy * int64(f.hv[i][0]*f.hv[i][1])
	}
	return n
}

// jpegFrame reads the SOF segment, and an Adobe APP14 segment anywhere
// before the scan. It shares the bounds-checked segment walk with the EXIF
// reader.
func jpegFrame(b []byte) (frameInfo, bool) {
	var f frameInfo
	found := false
	walkJPEG(b, func(marker byte, seg []byte) bool {
		switch marker {
		case 0xEE: // APP14 "Adobe": transform 0 means RGB
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" && seg[11] == 0 {
				f.rgb = true
			}
		case 0xC0, 0xC1, 0xC2: // baseline, extended, progressive (the ones image/jpeg decodes)
			if found || len(seg) < 6 {
				return false
			}
			n := int(seg[5])
			if n != 1 && n != 3 && n != 4 || len(seg) < 6+3*n {
				return false
			}
			f.progressive = marker == 0xC2
			f.components = n
			for i := 0; i < n; i++ {
				s := seg[6+3*i+1]
				f.hv[i] = [2]int{max(int(s>>4), 1), max(int(s&0x0F), 1)}
			}
			if n == 3 && seg[6] == 'R' && seg[9] == 'G' && seg[12] == 'B' {
				f.rgb = true
			}
			found = true
		}
		return true
	})
	if f.components != 3 {
		f.rgb = false
	}
	return f, found
}

// acquire takes a decode slot, then cost bytes of the memory budget,
// waiting at most QueueTimeout for both. The order matters: everyone who
// holds memory already holds a slot and is running, so waiters for memory
// always make progress (the reverse order could deadlock until timeout).
// The weighted semaphore is FIFO, so a large photo is not starved by a
// stream of small ones.
func (p *Pipeline) acquire(ctx context.Context, cost int64) (func(), error) {
	qctx, cancel := context.WithTimeout(ctx, p.cfg.QueueTimeout)
	defer cancel()
	queueErr := func() error {
		if err := ctx.Err(); err != nil {
			return newError(ErrCanceled, "", err)
		}
		return ErrBusy
	}
	select {
	case p.slots <- struct{}{}:
	case <-qctx.Done():
		return nil, queueErr()
	}
	if err := p.mem.Acquire(qctx, cost); err != nil {
		<-p.slots
		return nil, queueErr()
	}
	return func() {
		if cost > p.cfg.MaxDecodeMemory/4 {
			// A large decode leaves its buffers (up to the whole budget) as
			// garbage, and the GC's next goal is set from the heap that
			// held them live: by default it would let the next decodes
			// stack another budget's worth on top before collecting
			// (RSS 365 MB for one 160 MB PNG). Collect before handing the
			// memory on. A GC marks only the live heap (a few ms), against
			// a decode of this size taking seconds; ordinary photos
			// (12 MP baseline JPEG ≈ 60 MB) stay under the threshold.
			runtime.GC()
		}
		p.mem.Release(cost)
		<-p.slots
	}, nil
}

// stageError classifies a failure after the slot was acquired: the caller
// going away, our own deadline, or (most often) a bad file.
func (p *Pipeline) stageError(parent, stage context.Context, err error) error {
	var me *Error
	switch {
	case errors.As(err, &me):
		return err
	case parent.Err() != nil:
		return newError(ErrCanceled, "", err)
	case stage.Err() != nil:
		return newError(ErrTimeout, "", err)
	}
	return newError(ErrCorrupt, "", err)
}

func decodeConfig(format string, data []byte) (image.Config, error) {
	r := bytes.NewReader(data)
	switch format {
	case FormatJPEG:
		return jpeg.DecodeConfig(r)
	case FormatPNG:
		return png.DecodeConfig(r)
	case FormatGIF:
		return gif.DecodeConfig(r)
	case FormatWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("unknown format %q", format)
}

// decode calls the format's decoder directly (not image.Decode), so what
// runs is exactly what sniff identified, whatever else is registered. A
// panic in a decoder on hostile input becomes an error, not a crashed server.
func decode(format string, r io.Reader) (img image.Image, err error) {
	defer func() {
		if v := recover(); v != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", v)
		}
	}()
	switch format {
	case FormatJPEG:
		return jpeg.Decode(r)
	case FormatPNG:
		return png.Decode(r)
	case FormatGIF:
		return gif.Decode(r) // the first frame only
	case FormatWebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("unknown format %q", format)
}

// ctxReader fails reads once ctx is done. Decoders pull their input in
// small chunks, so this is how a decode that takes too long (or whose
// client has gone) is stopped without leaking a goroutine. It deliberately
// has no ReadByte method, so decompressors wrap it in their own 4 KiB
// buffer and the check runs at least once per 4 KiB.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// variants derives all renditions from the decoded image. Only one
// full-resolution step is taken (to the 1600 px variant); it is oriented at
// that size, and every other variant is made from it, which is both faster
// and what VariantSize promises.
func (p *Pipeline) variants(ctx context.Context, img image.Image, o int) (*Processed, error) {
	b := img.Bounds()
	uw, uh := orientedSize(o, b.Dx(), b.Dy())
	lw, lh := fitLong(uw, uh, 1600)
	sw, sh := orientedSize(o, lw, lh) // the large size in stored orientation
	large := orient(resample(img, b, sw, sh), o)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res := &Processed{Width: uw, Height: uh}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		errs []error
	)
	res.Variants = make([]Variant, 0, 4)
	add := func(name string, m *image.RGBA) {
		defer wg.Done()
		data, err := p.encode(ctx, m)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("encode %s: %w", name, err))
			return
		}
		res.Variants = append(res.Variants, Variant{Name: name, Width: m.Rect.Dx(), Height: m.Rect.Dy(), ContentType: "image/jpeg", Data: data})
	}
	for _, name := range VariantNames() {
		w, h, _ := VariantSize(name, lw, lh)
		var m *image.RGBA
		switch {
		case name == VariantLarge:
			m = large
		case name == VariantSocial:
			m = resample(large, socialCrop(lw, lh), w, h)
		default:
			m = resample(large, large.Rect, w, h)
		}
		if err := ctx.Err(); err != nil {
			wg.Wait()
			return nil, err
		}
		wg.Add(1)
		// Encoding is independent per variant; overlapping it with the next
		// resize uses the second core without raising the slot count.
		go add(name, m)
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	// Restore the documented order (goroutines finish in any order).
	order := VariantNames()
	sorted := make([]Variant, 0, len(res.Variants))
	for _, n := range order {
		if v, ok := res.Variant(n); ok {
			sorted = append(sorted, v)
		}
	}
	res.Variants = sorted
	return res, nil
}

// encode writes m as a baseline JPEG. image/jpeg writes only the segments it
// needs (quantisation, Huffman tables, frame, scan): no APP0/APP1 EXIF, no
// ICC profile, no comments — so nothing from the upload survives.
func (p *Pipeline) encode(ctx context.Context, m *image.RGBA) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: p.cfg.JPEGQuality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
