package tlsauto_test

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/tlsauto"
	"lostinnl/internal/tlsauto/pebbletest"
)

func TestNewRejectsBadConfig(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name string
		cfg  tlsauto.Config
	}{
		{"no domains", tlsauto.Config{CacheDir: dir}},
		{"no cache dir", tlsauto.Config{Domains: []string{"example.ca"}}},
		{"wildcard", tlsauto.Config{Domains: []string{"*.example.ca"}, CacheDir: dir}},
		{"ip address", tlsauto.Config{Domains: []string{"192.0.2.1"}, CacheDir: dir}},
		{"with port", tlsauto.Config{Domains: []string{"example.ca:443"}, CacheDir: dir}},
		{"single label", tlsauto.Config{Domains: []string{"localhost"}, CacheDir: dir}},
		{"empty name", tlsauto.Config{Domains: []string{" "}, CacheDir: dir}},
		{"url", tlsauto.Config{Domains: []string{"https://example.ca/"}, CacheDir: dir}},
		{"http directory", tlsauto.Config{Domains: []string{"example.ca"}, CacheDir: dir, DirectoryURL: "http://ca.example/dir"}},
		{"http directory on loopback name lookalike", tlsauto.Config{Domains: []string{"example.ca"}, CacheDir: dir, DirectoryURL: "http://localhost.evil.example/dir"}},
		{"directory not a url", tlsauto.Config{Domains: []string{"example.ca"}, CacheDir: dir, DirectoryURL: "acme"}},
		{"ftp directory", tlsauto.Config{Domains: []string{"example.ca"}, CacheDir: dir, DirectoryURL: "ftp://ca.example/dir"}},
		{"bad port", tlsauto.Config{Domains: []string{"example.ca"}, CacheDir: dir, HTTPSPort: 70000}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tlsauto.New(tc.cfg); err == nil {
				t.Fatalf("New(%+v) = nil error, want an error", tc.cfg)
			}
		})
	}
}

func TestNewAcceptsLoopbackHTTPDirectory(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:14000/dir", "http://localhost:14000/dir", "http://[::1]:14000/dir", "https://acme.example/dir", ""} {
		if _, err := tlsauto.New(tlsauto.Config{Domains: []string{"example.ca"}, CacheDir: t.TempDir(), DirectoryURL: u}); err != nil {
			t.Errorf("directory %q: %v", u, err)
		}
	}
}

func TestNormalizeDomain(t *testing.T) {
	good := map[string]string{
		"MissingPersons.Example.CA":  "missingpersons.example.ca",
		"missingpersons.example.ca.": "missingpersons.example.ca",
		" www.example.ca ":           "www.example.ca",
		"bücher.example":             "xn--bcher-kva.example",
	}
	for in, want := range good {
		got, err := tlsauto.NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "*.example.ca", "a..b", "exa mple.ca", "::1", "10.0.0.1", "x@y.ca", strings.Repeat("a.", 130) + "ca", "bad_label-.example\x00"} {
		if got, err := tlsauto.NormalizeDomain(bad); err == nil {
			t.Errorf("NormalizeDomain(%q) = %q, nil; want an error", bad, got)
		}
	}
}

func TestHTTPHandlerRedirects(t *testing.T) {
	m, err := tlsauto.New(tlsauto.Config{
		Domains:  []string{"missingpersons.example.ca", "www.missingpersons.example.ca"},
		CacheDir: t.TempDir(),
	})
	if err != nil {
		t.Fatal(err)
	}
	h := m.HTTPHandler()
	cases := []struct {
		method, host, target string
		wantCode             int
		wantLocation         string
	}{
		{"GET", "missingpersons.example.ca", "/cases?q=smith&page=2", 301, "https://missingpersons.example.ca/cases?q=smith&page=2"},
		{"GET", "www.missingpersons.example.ca:80", "/", 301, "https://www.missingpersons.example.ca/"},
		{"GET", "MISSINGPERSONS.EXAMPLE.CA", "/about", 301, "https://missingpersons.example.ca/about"},
		{"POST", "missingpersons.example.ca", "/submit", 308, "https://missingpersons.example.ca/submit"},
		// Hosts that are not ours are sent to the canonical name, never echoed back.
		{"GET", "evil.example.com", "/x", 301, "https://missingpersons.example.ca/x"},
		{"GET", "evil.example.com\r\nSet-Cookie: a=b", "/", 301, "https://missingpersons.example.ca/"},
		{"GET", "", "/", 301, "https://missingpersons.example.ca/"},
		{"GET", "[::1]:80", "/", 301, "https://missingpersons.example.ca/"},
		// A challenge for a token we never issued is a 404 from autocert, not a redirect.
		{"GET", "missingpersons.example.ca:80", "/.well-known/acme-challenge/unknown-token", 404, ""},
		// A challenge path on a foreign host is not answered.
		{"GET", "evil.example.com", "/.well-known/acme-challenge/x", 301, "https://missingpersons.example.ca/.well-known/acme-challenge/x"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.host+tc.target, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, nil)
			r.Host = tc.host
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tc.wantCode {
				t.Fatalf("status = %d, want %d (body %q)", w.Code, tc.wantCode, w.Body.String())
			}
			if got := w.Header().Get("Location"); got != tc.wantLocation {
				t.Fatalf("Location = %q, want %q", got, tc.wantLocation)
			}
		})
	}
}

func TestHTTPHandlerRedirectKeepsNonStandardPort(t *testing.T) {
	m, err := tlsauto.New(tlsauto.Config{Domains: []string{"missingpersons.example.ca"}, CacheDir: t.TempDir(), HTTPSPort: 8443})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/cases/7", nil)
	r.Host = "missingpersons.example.ca:8080"
	w := httptest.NewRecorder()
	m.HTTPHandler().ServeHTTP(w, r)
	if got, want := w.Header().Get("Location"), "https://missingpersons.example.ca:8443/cases/7"; got != want {
		t.Fatalf("Location = %q, want %q", got, want)
	}
}

func TestTLSConfigOffersALPNChallenge(t *testing.T) {
	m, err := tlsauto.New(tlsauto.Config{Domains: []string{"missingpersons.example.ca"}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cfg := m.TLSConfig()
	want := map[string]bool{"h2": false, "http/1.1": false, "acme-tls/1": false}
	for _, p := range cfg.NextProtos {
		if _, ok := want[p]; ok {
			want[p] = true
		}
	}
	for p, seen := range want {
		if !seen {
			t.Errorf("NextProtos %v lacks %q", cfg.NextProtos, p)
		}
	}
	if cfg.MinVersion < tls.VersionTLS12 {
		t.Errorf("MinVersion = %x, want at least TLS 1.2", cfg.MinVersion)
	}
	// A handshake for a name we do not serve must fail without contacting any CA.
	_, err = cfg.GetCertificate(&tls.ClientHelloInfo{ServerName: "evil.example.com"})
	if err == nil {
		t.Fatal("GetCertificate for a foreign name succeeded")
	}
}

// TestObtainCertificateFromPebble gets real certificates from a local pebble, once
// through TLS-ALPN-01 and once through HTTP-01 (with pebble's TLS-ALPN-01 port pointing
// nowhere, so that challenge fails and autocert falls back), then makes HTTPS requests
// verified against pebble's root. The HTTP-01 case also proves the Host port snag is
// handled: pebble sends "Host: name:port".
func TestObtainCertificateFromPebble(t *testing.T) {
	pebbletest.Skip(t)
	for _, tc := range []struct {
		name     string
		domain   string
		alpnWork bool
	}{
		{"tls-alpn-01", "alpn.lostinnl.test", true},
		{"http-01", "http01.lostinnl.test", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			httpPort := pebbletest.FreePort(t)
			tlsPort := pebbletest.FreePort(t)
			pebbleTLSPort := tlsPort
			if !tc.alpnWork {
				pebbleTLSPort = pebbletest.FreePort(t) // nothing listens there
			}
			peb := pebbletest.Start(t, pebbletest.Options{HTTPPort: httpPort, TLSPort: pebbleTLSPort})

			cacheDir := filepath.Join(t.TempDir(), "acme")
			m, err := tlsauto.New(tlsauto.Config{
				Domains:      []string{tc.domain},
				DirectoryURL: peb.DirectoryURL,
				CacheDir:     cacheDir,
				HTTPClient:   peb.Client,
				HTTPSPort:    tlsPort,
			})
			if err != nil {
				t.Fatal(err)
			}
			app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "lostinnl over "+r.Proto)
			})
			serve(t, httpPort, m.HTTPHandler(), nil)
			serve(t, tlsPort, app, m.TLSConfig())

			roots := peb.RootPool(t)
			client := &http.Client{
				Timeout: 90 * time.Second,
				Transport: &http.Transport{
					DialContext:       pebbletest.LoopbackDialer(),
					TLSClientConfig:   &tls.Config{RootCAs: roots},
					ForceAttemptHTTP2: true,
				},
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			}
			// The first handshake triggers issuance; autocert blocks it until done.
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			body, proto := get(ctx, t, client, "https://"+tc.domain+":"+itoa(tlsPort)+"/")
			if body != "lostinnl over HTTP/2.0" || proto != "HTTP/2.0" {
				t.Fatalf("HTTPS body %q over %s, want our handler over HTTP/2", body, proto)
			}
			// The certificate and account key are cached for the next start.
			entries, err := os.ReadDir(cacheDir)
			if err != nil || len(entries) < 2 {
				t.Fatalf("cache dir has %d entries (err %v), want account key and certificate", len(entries), err)
			}
			// Plain HTTP is redirected to HTTPS.
			req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+tc.domain+":"+itoa(httpPort)+"/cases?q=x", nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if want := "https://" + tc.domain + ":" + itoa(tlsPort) + "/cases?q=x"; resp.StatusCode != 301 || resp.Header.Get("Location") != want {
				t.Fatalf("HTTP answer %d Location %q, want 301 to %q", resp.StatusCode, resp.Header.Get("Location"), want)
			}
			// A second manager on the same cache serves the cached certificate without
			// asking the CA (which we prove by giving it a client that cannot reach any).
			m2, err := tlsauto.New(tlsauto.Config{
				Domains: []string{tc.domain}, DirectoryURL: "https://127.0.0.1:1/dir", CacheDir: cacheDir,
			})
			if err != nil {
				t.Fatal(err)
			}
			tls2 := pebbletest.FreePort(t)
			serve(t, tls2, app, m2.TLSConfig())
			client.CloseIdleConnections()
			if body, _ := get(ctx, t, client, "https://"+tc.domain+":"+itoa(tls2)+"/"); !strings.HasPrefix(body, "lostinnl over") {
				t.Fatalf("cached certificate: body %q", body)
			}
		})
	}
}

func serve(t *testing.T, port int, h http.Handler, tlsCfg *tls.Config) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:"+itoa(port))
	if err != nil {
		t.Fatalf("listen on %d: %v", port, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, TLSConfig: tlsCfg}
	go func() {
		var err error
		if tlsCfg != nil {
			err = srv.ServeTLS(ln, "", "")
		} else {
			err = srv.Serve(ln)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve on %d: %v", port, err)
		}
	}()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx) // best effort at test end; Close follows
		_ = srv.Close()
	})
}

func get(ctx context.Context, t *testing.T, c *http.Client, url string) (body, proto string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: status %d body %q", url, resp.StatusCode, b)
	}
	return string(b), resp.Proto
}

func itoa(n int) string { return strconv.Itoa(n) }
