package compress

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
)

// state is where a response stands: nothing decided yet, passing straight
// through to the client, or being buffered to be compressed at the end.
type state int

const (
	undecided state = iota
	passing
	buffering
)

// writer holds a compressible answer back until the handler returns, then
// sends it gzipped (or as it is, when it turned out small).
type writer struct {
	http.ResponseWriter
	c       *Compressor
	accepts bool // the client accepts gzip (and this is not a HEAD request)

	wroteHeader bool
	status      int
	state       state
	buf         *bytes.Buffer
}

func (w *writer) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		// Informational answers (103 Early Hints) go out at once and do
		// not fix the final status.
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if w.wroteHeader {
		return // a second call is a handler bug; net/http ignores it too
	}
	w.wroteHeader, w.status = true, code
	// The decision waits for the first Write when the handler left the
	// Content-Type for net/http to sniff.
	if w.Header().Get("Content-Type") != "" {
		w.decide(nil)
	}
}

// decide chooses between passing through and buffering, from the final
// headers. first is the first chunk of the body, to sniff a missing
// Content-Type from as net/http would.
func (w *writer) decide(first []byte) {
	h := w.Header()
	if h.Get("Content-Type") == "" && first != nil && h.Get("Content-Encoding") == "" {
		h.Set("Content-Type", http.DetectContentType(first))
	}
	eligible := compressible(h.Get("Content-Type")) &&
		h.Get("Content-Encoding") == "" && h.Get("Content-Range") == "" &&
		w.status >= 200 && w.status != http.StatusNoContent &&
		w.status != http.StatusPartialContent && w.status != http.StatusNotModified &&
		!noTransform(h.Get("Cache-Control"))
	if eligible {
		addVary(h)
	}
	if eligible && w.accepts {
		w.state = buffering
		w.buf = w.c.bufs.Get().(*bytes.Buffer)
		w.buf.Reset()
		return
	}
	w.state = passing
	w.ResponseWriter.WriteHeader(w.status)
}

func (w *writer) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.state == undecided {
		w.decide(p)
	}
	if w.state == passing {
		return w.ResponseWriter.Write(p)
	}
	if w.buf.Len()+len(p) > w.c.maxBuffered {
		if err := w.spill(); err != nil {
			return 0, err
		}
		return w.ResponseWriter.Write(p)
	}
	return w.buf.Write(p)
}

// spill gives up on compressing: the headers and what was buffered go out
// as they are, and the rest streams through.
func (w *writer) spill() error {
	w.state = passing
	w.ResponseWriter.WriteHeader(w.status)
	_, err := w.ResponseWriter.Write(w.buf.Bytes())
	w.release()
	return err
}

// Flush means the handler wants bytes on the wire now, which a buffered
// answer cannot honour: it is sent uncompressed from here on.
func (w *writer) Flush() {
	if w.wroteHeader && w.state == undecided {
		w.decide(nil)
	}
	if w.state == buffering {
		if w.spill() != nil {
			return
		}
	}
	// An error means the writer underneath cannot flush; http.Flusher has
	// no way to say so, and the bytes still go out when the handler ends.
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the writer underneath
// (deadlines, hijacking).
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish sends a buffered answer once the handler has returned.
func (w *writer) finish() {
	if w.wroteHeader && w.state == undecided {
		w.decide(nil)
	}
	if w.state != buffering {
		return
	}
	defer w.release()
	h := w.Header()
	if w.buf.Len() < w.c.minSize {
		w.ResponseWriter.WriteHeader(w.status)
		_, _ = w.ResponseWriter.Write(w.buf.Bytes()) // the client went away; nothing to do
		return
	}
	gz, done := w.c.compressed(w.buf.Bytes(), shareable(h.Get("Cache-Control")))
	defer done()
	w.send(h, gz)
}

// send answers with gz, the body gzipped.
func (w *writer) send(h http.Header, gz []byte) {
	h.Del("Content-Length")
	h.Del("Accept-Ranges") // ranges would be of the compressed bytes; we answer none
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(len(gz)))
	if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		// The gzipped bytes are another representation; a strong
		// validator must not claim they are the same bytes.
		h.Set("ETag", "W/"+et)
	}
	w.ResponseWriter.WriteHeader(w.status)
	_, _ = w.ResponseWriter.Write(gz) // the client went away; nothing to do
}

func (w *writer) release() {
	if w.buf == nil {
		return
	}
	if w.buf.Cap() <= 4*w.c.maxBuffered {
		w.c.bufs.Put(w.buf)
	}
	w.buf = nil
}

// compressed returns body gzipped, and what to call once those bytes are
// sent: the bytes kept from an earlier answer with the same body when the
// memo has them, or else body compressed now into a pooled buffer. Only a
// public answer (shared) is looked up and kept: a signed-in person's pages
// are never held in memory longer than their answer takes.
func (c *Compressor) compressed(body []byte, shared bool) (gz []byte, done func()) {
	var k memoKey
	memo := c.memo
	if !shared {
		memo = nil
	}
	if memo != nil {
		k = memo.key(body)
		if gz, ok := memo.get(k); ok {
			return gz, func() {}
		}
	}
	out := c.bufs.Get().(*bytes.Buffer)
	out.Reset()
	c.gzip(out, body)
	c.gzipped.Add(1)
	if memo != nil {
		memo.put(k, out.Bytes())
	}
	return out.Bytes(), func() { c.bufs.Put(out) }
}

// gzip compresses body into out with one of the pooled compressors,
// waiting for one to be free.
func (c *Compressor) gzip(out *bytes.Buffer, body []byte) {
	zw := <-c.slots
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(out, c.level) // level checked in New
	} else {
		zw.Reset(out)
	}
	// Writes into a bytes.Buffer cannot fail.
	_, _ = zw.Write(body)
	_ = zw.Close()
	c.slots <- zw
}

// addVary adds Accept-Encoding to Vary unless it is there already.
func addVary(h http.Header) {
	for _, v := range h.Values("Vary") {
		for f := range strings.SplitSeq(v, ",") {
			f = strings.TrimSpace(f)
			if f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// shareable: Cache-Control marks the answer public, the same for everyone
// who asks (the pages the page cache keeps, the API, the feeds).
func shareable(cc string) bool {
	for d := range strings.SplitSeq(cc, ",") {
		if strings.EqualFold(strings.TrimSpace(d), "public") {
			return true
		}
	}
	return false
}

// noTransform: Cache-Control no-transform forbids changing the encoding.
func noTransform(cc string) bool {
	for d := range strings.SplitSeq(cc, ",") {
		if strings.EqualFold(strings.TrimSpace(d), "no-transform") {
			return true
		}
	}
	return false
}
