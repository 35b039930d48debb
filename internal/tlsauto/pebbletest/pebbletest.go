// Package pebbletest runs Let's Encrypt's test ACME server, pebble, and its DNS
// companion pebble-challtestsrv on loopback for tests that obtain real certificates
// (internal/tlsauto and the certbot/nginx end-to-end test in deploy/).
//
// Debian's pebble ships no certificate for its own HTTPS API, so Start makes a
// throw-away CA and a "localhost" certificate for it. pebble-challtestsrv answers every
// A query with 127.0.0.1 (and no AAAA), so any test name resolves to loopback for
// pebble's validation authority. Both processes run in their own process group and are
// killed by t.Cleanup.
package pebbletest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// EnvVar gates every test that needs pebble: they run only when it is "1".
const EnvVar = "LOSTINNL_TEST_ACME"

// Options says where pebble's validation authority connects for each challenge type.
// Only loopback is used, so these are ports on 127.0.0.1.
type Options struct {
	// HTTPPort is where pebble sends HTTP-01 validation requests.
	HTTPPort int
	// TLSPort is where pebble sends TLS-ALPN-01 validation handshakes.
	TLSPort int
}

// Server is a running pebble plus pebble-challtestsrv.
type Server struct {
	// DirectoryURL is the ACME directory, https://localhost:PORT/dir.
	DirectoryURL string
	// APICAFile is the PEM file of the CA that signed pebble's API certificate,
	// for clients configured by file (REQUESTS_CA_BUNDLE for certbot).
	APICAFile string
	// Client is an HTTP client that trusts pebble's API certificate.
	Client *http.Client

	managementURL string
	dir           string
}

// Skip skips the test unless LOSTINNL_TEST_ACME=1, and fails it when the variable is
// set but the pebble binaries are missing (CI promised them, so that is a real failure).
func Skip(t testing.TB) {
	t.Helper()
	if os.Getenv(EnvVar) != "1" {
		t.Skipf("set %s=1 to run ACME tests against a local pebble (needs Debian packages pebble, nginx, certbot, python3-certbot-nginx)", EnvVar)
	}
	for _, bin := range []string{"pebble", "pebble-challtestsrv"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s=1 but %s is not installed: apt-get install -y pebble", EnvVar, bin)
		}
	}
}

// FreePort returns a currently unused TCP port on 127.0.0.1. Another process could take
// it before the caller binds it; on a test machine that is rare enough, and a collision
// shows up as a clear bind error rather than a wrong result.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start runs pebble-challtestsrv and pebble, waits until pebble's directory answers,
// and registers their shutdown with t.Cleanup.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	dir := t.TempDir()

	caPEM, certPEM, keyPEM, err := apiCertificate()
	if err != nil {
		t.Fatalf("pebble API certificate: %v", err)
	}
	caFile := filepath.Join(dir, "api-ca.pem")
	certFile := filepath.Join(dir, "api-cert.pem")
	keyFile := filepath.Join(dir, "api-key.pem")
	for name, data := range map[string][]byte{caFile: caPEM, certFile: certPEM, keyFile: keyPEM} {
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatalf("write %s: %v", name, err)
		}
	}

	dnsPort := FreePort(t)
	challMgmtPort := FreePort(t)
	apiPort := FreePort(t)
	mgmtPort := FreePort(t)

	// Only the DNS server is wanted from challtestsrv: its own challenge responders
	// would compete with the code under test, so they are disabled.
	StartProcess(t, dir, "challtestsrv", nil, "pebble-challtestsrv",
		"-dns01", fmt.Sprintf("127.0.0.1:%d", dnsPort),
		"-http01", "", "-https01", "", "-tlsalpn01", "",
		"-management", fmt.Sprintf("127.0.0.1:%d", challMgmtPort),
		"-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
	)

	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress":                  fmt.Sprintf("127.0.0.1:%d", apiPort),
		"managementListenAddress":        fmt.Sprintf("127.0.0.1:%d", mgmtPort),
		"certificate":                    certFile,
		"privateKey":                     keyFile,
		"httpPort":                       opts.HTTPPort,
		"tlsPort":                        opts.TLSPort,
		"ocspResponderURL":               "",
		"externalAccountBindingRequired": false,
	}}
	cfgJSON, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		t.Fatalf("pebble config: %v", err)
	}
	cfgFile := filepath.Join(dir, "pebble-config.json")
	if err := os.WriteFile(cfgFile, cfgJSON, 0o600); err != nil {
		t.Fatalf("write pebble config: %v", err)
	}
	env := []string{
		"PEBBLE_VA_NOSLEEP=1",      // no random 0-15 s pause before each validation
		"PEBBLE_WFE_NONCEREJECT=0", // do not reject 5% of nonces on purpose
	}
	StartProcess(t, dir, "pebble", env, "pebble",
		"-config", cfgFile, "-dnsserver", fmt.Sprintf("127.0.0.1:%d", dnsPort))

	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}
	s := &Server{
		DirectoryURL:  fmt.Sprintf("https://localhost:%d/dir", apiPort),
		APICAFile:     caFile,
		Client:        client,
		managementURL: fmt.Sprintf("https://localhost:%d", mgmtPort),
		dir:           dir,
	}
	WaitHTTP(t, client, s.DirectoryURL, 200)
	return s
}

// RootPool fetches the root certificate pebble issues under (it is generated anew at
// every start) and returns it as a pool for verifying served certificates.
func (s *Server) RootPool(t testing.TB) *x509.CertPool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.managementURL+"/roots/0", nil)
	if err != nil {
		t.Fatalf("pebble roots request: %v", err)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("fetch pebble root: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("fetch pebble root: status %d, err %v", resp.StatusCode, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(body) {
		t.Fatalf("pebble root is not PEM: %q", body)
	}
	return pool
}

// StartProcess starts name with args in its own process group, logging its output to
// dir/label.log, and registers a cleanup that kills the whole group and waits for it.
// If the test failed, the tail of the log is printed to help diagnose.
func StartProcess(t testing.TB, dir, label string, env []string, name string, args ...string) *exec.Cmd {
	t.Helper()
	logPath := filepath.Join(dir, label+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatalf("create %s: %v", logPath, err)
	}
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logFile.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the exit status of a killed helper says nothing useful
		close(done)
	}()
	t.Cleanup(func() {
		pgid := cmd.Process.Pid
		_ = syscall.Kill(-pgid, syscall.SIGTERM) // the group may already be gone
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			<-done
		}
		logFile.Close()
		if t.Failed() {
			if b, err := os.ReadFile(logPath); err == nil {
				t.Logf("--- %s output (last 4 KiB) ---\n%s", label, tail(b, 4096))
			}
		}
	})
	return cmd
}

// WaitHTTP polls url until it answers with the wanted status, for up to 30 seconds.
func WaitHTTP(t testing.TB, client *http.Client, url string, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			cancel()
			t.Fatalf("request %s: %v", url, err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body) // drain so the connection is reused
			resp.Body.Close()
			if resp.StatusCode == want {
				cancel()
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		cancel()
		lastErr = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not answer %d within 30s: %v", url, want, lastErr)
}

// LoopbackDialer returns a DialContext that sends every connection to 127.0.0.1 on the
// port the caller asked for, so a client can use a test name (for SNI, Host and
// certificate verification) without any DNS.
func LoopbackDialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		_, port, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, fmt.Errorf("loopback dial %q: %w", addr, err)
		}
		if _, err := strconv.Atoi(port); err != nil {
			return nil, fmt.Errorf("loopback dial %q: bad port", addr)
		}
		return d.DialContext(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
	}
}

// apiCertificate makes a throw-away CA and a certificate for localhost/127.0.0.1 signed
// by it, for pebble's own HTTPS API.
func apiCertificate() (caPEM, certPEM, keyPEM []byte, err error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("generate CA key: %w", err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "lostinnl test pebble API CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create CA certificate: %w", err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("generate API key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("create API certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("marshal API key: %w", err)
	}
	caPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
	return caPEM, certPEM, keyPEM, nil
}

// SelfSigned writes a self-signed certificate and key for names into dir (as
// name.crt/name.key) — the placeholder nginx needs before certbot replaces it.
func SelfSigned(t testing.TB, dir, name string, names ...string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatalf("generate placeholder key: %v", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(now.UnixNano()),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatalf("create placeholder certificate: %v", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatalf("marshal placeholder key: %v", err)
	}
	certFile = filepath.Join(dir, name+".crt")
	keyFile = filepath.Join(dir, name+".key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		t.Fatalf("write placeholder certificate: %v", err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatalf("write placeholder key: %v", err)
	}
	return certFile, keyFile
}

func tail(b []byte, n int) string {
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return strings.TrimSpace(string(b))
}
