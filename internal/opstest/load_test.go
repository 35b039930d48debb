package opstest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// outcome of one request sent during the stop.
type outcome struct {
	method, path string
	marker       string // subject of a contact POST
	afterSignal  bool   // the answer (or refusal) came after SIGTERM
	status       int
	class        string // "ok", "refused", "cut", "bad"
	detail       string
}

// TestLoadWhileStopping sends a steady stream of page GETs and contact
// POSTs from several clients, delivers SIGTERM in the middle, and checks
// the graceful-stop contract: each request either completed (2xx/3xx with
// its whole body) or was refused before the server accepted it (no
// response at all); none was cut off; every acknowledged POST (303) is in
// the database, and nothing is in the database that was not acknowledged
// (a stored but unacknowledged POST would be a request cut off after the
// server did the work). The process exits 0.
func TestLoadWhileStopping(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	p := start(t, dataDir, nil)
	c := newClient()
	siteWired(t, c, p)

	const workers = 6
	var (
		signalAt atomic.Int64 // unix nanoseconds; 0 before the signal
		done     atomic.Bool
		mu       sync.Mutex
		results  []outcome
		acked    atomic.Int64
		wg       sync.WaitGroup
	)
	record := func(o outcome) {
		mu.Lock()
		results = append(results, o)
		mu.Unlock()
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// One keep-alive client per worker, like separate visitors.
			wc := newCountingClient()
			for n := 0; !done.Load(); n++ {
				o := outcome{}
				var req *http.Request
				var err error
				switch n % 4 {
				case 0:
					o.method, o.path = http.MethodGet, "/"
				case 1:
					o.method, o.path = http.MethodGet, "/cases"
				case 2:
					o.method, o.path = http.MethodGet, "/healthz"
				case 3:
					o.method, o.path = http.MethodPost, "/contact"
					o.marker = fmt.Sprintf("opstest-load-%d-%d", w, n)
				}
				if o.method == http.MethodPost {
					req, err = contactRequest(context.Background(), p.URL, o.marker, "Seen near the ferry terminal in Argentia.")
				} else {
					req, err = http.NewRequest(o.method, p.URL+o.path, nil)
				}
				if err != nil {
					t.Error(err)
					return
				}
				o.class, o.status, o.detail = send(wc, req)
				o.afterSignal = after(&signalAt)
				if o.class == "ok" && o.marker != "" {
					acked.Add(1)
				}
				record(o)
				if o.class == "refused" {
					time.Sleep(20 * time.Millisecond) // the server is gone or going; do not spin
				}
			}
		}()
	}

	// Slow posts: the body trickles in over a quarter of a second, so some
	// are always in flight when the signal lands; the drain must let them
	// finish.
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wc := newCountingClient()
			for n := 0; !done.Load(); n++ {
				o := outcome{method: http.MethodPost, path: "/contact (slow body)", marker: fmt.Sprintf("opstest-load-slow%d-%d", w, n)}
				req, err := slowContactRequest(p.URL, o.marker)
				if err != nil {
					t.Error(err)
					return
				}
				o.class, o.status, o.detail = send(wc, req)
				o.afterSignal = after(&signalAt)
				if o.class == "ok" {
					acked.Add(1)
				}
				record(o)
				if o.class == "refused" {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}

	// /readyz on the public port, polled through the stop: it should turn
	// 503 "draining" before the listener closes, if the window is wide
	// enough to see (there is no drain delay by default).
	var draining atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		rc := newClient()
		for !done.Load() {
			resp, err := rc.Get(p.URL + "/readyz")
			if err != nil {
				time.Sleep(5 * time.Millisecond)
				continue
			}
			b, _ := io.ReadAll(resp.Body) // a cut body just means no observation
			resp.Body.Close()
			var rb readyBody
			if resp.StatusCode == http.StatusServiceUnavailable && json.Unmarshal(b, &rb) == nil && rb.Status == "draining" {
				draining.Add(1)
			}
		}
	}()

	// Let traffic build up: some acknowledged posts before the signal.
	waitFor(t, "20 acknowledged contact posts", func() bool { return acked.Load() >= 20 })
	signalAt.Store(time.Now().UnixNano())
	code, drain := p.stop()
	// Keep sending for a moment after the exit: those must all be refused.
	time.Sleep(200 * time.Millisecond)
	done.Store(true)
	wg.Wait()

	if code != 0 {
		t.Errorf("exit status %d after SIGTERM, want 0", code)
	}
	t.Logf("drain: process exited %s after SIGTERM (LOSTINNL_SHUTDOWN_TIMEOUT=10s); /readyz answered 503 draining %d times",
		drain.Round(time.Millisecond), draining.Load())

	var ok, refused, okAfter int
	attempted := map[string]bool{}
	ackedSet := map[string]bool{}
	for _, o := range results {
		if o.marker != "" {
			attempted[o.marker] = true
		}
		switch o.class {
		case "ok":
			ok++
			if o.afterSignal {
				okAfter++
			}
			if o.marker != "" {
				ackedSet[o.marker] = true
			}
		case "refused":
			refused++
		default:
			t.Errorf("%s %s (after signal: %v): %s %d %s", o.method, o.path, o.afterSignal, o.class, o.status, o.detail)
		}
	}
	t.Logf("%d requests: %d completed (%d of them after SIGTERM), %d refused before being accepted; %d contact posts acknowledged",
		len(results), ok, okAfter, refused, len(ackedSet))
	if okAfter == 0 {
		t.Errorf("no request completed after SIGTERM: nothing was in flight across the signal, so the drain was not exercised")
	}
	if refused == 0 {
		t.Errorf("no request was refused: the load did not run across the exit, so the test proved nothing")
	}

	// Every acknowledged post is stored; nothing stored was unacknowledged.
	st, err := store.Open(t.Context(), "sqlite:"+filepath.Join(dataDir, "lostinnl.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := map[string]bool{}
	for page := 1; ; page++ {
		msgs, total, err := st.ListMessages(t.Context(), false, page, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.HasPrefix(m.Subject, "opstest-load-") {
				stored[m.Subject] = true
			}
		}
		if len(msgs) == 0 || page*100 >= total {
			break
		}
	}
	for m := range ackedSet {
		if !stored[m] {
			t.Errorf("acknowledged contact post %s is not in the database", m)
		}
	}
	for m := range stored {
		if !attempted[m] {
			t.Errorf("stored message %s was never sent", m)
		} else if !ackedSet[m] {
			t.Errorf("message %s was stored but its request got no complete answer (cut off after the work was done)", m)
		}
	}
	for _, want := range []string{"shutting down", "shutdown complete"} {
		found := false
		for _, l := range p.logs() {
			if l.str("msg") == want {
				found = true
			}
		}
		if !found {
			t.Errorf("no %q log line", want)
		}
	}
}

func after(signalAt *atomic.Int64) bool {
	at := signalAt.Load()
	return at != 0 && time.Now().UnixNano() > at
}

// slowContactRequest is a valid contact POST whose body arrives in two
// parts 250 ms apart (with a Content-Length, as a browser sends a form).
func slowContactRequest(base, subject string) (*http.Request, error) {
	full, err := contactRequest(context.Background(), base, subject, "Slow upload from a rural connection near Cartwright.")
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(full.Body)
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go func() {
		if _, err := pw.Write(body[:20]); err != nil {
			return // the request failed; Do reports it
		}
		time.Sleep(250 * time.Millisecond)
		_, err := pw.Write(body[20:])
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, base+"/contact", pr)
	if err != nil {
		return nil, err
	}
	req.Header = full.Header.Clone()
	req.ContentLength = int64(len(body))
	return req, nil
}

// send performs one request and classifies it:
//
//	ok       2xx/3xx and the whole body read (pages end with </html>)
//	refused  no response byte at all: connection refused, or closed/reset
//	         before the server wrote anything (it never accepted the request)
//	cut      some of the response arrived, but not all of it
//	bad      a complete response with a status other than 2xx/3xx
//
// The connection's byte counter tells "closed before any response byte"
// from "headers cut half-way", which look alike in the client's error.
func send(c *http.Client, req *http.Request) (class string, status int, detail string) {
	var (
		cc   *countingConn
		base int64
	)
	trace := &httptrace.ClientTrace{GotConn: func(info httptrace.GotConnInfo) {
		if x, ok := info.Conn.(*countingConn); ok {
			cc, base = x, x.read.Load()
		}
	}}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := c.Do(req)
	if err != nil {
		if cc != nil && cc.read.Load() > base {
			return "cut", 0, fmt.Sprintf("%d response bytes, then: %v", cc.read.Load()-base, err)
		}
		return "refused", 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "cut", resp.StatusCode, "body: " + err.Error()
	}
	if resp.StatusCode < 200 || resp.StatusCode >= 400 {
		return "bad", resp.StatusCode, fmt.Sprintf("%.200q", b)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") && !strings.Contains(string(b), "</html>") {
		return "cut", resp.StatusCode, "HTML page without </html>"
	}
	return "ok", resp.StatusCode, ""
}

// countingConn counts the bytes read from the server.
type countingConn struct {
	net.Conn
	read atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}

// newCountingClient is newClient with connections that count what they read.
func newCountingClient() *http.Client {
	c := newClient()
	var d net.Dialer
	c.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &countingConn{Conn: conn}, nil
	}
	return c
}
