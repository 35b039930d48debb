package store

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"

	"github.com/go-sql-driver/mysql"
)

// maxCAFileBytes bounds the CA bundle read at start-up (Amazon's global RDS
// bundle is about 160 KB), so a wrong path such as /dev/zero fails fast.
const maxCAFileBytes = 4 << 20

// mysqlTLS applies the TLS policy to a parsed DSN:
//
//   - caFile set: the server's certificate must chain to a CA in that PEM
//     bundle (the RDS CA bundle) and name the host; the DSN's tls= may be
//     absent, true or preferred, all meaning "verified TLS", never a
//     plaintext fall-back. tls=false or skip-verify contradict it: refused.
//   - tls=true: verified against the system's CA pool (the driver's default).
//   - tls=preferred and tls=skip-verify encrypt without checking who answers,
//     so anyone on the path can present their own certificate and read every
//     query and password hash: refused unless the host is this machine
//     (localhost, a loopback address or a unix socket), where nothing is on
//     the path.
//   - no tls=: plaintext, as the operator asked (a database on a private
//     network or this machine); RDS refuses it when require_secure_transport
//     is on.
//
// Every verified configuration requires TLS 1.2 or later.
func mysqlTLS(cfg *mysql.Config, caFile string) error {
	mode := strings.ToLower(cfg.TLSConfig)
	local := isLocalDB(cfg)
	if caFile != "" {
		switch mode {
		case "", "true", "preferred":
		default:
			return fmt.Errorf("tls=%s in the database URL contradicts the database CA file, which asks for a verified connection; use tls=true", mode)
		}
		pool, err := loadCAFile(caFile)
		if err != nil {
			return err
		}
		cfg.TLS = &tls.Config{RootCAs: pool, ServerName: dbHost(cfg), MinVersion: tls.VersionTLS12}
		cfg.AllowFallbackToPlaintext = false
		return nil
	}
	switch mode {
	case "preferred", "skip-verify":
		if !local {
			return fmt.Errorf("tls=%s encrypts without verifying the server's certificate, so anyone on the network path could pose as the database; use tls=true (the system's CA pool) or give the database CA file (the RDS CA bundle)", mode)
		}
	case "true":
		if cfg.TLS != nil {
			cfg.TLS.MinVersion = tls.VersionTLS12
		}
	}
	return nil
}

// loadCAFile reads a PEM bundle of CA certificates. Errors name the file
// (an operator's path, not a secret) and what is wrong with it.
func loadCAFile(path string) (*x509.CertPool, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("database CA file: %w", err)
	}
	defer f.Close()
	pemBytes, err := io.ReadAll(io.LimitReader(f, maxCAFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("database CA file: %w", err)
	}
	if len(pemBytes) > maxCAFileBytes {
		return nil, fmt.Errorf("database CA file %s: larger than %d MB, not a CA bundle", path, maxCAFileBytes>>20)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("database CA file %s: no PEM certificates in it (want the CA bundle, e.g. Amazon's global-bundle.pem)", path)
	}
	return pool, nil
}

// dbHost is the host name the server's certificate must carry.
func dbHost(cfg *mysql.Config) string {
	if h, _, err := net.SplitHostPort(cfg.Addr); err == nil {
		return h
	}
	return cfg.Addr
}

// isLocalDB reports a database on this machine: a unix socket, localhost or
// a loopback address.
func isLocalDB(cfg *mysql.Config) bool {
	if cfg.Net == "unix" {
		return true
	}
	h := dbHost(cfg)
	if strings.EqualFold(h, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(h)
	return err == nil && a.IsLoopback()
}

// isCertificateError reports whether err is the TLS handshake refusing the
// server's certificate (for a clear message: see openMySQL).
func isCertificateError(err error) bool {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
	)
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}
