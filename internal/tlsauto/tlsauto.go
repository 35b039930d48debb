// Package tlsauto lets a single lostinnl binary serve HTTPS without nginx or certbot:
// certificates for LOSTINNL_TLS_DOMAINS are obtained and renewed automatically over ACME
// (Let's Encrypt by default) with golang.org/x/crypto/acme/autocert.
//
// Two challenge types are supported, so either port being reachable is enough:
//   - TLS-ALPN-01 on the HTTPS listener, answered by the tls.Config from TLSConfig;
//   - HTTP-01 on port 80, answered by the handler from HTTPHandler, which also
//     redirects every other plain-HTTP request to HTTPS.
//
// Certificates and the ACME account key are cached in CacheDir (inside the data
// directory), so restarts do not ask the CA again and do not hit its rate limits.
package tlsauto

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
	"golang.org/x/net/idna"
)

// LetsEncryptURL is the production ACME directory, used when Config.DirectoryURL is empty.
const LetsEncryptURL = acme.LetsEncryptURL

// Config configures automatic certificates.
type Config struct {
	// Domains are the host names to obtain certificates for (LOSTINNL_TLS_DOMAINS).
	// The first one is canonical: plain-HTTP requests for any other host are redirected
	// there. Required.
	Domains []string
	// DirectoryURL is the ACME directory (LOSTINNL_ACME_DIRECTORY); empty means
	// Let's Encrypt production.
	DirectoryURL string
	// CacheDir holds the account key and certificates; created 0700 if missing. Required.
	CacheDir string
	// Email is an optional contact the CA may use for expiry or incident notices.
	Email string
	// HTTPClient talks to the ACME server; nil means a default client. Tests pass one
	// that trusts their local CA.
	HTTPClient *http.Client
	// HTTPSPort is the port HTTPS is served on, used in redirects; 0 means 443.
	HTTPSPort int
}

// Manager obtains, caches and renews certificates and answers ACME challenges.
type Manager struct {
	ac        *autocert.Manager
	domains   map[string]bool
	canonical string
	httpsPort int
}

// New validates cfg and returns a Manager. Nothing is requested from the CA until the
// first TLS handshake for one of the domains.
func New(cfg Config) (*Manager, error) {
	if len(cfg.Domains) == 0 {
		return nil, errors.New("tlsauto: no domains configured")
	}
	if cfg.CacheDir == "" {
		return nil, errors.New("tlsauto: cache directory is required")
	}
	if cfg.HTTPSPort < 0 || cfg.HTTPSPort > 65535 {
		return nil, fmt.Errorf("tlsauto: HTTPS port %d out of range", cfg.HTTPSPort)
	}
	domains := make(map[string]bool, len(cfg.Domains))
	ordered := make([]string, 0, len(cfg.Domains))
	for _, d := range cfg.Domains {
		name, err := NormalizeDomain(d)
		if err != nil {
			return nil, fmt.Errorf("tlsauto: %w", err)
		}
		if !domains[name] {
			domains[name] = true
			ordered = append(ordered, name)
		}
	}
	dirURL := cfg.DirectoryURL
	if dirURL == "" {
		dirURL = LetsEncryptURL
	}
	if err := checkDirectoryURL(dirURL); err != nil {
		return nil, fmt.Errorf("tlsauto: ACME directory %q: %w", dirURL, err)
	}
	m := &Manager{
		domains:   domains,
		canonical: ordered[0],
		httpsPort: cfg.HTTPSPort,
	}
	m.ac = &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(cfg.CacheDir),
		HostPolicy: m.hostPolicyFunc(),
		Email:      cfg.Email,
		Client: &acme.Client{
			DirectoryURL: dirURL,
			HTTPClient:   cfg.HTTPClient,
			UserAgent:    "lostinnl",
		},
	}
	return m, nil
}

// Domains returns the normalized domain names, canonical one first.
func (m *Manager) Domains() []string {
	out := []string{m.canonical}
	for d := range m.domains {
		if d != m.canonical {
			out = append(out, d)
		}
	}
	return out
}

// TLSConfig returns the configuration for the HTTPS listener: certificates come from
// the manager (obtained on first use), TLS-ALPN-01 challenges are answered, HTTP/2 is
// offered and TLS 1.2 is the minimum.
func (m *Manager) TLSConfig() *tls.Config {
	cfg := m.ac.TLSConfig() // NextProtos: h2, http/1.1, acme-tls/1
	cfg.MinVersion = tls.VersionTLS12
	return cfg
}

// HTTPHandler returns the handler for the plain-HTTP listener (port 80): it answers
// HTTP-01 challenges for the configured domains and redirects everything else to
// HTTPS. Calling it also enables the HTTP-01 challenge type, which autocert tries after
// TLS-ALPN-01.
func (m *Manager) HTTPHandler() http.Handler {
	acmeHandler := m.ac.HTTPHandler(http.HandlerFunc(m.redirect))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := m.knownHost(r.Host); !ok {
			// Unknown or malformed Host: never echo it into a Location header.
			m.redirectTo(w, r, m.canonical)
			return
		}
		// autocert passes r.Host to the host policy as is, and the CA's validation
		// request carries "name:80" (or another port): the policy below strips the port,
		// where autocert.HostWhitelist would refuse the challenge.
		acmeHandler.ServeHTTP(w, r)
	})
}

func (m *Manager) redirect(w http.ResponseWriter, r *http.Request) {
	host, ok := m.knownHost(r.Host)
	if !ok {
		host = m.canonical
	}
	m.redirectTo(w, r, host)
}

func (m *Manager) redirectTo(w http.ResponseWriter, r *http.Request, host string) {
	target := "https://" + host
	if m.httpsPort != 0 && m.httpsPort != 443 {
		target += ":" + strconv.Itoa(m.httpsPort)
	}
	// RequestURI is the path and query exactly as sent; only same-host targets result.
	uri := r.URL.RequestURI()
	if !strings.HasPrefix(uri, "/") {
		uri = "/"
	}
	target += uri
	// 308 keeps the method and body; browsers treat it like 301 for GET.
	code := http.StatusMovedPermanently
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		code = http.StatusPermanentRedirect
	}
	http.Redirect(w, r, target, code)
}

// checkDirectoryURL wants https; plain http only for a CA on loopback (a local test CA),
// the same rule as LOSTINNL_ACME_DIRECTORY in internal/config.
func checkDirectoryURL(v string) error {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" {
		return errors.New("not an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		h := u.Hostname()
		if ip := net.ParseIP(h); h == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return errors.New("must be https:// (plain http only for a loopback test CA)")
	default:
		return errors.New("must be an https:// URL")
	}
}

// knownHost strips any port from a Host header value, normalizes the name and reports
// whether it is one of ours.
func (m *Manager) knownHost(hostport string) (string, bool) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	name, err := NormalizeDomain(host)
	if err != nil {
		return "", false
	}
	return name, m.domains[name]
}

// hostPolicyFunc allows exactly the configured names. It is called with the TLS SNI
// name (no port) and, for HTTP-01, with the request's Host header (often with a port).
func (m *Manager) hostPolicyFunc() autocert.HostPolicy {
	return func(_ context.Context, host string) error {
		if _, ok := m.knownHost(host); !ok {
			return fmt.Errorf("tlsauto: host %q is not configured", host)
		}
		return nil
	}
}

// NormalizeDomain lowercases and IDNA-converts a configured or requested host name and
// rejects what cannot get a certificate here: empty names, IP addresses, wildcards
// (autocert cannot do DNS-01), names with ports, and malformed labels.
func NormalizeDomain(d string) (string, error) {
	d = strings.TrimSuffix(strings.TrimSpace(d), ".")
	if d == "" {
		return "", errors.New("empty domain name")
	}
	if strings.ContainsAny(d, ":/*@ ") {
		return "", fmt.Errorf("domain %q: only a plain host name is allowed", d)
	}
	if net.ParseIP(d) != nil {
		return "", fmt.Errorf("domain %q: IP addresses cannot get certificates here", d)
	}
	ascii, err := idna.Lookup.ToASCII(d)
	if err != nil {
		return "", fmt.Errorf("domain %q: %w", d, err)
	}
	ascii = strings.ToLower(ascii)
	if len(ascii) > 253 || !strings.Contains(ascii, ".") {
		return "", fmt.Errorf("domain %q: need a fully qualified name", d)
	}
	for _, label := range strings.Split(ascii, ".") {
		if !validLabel(label) {
			return "", fmt.Errorf("domain %q: bad label %q", d, label)
		}
	}
	return ascii, nil
}

// validLabel applies the DNS host name rules (RFC 1123) to one ASCII label: 1 to 63
// letters, digits and hyphens, not starting or ending with a hyphen.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for i := 0; i < len(l); i++ {
		c := l[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
