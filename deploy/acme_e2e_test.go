package deploy_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/tlsauto/pebbletest"
)

// lostinnlBinary returns a lostinnl binary: $LOSTINNL_TEST_BINARY if set (CI may build
// it once for several suites), otherwise one built now from ./cmd/lostinnl.
func lostinnlBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("LOSTINNL_TEST_BINARY"); p != "" {
		return p
	}
	out := filepath.Join(t.TempDir(), "lostinnl")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/lostinnl")
	cmd.Dir = moduleRoot(t)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/lostinnl: %v\n%s", err, b)
	}
	return out
}

// startLostinnl runs the real binary on loopback ports with a fresh data directory, as
// the systemd unit would (JSON logs, nginx as the only trusted proxy), and waits for
// its home page.
func startLostinnl(t *testing.T, baseURL string) (appPort int) {
	t.Helper()
	bin := lostinnlBinary(t)
	dir := t.TempDir()
	appPort = pebbletest.FreePort(t)
	opsPort := pebbletest.FreePort(t)
	env := []string{
		fmt.Sprintf("LOSTINNL_ADDR=127.0.0.1:%d", appPort),
		fmt.Sprintf("LOSTINNL_OPS_ADDR=127.0.0.1:%d", opsPort),
		"LOSTINNL_DATA_DIR=" + filepath.Join(dir, "data"),
		"LOSTINNL_BASE_URL=" + baseURL,
		"LOSTINNL_TRUSTED_PROXIES=127.0.0.1/32",
		"LOSTINNL_LOG_FORMAT=json",
	}
	pebbletest.StartProcess(t, dir, "lostinnl", env, bin, "serve")
	pebbletest.WaitHTTP(t, &http.Client{Timeout: 5 * time.Second}, fmt.Sprintf("http://127.0.0.1:%d/", appPort), http.StatusOK)
	return appPort
}

var listenRE = regexp.MustCompile(`(?m)^\s*listen\s+([^\s;]+)`)

// TestCertbotNginxEndToEnd is the production TLS path, on loopback: lostinnl behind
// nginx with the shipped config, `certbot --nginx` obtaining a certificate from a local
// pebble (its HTTP-01 validation goes to nginx), an HTTPS request verified against
// pebble's root reaching our home page, HTTP redirecting to HTTPS, and
// `certbot renew --dry-run` passing. Runs only with LOSTINNL_TEST_ACME=1.
func TestCertbotNginxEndToEnd(t *testing.T) {
	pebbletest.Skip(t)
	nginxBin := requireNginx(t)
	certbot, err := exec.LookPath("certbot")
	if err != nil {
		t.Fatal("LOSTINNL_TEST_ACME=1 but certbot is missing: apt-get install -y certbot python3-certbot-nginx")
	}
	const name = "missingpersons.lostinnl.test"

	appPort := startLostinnl(t, "https://"+name)
	site := newNginxSite(t, name, appPort)
	// pebble validates HTTP-01 on nginx's HTTP port.
	peb := pebbletest.Start(t, pebbletest.Options{HTTPPort: site.HTTPPort, TLSPort: site.HTTPSPort})
	site.start(t, nginxBin)

	cb := t.TempDir()
	certbotArgs := func(args ...string) []string {
		return append(args,
			"--server", peb.DirectoryURL,
			"--non-interactive",
			"--config-dir", filepath.Join(cb, "config"),
			"--work-dir", filepath.Join(cb, "work"),
			"--logs-dir", filepath.Join(cb, "logs"),
		)
	}
	runCertbot := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, certbot, certbotArgs(args...)...)
		// certbot (python requests) must trust pebble's throw-away API certificate.
		cmd.Env = append(os.Environ(), "REQUESTS_CA_BUNDLE="+peb.APICAFile)
		out, err := cmd.CombinedOutput()
		if err != nil {
			if b, rerr := os.ReadFile(filepath.Join(cb, "logs", "letsencrypt.log")); rerr == nil {
				t.Logf("--- letsencrypt.log (tail) ---\n%s", b[max(0, len(b)-6000):])
			}
			t.Fatalf("certbot %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}

	out := runCertbot("--nginx", "-d", name,
		"--agree-tos", "-m", "ops@lostinnl.test",
		"--nginx-server-root", site.Dir, "--nginx-ctl", nginxBin,
		"--http-01-port", fmt.Sprint(site.HTTPPort), "--https-port", fmt.Sprint(site.HTTPSPort),
		// Our HTTP server block already redirects everything but ACME challenges.
		"--no-redirect",
	)
	if !strings.Contains(out, "Successfully deployed certificate") {
		t.Fatalf("certbot did not report deploying the certificate:\n%s", out)
	}

	// certbot edited our server block in place: the Let's Encrypt certificate instead of
	// the placeholder, and no listener of its own (it would bind every interface).
	conf, err := os.ReadFile(site.site())
	if err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(cb, "config", "live", name)
	if !strings.Contains(string(conf), filepath.Join(live, "fullchain.pem")) || strings.Contains(string(conf), site.CertFile) {
		t.Fatalf("certbot did not install the certificate into lostinnl.conf:\n%s", conf)
	}
	for _, line := range strings.Split(string(conf), "\n") {
		if strings.Contains(line, "managed by Certbot") {
			t.Logf("certbot changed: %s", strings.TrimSpace(line))
		}
	}
	for _, m := range listenRE.FindAllStringSubmatch(string(conf), -1) {
		if !strings.HasPrefix(m[1], "127.0.0.1:") && !strings.HasPrefix(m[1], "[::1]:") {
			t.Errorf("listen %s is not loopback: certbot added a listener on all interfaces", m[1])
		}
	}
	if out, err := exec.Command(nginxBin, site.nginxArgs("-t")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t after certbot: %v\n%s", err, out)
	}

	roots := peb.RootPool(t)
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:       pebbletest.LoopbackDialer(),
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	httpsURL := fmt.Sprintf("https://%s:%d/", name, site.HTTPSPort)

	// certbot reloads nginx and returns; old workers may still hold the placeholder for a
	// moment, so retry until the chain verifies (bounded).
	var resp *http.Response
	var body []byte
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, body, err = fetch(client, httpsURL)
		var unknown x509.UnknownAuthorityError
		if err == nil || !errors.As(err, &unknown) || time.Now().After(deadline) {
			break
		}
		client.CloseIdleConnections()
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("HTTPS through nginx, verified against pebble's root: %v", err)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Missing Persons NL</title>") {
		t.Fatalf("home page over HTTPS: status %d, body %.300q", resp.StatusCode, body)
	}
	if resp.Proto != "HTTP/2.0" {
		t.Errorf("HTTPS served over %s, want HTTP/2", resp.Proto)
	}
	if ids := resp.Header.Values("X-Request-ID"); len(ids) != 1 {
		t.Errorf("X-Request-ID headers %q, want exactly one", ids)
	}
	leaf := resp.TLS.PeerCertificates[0]
	if leaf.VerifyHostname(name) != nil || leaf.Issuer.CommonName == name {
		t.Errorf("served certificate %q issued by %q is not pebble's for %s", leaf.Subject, leaf.Issuer, name)
	}

	// Plain HTTP redirects to HTTPS.
	resp, _, err = fetch(client, fmt.Sprintf("http://%s:%d/cases?q=x", name, site.HTTPPort))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "https://"+name+"/cases?q=x" {
		t.Errorf("HTTP: status %d Location %q, want 301 to https://%s/cases?q=x", resp.StatusCode, resp.Header.Get("Location"), name)
	}

	// Renewal: the dry run repeats the challenge through nginx. The server URL is not
	// taken from the renewal file for dry runs, so it is given again (certbotArgs does).
	out = runCertbot("renew", "--dry-run", "--no-random-sleep-on-renew")
	if !strings.Contains(out, "simulated renewals succeeded") && !strings.Contains(out, "Congratulations, all simulated renewals succeeded") {
		t.Fatalf("renew --dry-run did not report success:\n%s", out)
	}
	// And nginx still serves the real certificate afterwards.
	client.CloseIdleConnections()
	if resp, _, err = fetch(client, httpsURL); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTPS after renew --dry-run: %v", err)
	}
}

func fetch(c *http.Client, url string) (*http.Response, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("request %s: %w", url, err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", url, err)
	}
	return resp, b, nil
}
