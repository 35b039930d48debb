// Package compress gzips text responses (HTML, JSON, CSS, JavaScript, XML,
// plain text) for clients that accept it, so people on weak rural
// connections get pages three to six times smaller even on the embedded
// default, where no nginx sits in front.
//
// It owns only the transfer encoding: it never changes what a handler says,
// only how the bytes travel. It must not compress what is already compressed
// (images, responses that set Content-Encoding, such as the precompressed
// static assets), partial answers, or answers marked no-transform, and it
// must keep memory bounded: a page is buffered whole (pages are tens of
// kilobytes), then compressed in one go with one of a few pooled
// compressors, so at most a handful exist however many clients are
// connected (a gzip compressor costs about 1 MB; one per connection would
// be 64 MB at 64 connections).
package compress

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Options configure New; zero values take the defaults.
type Options struct {
	// Level is the gzip level (1–9). Default 5: within a few per cent of
	// the best ratio on our pages at a quarter of level 9's cost.
	Level int
	// MinSize: smaller bodies go out as they are (the gzip header and
	// trailer cost 18 bytes, and a tiny body does not shrink). Default 512.
	MinSize int
	// MaxBuffered: a body that grows past this goes out uncompressed,
	// streamed, so one huge answer cannot hold a large buffer. Default 1 MB.
	MaxBuffered int
	// Compressors is how many pages may be compressed at the same moment
	// (each holds a ~1 MB compressor); others wait their turn, which costs
	// nothing extra since compressing is CPU-bound. Default GOMAXPROCS.
	Compressors int
	// MemoBytes bounds the gzipped bodies kept for answers given more
	// than once alike (memo): default 256 KB, negative for none.
	MemoBytes int
}

// Compressor is the middleware. It is safe for concurrent use.
type Compressor struct {
	level, minSize, maxBuffered int

	slots chan *gzip.Writer // free compressors; a nil entry means "make one"
	bufs  sync.Pool         // *bytes.Buffer for bodies and their gzip output
	memo  *memo             // nil: every answer compressed afresh

	gzipped atomic.Uint64 // bodies compressed (not taken from the memo)
}

// New returns a Compressor with opts applied over the defaults.
func New(opts Options) *Compressor {
	c := &Compressor{level: opts.Level, minSize: opts.MinSize, maxBuffered: opts.MaxBuffered}
	if c.level < gzip.BestSpeed || c.level > gzip.BestCompression {
		c.level = 5
	}
	if c.minSize <= 0 {
		c.minSize = 512
	}
	if c.maxBuffered <= 0 {
		c.maxBuffered = 1 << 20
	}
	n := opts.Compressors
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	c.slots = make(chan *gzip.Writer, n)
	for range n {
		c.slots <- nil // made on first use, so an idle server holds none
	}
	c.bufs.New = func() any { return new(bytes.Buffer) }
	switch {
	case opts.MemoBytes == 0:
		c.memo = newMemo(256 << 10)
	case opts.MemoBytes > 0:
		c.memo = newMemo(opts.MemoBytes)
	}
	return c
}

// Handler wraps next. Every compressible answer gets "Vary: Accept-Encoding"
// whether or not this client asked for gzip, so a shared cache in front
// (nginx, a CDN) keeps the two variants apart.
func (c *Compressor) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &writer{ResponseWriter: w, c: c, accepts: r.Method != http.MethodHead && acceptsGzip(r.Header.Get("Accept-Encoding"))}
		defer cw.finish()
		next.ServeHTTP(cw, r)
	})
}

// acceptsGzip reads an Accept-Encoding header (RFC 9110 §12.5.3): gzip (or
// x-gzip, or *) with a quality above zero. "gzip;q=0" refuses it even when
// "*" is also listed.
func acceptsGzip(h string) bool {
	star, gz := false, -1 // gz: -1 unnamed, 0 refused, 1 accepted
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		ok := qualityAboveZero(params)
		switch name {
		case "gzip", "x-gzip":
			if ok {
				gz = max(gz, 1)
			} else if gz < 0 {
				gz = 0
			}
		case "*":
			star = star || ok
		}
	}
	if gz >= 0 {
		return gz == 1
	}
	return star
}

// qualityAboveZero reads the q parameter of one Accept-Encoding entry;
// missing or unreadable means 1 (the entry was named, so it is wanted).
func qualityAboveZero(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return true
		}
		return q > 0
	}
	return true
}

// compressible are the media types worth compressing: text we generate.
// Images, PDFs and archives are compressed already.
func compressible(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch mt {
	case "text/html", "text/plain", "text/css", "text/csv", "text/xml", "text/javascript",
		"application/json", "application/javascript", "application/xml",
		"application/atom+xml", "application/rss+xml", "application/problem+json",
		"application/manifest+json", "image/svg+xml":
		return true
	}
	return strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml")
}
