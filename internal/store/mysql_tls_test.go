package store

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// fakeMySQL is just enough of a MySQL server to test the client's TLS: it
// sends a protocol v10 handshake advertising CLIENT_SSL, reads the client's
// SSL request, runs a TLS handshake with its own self-signed certificate
// and, if that succeeds, refuses the login with ERR 1045. handshakes counts
// the TLS handshakes that completed.
type fakeMySQL struct {
	addr       string
	caPEM      []byte
	handshakes atomic.Int32
}

func startFakeMySQL(t *testing.T) *fakeMySQL {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "fake mysql"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeMySQL{caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
	tlsCfg := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	f.addr = ln.Addr().String()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c, tlsCfg)
		}
	}()
	return f
}

// MySQL capability flags used by the fake server.
const (
	capLongPassword  = 1 << 0
	capProtocol41    = 1 << 9
	capSSL           = 1 << 11
	capSecureConn    = 1 << 15
	capPluginAuth    = 1 << 19
	fakeCapabilities = capLongPassword | capProtocol41 | capSSL | capSecureConn | capPluginAuth
)

func (f *fakeMySQL) serve(c net.Conn, cfg *tls.Config) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	// Protocol::HandshakeV10.
	var p []byte
	p = append(p, 10)                          // protocol version
	p = append(p, "8.0.36-fake"...)            // server version
	p = append(p, 0)                           //   NUL
	p = binary.LittleEndian.AppendUint32(p, 7) // connection id
	p = append(p, "abcdefgh"...)               // auth-plugin-data part 1
	p = append(p, 0)                           // filler
	p = binary.LittleEndian.AppendUint16(p, uint16(fakeCapabilities&0xffff))
	p = append(p, 45)                          // utf8mb4_general_ci
	p = binary.LittleEndian.AppendUint16(p, 2) // SERVER_STATUS_AUTOCOMMIT
	p = binary.LittleEndian.AppendUint16(p, uint16(fakeCapabilities>>16))
	p = append(p, 21)                  // auth-plugin-data length
	p = append(p, make([]byte, 10)...) // reserved
	p = append(p, "ijklmnopqrst"...)   // auth-plugin-data part 2 (12 bytes)
	p = append(p, 0)                   //   NUL
	p = append(p, "mysql_native_password"...)
	p = append(p, 0)
	if writePacket(c, 0, p) != nil {
		return
	}
	// The client's SSLRequest (32 bytes), then TLS on the same socket.
	if _, _, err := readPacket(c); err != nil {
		return
	}
	tc := tls.Server(c, cfg)
	if err := tc.Handshake(); err != nil {
		return
	}
	f.handshakes.Add(1)
	// The HandshakeResponse41 now comes over TLS; refuse the login.
	seq, _, err := readPacket(tc)
	if err != nil {
		return
	}
	e := []byte{0xff}
	e = binary.LittleEndian.AppendUint16(e, 1045)
	e = append(e, "#28000Access denied for user (fake server)"...)
	_ = writePacket(tc, seq+1, e)
}

func writePacket(w io.Writer, seq byte, payload []byte) error {
	h := []byte{byte(len(payload)), byte(len(payload) >> 8), byte(len(payload) >> 16), seq}
	_, err := w.Write(append(h, payload...))
	return err
}

func readPacket(r io.Reader) (byte, []byte, error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return h[3], b, err
}

func (f *fakeMySQL) dsn(params string) string {
	return "mysql://app:pw@tcp(" + f.addr + ")/lostinnl?" + params
}

// TestMySQLTLSVerifiesCertificate: with tls=true a server presenting a
// certificate from an unknown CA is refused during the TLS handshake, with
// a message that says so; given that CA as the CA file, the handshake
// succeeds (and the fake server's login refusal is what fails).
func TestMySQLTLSVerifiesCertificate(t *testing.T) {
	f := startFakeMySQL(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	_, err := Open(ctx, f.dsn("tls=true"), PoolOptions{})
	if err == nil {
		t.Fatal("connected to a server with an untrusted certificate")
	}
	if !isCertificateError(err) || !strings.Contains(err.Error(), "certificate is not trusted") {
		t.Fatalf("untrusted certificate: want a certificate error, got %v", err)
	}
	if n := f.handshakes.Load(); n != 0 {
		t.Fatalf("%d TLS handshakes completed with an untrusted certificate", n)
	}

	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, f.caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, params := range []string{"tls=true", "tls=preferred", ""} {
		before := f.handshakes.Load()
		_, err = Open(ctx, f.dsn(params), PoolOptions{CAFile: ca})
		var my *mysql.MySQLError
		if err == nil || isCertificateError(err) || !errors.As(err, &my) || my.Number != 1045 {
			t.Fatalf("%q with the CA file: want the fake server's login refusal after TLS, got %v", params, err)
		}
		if f.handshakes.Load() != before+1 {
			t.Fatalf("%q with the CA file: the TLS handshake did not complete", params)
		}
	}
}

// TestMySQLTLSPolicy: settings that encrypt without verifying are refused
// for a remote host (before any connection is made) and allowed on this
// machine; the CA file must be readable PEM and not contradict the URL.
func TestMySQLTLSPolicy(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("-----BEGIN NONSENSE-----\nhunter22\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	refused := []struct{ dsn, ca, want string }{
		{"mysql://app:hunter22@tcp(db.example.ca:3306)/x?tls=preferred", "", "tls=preferred encrypts without verifying"},
		{"mysql://app:hunter22@tcp(10.0.0.5:3306)/x?tls=skip-verify", "", "tls=skip-verify encrypts without verifying"},
		{"mysql://app:hunter22@tcp(db.example.ca:3306)/x?tls=false", notPEM, "contradicts the database CA file"},
		{"mysql://app:hunter22@tcp(db.example.ca:3306)/x?tls=skip-verify", notPEM, "contradicts the database CA file"},
		{"mysql://app:hunter22@tcp(db.example.ca:3306)/x?tls=true", filepath.Join(dir, "missing.pem"), "database CA file: open"},
		{"mysql://app:hunter22@tcp(db.example.ca:3306)/x?tls=true", notPEM, "no PEM certificates"},
		{"mysql://app:hunter22@tcp(db.example.ca:3306)/x?tls=true", dir, "database CA file"},
	}
	for _, c := range refused {
		_, err := Open(ctx, c.dsn, PoolOptions{CAFile: c.ca})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s (CA %q): want %q, got %v", c.dsn, c.ca, c.want, err)
		}
		if err != nil && strings.Contains(err.Error(), "hunter22") {
			t.Errorf("error leaks the password or file content: %v", err)
		}
	}
	// On this machine nothing is on the path: preferred is allowed and
	// connects (the fake server's certificate is not checked).
	f := startFakeMySQL(t)
	_, err := Open(ctx, f.dsn("tls=preferred"), PoolOptions{})
	var my *mysql.MySQLError
	if !errors.As(err, &my) || my.Number != 1045 || f.handshakes.Load() != 1 {
		t.Fatalf("tls=preferred on 127.0.0.1: %v (handshakes %d)", err, f.handshakes.Load())
	}
	for _, h := range []string{"localhost:3306", "[::1]:3306", "127.0.0.2:3306"} {
		cfg := mysql.NewConfig()
		cfg.Net, cfg.Addr, cfg.TLSConfig = "tcp", h, "skip-verify"
		if err := mysqlTLS(cfg, ""); err != nil {
			t.Errorf("%s: %v", h, err)
		}
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.TLSConfig = "unix", "/run/mysqld/mysqld.sock", "preferred"
	if err := mysqlTLS(cfg, ""); err != nil {
		t.Errorf("unix socket: %v", err)
	}
}
