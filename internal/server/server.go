// Package server runs LostInNL's HTTP listeners: the public one and the ops
// one (metrics, health). It owns timeouts and graceful shutdown; it knows
// nothing about routes, which the caller supplies as handlers.
//
// Shutdown order, on context cancellation (SIGINT/SIGTERM in the CLI):
//  1. BeforeShutdown runs (flip /readyz to 503, tell systemd STOPPING=1),
//  2. optionally wait DrainDelay so load balancers notice /readyz,
//  3. every listener stops accepting and in-flight requests finish, bounded
//     by DrainTimeout; whatever is still open then is closed hard,
//  4. Run returns, and the caller closes the database.
package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// Timeouts bound how long a client may hold a connection at each stage.
// They are what stops a slow or malicious client from tying up the server.
type Timeouts struct {
	ReadHeader     time.Duration
	Read           time.Duration // whole request, body included
	Write          time.Duration // from the end of the request headers to the end of the response
	Idle           time.Duration // keep-alive between requests
	MaxHeaderBytes int
}

// PublicTimeouts suit the public site. Read is generous because families
// upload up to five photos from phones on rural connections; Write is longer
// than Read because Go starts the write deadline when the headers are read,
// so it must cover the body upload and then the response.
func PublicTimeouts() Timeouts {
	return Timeouts{
		ReadHeader:     10 * time.Second,
		Read:           2 * time.Minute,
		Write:          2*time.Minute + 30*time.Second,
		Idle:           2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
	}
}

// OpsTimeouts suit the ops listener: small requests from a scraper.
func OpsTimeouts() Timeouts {
	return Timeouts{
		ReadHeader:     5 * time.Second,
		Read:           10 * time.Second,
		Write:          30 * time.Second,
		Idle:           time.Minute,
		MaxHeaderBytes: 16 << 10,
	}
}

// Listener is a bound socket and the http.Server that will serve it.
// Binding happens in Listen, before Run, so a port clash is reported at
// start-up and the real address (port 0 → a free port) is known to log.
type Listener struct {
	Name   string // "public", "ops": used in logs
	Server *http.Server
	ln     net.Listener
	tls    bool
}

// Listen binds addr and prepares a server with timeouts t for h. Server
// errors (TLS handshakes, hijack failures) go to logger at WARN.
func Listen(ctx context.Context, name, addr string, h http.Handler, t Timeouts, logger *slog.Logger) (*Listener, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s on %s: %w", name, addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    t.MaxHeaderBytes,
	}
	if logger != nil {
		srv.ErrorLog = slog.NewLogLogger(logger.With(slog.String("listener", name)).Handler(), slog.LevelWarn)
	}
	return &Listener{Name: name, Server: srv, ln: ln}, nil
}

// UseTLS makes the listener speak HTTPS with cfg (e.g. from the built-in
// ACME manager, whose GetCertificate also answers TLS-ALPN-01 challenges).
// Call it before Run.
func (l *Listener) UseTLS(cfg *tls.Config) {
	l.Server.TLSConfig = cfg
	l.ln = tls.NewListener(l.ln, cfg)
	l.tls = true
}

// Addr is the bound address (with the real port when 0 was asked for).
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// URL is an http URL for the bound address, with "localhost" standing in for
// an unspecified host so it can be pasted into a browser.
func (l *Listener) URL() string {
	scheme := "http://"
	if l.tls {
		scheme = "https://"
	}
	host, port, err := net.SplitHostPort(l.ln.Addr().String())
	if err != nil {
		return scheme + l.ln.Addr().String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return scheme + net.JoinHostPort(host, port)
}

// Close releases the socket of a Listener that will not be passed to Run
// (e.g. when a later start-up step fails).
func (l *Listener) Close() error { return l.ln.Close() }

// Options control Run.
type Options struct {
	// DrainTimeout bounds how long in-flight requests may take to finish
	// once shutdown starts. Zero means 20 seconds.
	DrainTimeout time.Duration
	// DrainDelay is waited after BeforeShutdown and before the listeners
	// close, so a load balancer polling /readyz stops sending new requests
	// first. Zero (the default) means no wait.
	DrainDelay time.Duration
	// BeforeShutdown, if set, is called once when shutdown begins, before
	// any listener stops accepting.
	BeforeShutdown func()
	// Logger receives shutdown progress; nil discards it.
	Logger *slog.Logger
}

// ErrDrainTimeout is returned (wrapped) by Run when requests were still in
// flight at the end of the drain timeout and had to be cut off.
var ErrDrainTimeout = errors.New("drain timeout exceeded")

// Run serves every listener until ctx is cancelled or one of them fails,
// then shuts them all down gracefully (see the package comment). It returns
// nil after a clean shutdown requested through ctx, the first serve error
// if a listener failed, or an ErrDrainTimeout error if requests were cut off.
// Run never calls os.Exit; the caller decides the exit status.
func Run(ctx context.Context, listeners []*Listener, opt Options) error {
	logger := opt.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	drain := opt.DrainTimeout
	if drain <= 0 {
		drain = 20 * time.Second
	}

	serveErr := make(chan error, len(listeners))
	var wg sync.WaitGroup
	for _, l := range listeners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := l.Server.Serve(l.ln)
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				serveErr <- fmt.Errorf("serve %s on %s: %w", l.Name, l.ln.Addr(), err)
			}
		}()
	}

	var runErr error
	select {
	case <-ctx.Done():
		logger.Info("shutting down", slog.Duration("drain_timeout", drain))
	case runErr = <-serveErr:
		logger.Error("listener failed; shutting down", slog.Any("error", runErr))
	}

	if opt.BeforeShutdown != nil {
		opt.BeforeShutdown()
	}
	if opt.DrainDelay > 0 {
		t := time.NewTimer(opt.DrainDelay)
		<-t.C
	}

	// A fresh context: the one we were given is already cancelled.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	var mu sync.Mutex
	var cut []string
	var sw sync.WaitGroup
	for _, l := range listeners {
		sw.Add(1)
		go func() {
			defer sw.Done()
			if err := l.Server.Shutdown(sctx); err != nil {
				// Still-open connections are closed hard so we can exit.
				_ = l.Server.Close() // the error is the same timeout, already reported below
				mu.Lock()
				cut = append(cut, l.Name)
				mu.Unlock()
			}
		}()
	}
	sw.Wait()
	wg.Wait()

	if runErr != nil {
		return runErr
	}
	if len(cut) > 0 {
		return fmt.Errorf("shutdown of %v: %w after %s; open connections were closed", cut, ErrDrainTimeout, drain)
	}
	logger.Info("shutdown complete")
	return nil
}
