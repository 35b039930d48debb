package server

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func listen(t *testing.T, name string, h http.Handler) *Listener {
	t.Helper()
	l, err := Listen(t.Context(), name, "127.0.0.1:0", h, PublicTimeouts(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestListenSetsTimeouts(t *testing.T) {
	l := listen(t, "public", http.NotFoundHandler())
	defer l.Close()
	s := l.Server
	if s.ReadHeaderTimeout == 0 || s.ReadTimeout == 0 || s.WriteTimeout == 0 || s.IdleTimeout == 0 || s.MaxHeaderBytes == 0 {
		t.Errorf("timeouts not all set: %+v", s)
	}
	if s.WriteTimeout <= s.ReadTimeout {
		t.Errorf("WriteTimeout %s must exceed ReadTimeout %s (the write deadline starts after the headers)", s.WriteTimeout, s.ReadTimeout)
	}
	if !strings.HasPrefix(l.URL(), "http://127.0.0.1:") || strings.HasSuffix(l.URL(), ":0") {
		t.Errorf("URL = %q", l.URL())
	}
}

func TestURLForWildcardHost(t *testing.T) {
	l, err := Listen(t.Context(), "public", ":0", http.NotFoundHandler(), PublicTimeouts(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if !strings.HasPrefix(l.URL(), "http://localhost:") {
		t.Errorf("URL = %q", l.URL())
	}
}

func TestListenPortInUse(t *testing.T) {
	l := listen(t, "public", http.NotFoundHandler())
	defer l.Close()
	_, err := Listen(t.Context(), "ops", l.Addr().String(), http.NotFoundHandler(), OpsTimeouts(), nil)
	if err == nil || !strings.Contains(err.Error(), "listen ops on "+l.Addr().String()) {
		t.Errorf("got %v", err)
	}
}

// TestGracefulShutdown: a request in flight when shutdown starts completes;
// BeforeShutdown runs while the listener still accepts; afterwards new
// connections are refused and Run returns nil.
func TestGracefulShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			close(entered)
			<-release
		}
		io.WriteString(w, "done "+r.URL.Path)
	})
	pub := listen(t, "public", slow)
	ops := listen(t, "ops", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ops") }))

	hookRan := make(chan error, 1)
	ctx, cancel := context.WithCancel(t.Context())
	runDone := make(chan error, 1)
	go func() {
		runDone <- Run(ctx, []*Listener{pub, ops}, Options{
			DrainTimeout: time.Minute,
			BeforeShutdown: func() {
				// Still accepting: a readiness probe here must get an answer.
				resp, err := http.Get(pub.URL() + "/probe")
				if err == nil {
					resp.Body.Close()
				}
				hookRan <- err
			},
		})
	}()

	// Both listeners serve.
	for _, u := range []string{pub.URL() + "/", ops.URL() + "/"} {
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	type result struct {
		body string
		err  error
	}
	slowDone := make(chan result, 1)
	go func() {
		resp, err := http.Get(pub.URL() + "/slow")
		if err != nil {
			slowDone <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slowDone <- result{string(b), err}
	}()
	<-entered
	cancel()
	if err := <-hookRan; err != nil {
		t.Errorf("listener closed before BeforeShutdown ran: %v", err)
	}
	// Shutdown is now waiting for /slow; let it finish.
	close(release)
	r := <-slowDone
	if r.err != nil || r.body != "done /slow" {
		t.Errorf("in-flight request: body %q err %v", r.body, r.err)
	}
	if err := <-runDone; err != nil {
		t.Errorf("Run = %v", err)
	}
	for _, l := range []*Listener{pub, ops} {
		if c, err := net.Dial("tcp", l.Addr().String()); err == nil {
			c.Close()
			t.Errorf("%s still accepts connections after Run returned", l.Name)
		}
	}
}

func TestDrainTimeoutCutsOff(t *testing.T) {
	entered := make(chan struct{})
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done() // only a hard close ends this request
	})
	pub := listen(t, "public", stuck)
	ctx, cancel := context.WithCancel(t.Context())
	runDone := make(chan error, 1)
	go func() { runDone <- Run(ctx, []*Listener{pub}, Options{DrainTimeout: 50 * time.Millisecond}) }()

	clientErr := make(chan error, 1)
	go func() {
		resp, err := http.Get(pub.URL())
		if err == nil {
			resp.Body.Close()
		}
		clientErr <- err
	}()
	<-entered
	cancel()
	err := <-runDone
	if !errors.Is(err, ErrDrainTimeout) || !strings.Contains(err.Error(), "[public]") {
		t.Errorf("Run = %v, want ErrDrainTimeout naming the listener", err)
	}
	if err := <-clientErr; err == nil {
		t.Error("the cut-off client saw a complete response")
	}
}

func TestServeFailureStopsAll(t *testing.T) {
	pub := listen(t, "public", http.NotFoundHandler())
	ops := listen(t, "ops", http.NotFoundHandler())
	hook := make(chan struct{}, 1)
	runDone := make(chan error, 1)
	go func() {
		runDone <- Run(t.Context(), []*Listener{pub, ops}, Options{BeforeShutdown: func() { hook <- struct{}{} }})
	}()
	// Wait until ops serves, then pull its socket away: Serve fails.
	for {
		resp, err := http.Get(ops.URL())
		if err == nil {
			resp.Body.Close()
			break
		}
	}
	ops.ln.Close()
	err := <-runDone
	if err == nil || !strings.Contains(err.Error(), "serve ops on") {
		t.Errorf("Run = %v", err)
	}
	select {
	case <-hook:
	default:
		t.Error("BeforeShutdown did not run on a listener failure")
	}
	if c, err := net.Dial("tcp", pub.Addr().String()); err == nil {
		c.Close()
		t.Error("public listener still open after ops failed")
	}
}

// TestSlowHeadersTimeOut: a client that never finishes its headers is
// dropped by ReadHeaderTimeout instead of holding a connection forever.
func TestSlowHeadersTimeOut(t *testing.T) {
	to := PublicTimeouts()
	to.ReadHeader = 100 * time.Millisecond
	l, err := Listen(t.Context(), "public", "127.0.0.1:0", http.NotFoundHandler(), to, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go Run(ctx, []*Listener{l}, Options{})
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n") // and never the blank line
	c.SetReadDeadline(time.Now().Add(time.Minute))     // a bound for a broken server, not an assertion
	b, rerr := io.ReadAll(c)
	// The server closes the connection (possibly after a 408); the read ends
	// instead of hanging until our own deadline.
	if ne, ok := rerr.(net.Error); ok && ne.Timeout() {
		t.Fatalf("server never dropped the slow client; read %q", b)
	}
}

// TestDrainDelayKeepsAccepting: between BeforeShutdown and the listeners
// closing, DrainDelay gives load balancers time to see /readyz fail; the
// listener must still answer during that window.
func TestDrainDelayKeepsAccepting(t *testing.T) {
	pub := listen(t, "public", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	ctx, cancel := context.WithCancel(t.Context())
	during := make(chan error, 1)
	runDone := make(chan error, 1)
	go func() {
		runDone <- Run(ctx, []*Listener{pub}, Options{
			DrainDelay: 2 * time.Second,
			BeforeShutdown: func() {
				go func() {
					resp, err := http.Get(pub.URL())
					if err == nil {
						resp.Body.Close()
					}
					during <- err
				}()
			},
		})
	}()
	cancel()
	if err := <-during; err != nil {
		t.Errorf("request during the drain delay failed: %v", err)
	}
	if err := <-runDone; err != nil {
		t.Errorf("Run = %v", err)
	}
}
