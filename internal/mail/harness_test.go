package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"lostinnl/internal/mail/smtpurl"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// testServer is an in-process SMTP server speaking the real protocol:
// STARTTLS with a certificate made for the test, AUTH PLAIN and LOGIN
// (only after STARTTLS, as go-smtp's server enforces), and a per-DATA hook
// that decides the answer: accept, an SMTP error, or a dropped connection.
type testServer struct {
	addr string
	port int
	pool *x509.CertPool
	cert *x509.Certificate

	mu       sync.Mutex
	received []received
	datas    int             // DATA commands seen
	conns    map[string]bool // client addresses seen: one per TCP connection
	// onData answers DATA number n (from 1). nil = accept. errDropBefore
	// drops the connection before the message is stored, errDropAfter
	// after it is stored (the client never hears it was accepted).
	onData func(n int) error
}

var (
	errDropBefore = errors.New("drop before storing")
	errDropAfter  = errors.New("drop after storing")
)

type received struct {
	From, To  string
	Data      []byte
	MessageID string
	User      string
	TLS       bool
}

const testUser, testPass = "mailer", "s3cret-pass"

func newTestServer(t testing.TB) *testServer { return startTestServer(t, true) }

// startTestServer starts the server; withTLS false makes one that offers
// no STARTTLS.
func startTestServer(t testing.TB, withTLS bool) *testServer {
	t.Helper()
	cert, pool := selfSigned(t)
	ts := &testServer{pool: pool, cert: cert.Leaf}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		// A session starts per EHLO (again after STARTTLS); the client's
		// address and port name the TCP connection.
		ts.mu.Lock()
		if ts.conns == nil {
			ts.conns = map[string]bool{}
		}
		ts.conns[c.Conn().RemoteAddr().String()] = true
		ts.mu.Unlock()
		return &testSession{ts: ts, c: c}, nil
	}))
	srv.Domain = "localhost"
	if withTLS {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	srv.AllowInsecureAuth = false
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = l.Addr().String()
	ts.port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ts
}

func (ts *testServer) server() smtpurl.Server {
	return smtpurl.Server{Host: "127.0.0.1", Port: ts.port, TLS: smtpurl.TLSStartTLS, Username: testUser, Password: testPass, Auth: smtpurl.AuthPlain}
}

// setOnData installs the DATA hook under the server's lock: sessions read
// it under that lock, which orders the hook (and what it captures) before
// every use, even when the client is another process.
func (ts *testServer) setOnData(f func(n int) error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.onData = f
}

func (ts *testServer) got() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.received...)
}

type testSession struct {
	ts   *testServer
	c    *smtp.Conn
	user string
	from string
	to   []string
}

func (s *testSession) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != testUser || pass != testPass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	s.ts.mu.Lock()
	s.ts.datas++
	n := s.ts.datas
	hook := s.ts.onData
	s.ts.mu.Unlock()
	var verdict error
	if hook != nil {
		verdict = hook(n)
	}
	if verdict == errDropBefore {
		// Read a little of the message, then vanish mid-DATA.
		_, _ = io.CopyN(io.Discard, r, 64)
		_ = s.c.Conn().Close()
		return verdict
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if verdict != nil && verdict != errDropAfter {
		return verdict
	}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return &smtp.SMTPError{Code: 554, Message: "unparseable message"}
	}
	_, isTLS := s.c.TLSConnectionState()
	s.ts.mu.Lock()
	for _, to := range s.to {
		s.ts.received = append(s.ts.received, received{From: s.from, To: to, Data: data, MessageID: msg.Header.Get("Message-Id"), User: s.user, TLS: isTLS})
	}
	s.ts.mu.Unlock()
	if verdict == errDropAfter {
		_ = s.c.Conn().Close()
		return verdict
	}
	return nil
}

func (s *testSession) Reset()        { s.from, s.to = "", nil }
func (s *testSession) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN (go-sasl has only the
// client): "Username:", "Password:", then the check.
type loginServer struct {
	check func(user, pass string) error
	step  int
	user  string
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	switch l.step {
	case 0:
		l.step++
		if len(response) > 0 { // initial response carries the user name
			l.user = string(response)
			l.step++
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.user = string(response)
		l.step++
		return []byte("Password:"), false, nil
	default:
		return nil, true, l.check(l.user, string(response))
	}
}

func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "lostinnl test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// testStore is a migrated SQLite store with a real field cipher.
func testStore(t testing.TB) (*store.Store, *secrets.FieldCipher) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "mail.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st, withCipher(t, st)
}

const testKeeper = "base64key://smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4="

func withCipher(t testing.TB, st *store.Store) *secrets.FieldCipher {
	t.Helper()
	k, err := secrets.OpenKeeper(context.Background(), testKeeper, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = k.Close() })
	f := secrets.NewFieldCipher(k, nil)
	st.SetCipher(f)
	return f
}

func newSender(ts *testServer, st *store.Store, f *secrets.FieldCipher, owner string) *Sender {
	return &Sender{
		Outbox: st, Opener: f, Server: ts.server(), From: &mail.Address{Name: "LostInNL Alerts", Address: "alerts@lostinnl.test"},
		Owner: owner, TLSConfig: &tls.Config{RootCAs: ts.pool}, Batch: 50, MaxAttempts: 4,
		Backoff: func(int) time.Duration { return 0 }, Poll: 10 * time.Millisecond,
	}
}

func queue(t testing.TB, st *store.Store, n int, prefix string) {
	t.Helper()
	var msgs []store.Mail
	for i := range n {
		msgs = append(msgs, store.Mail{
			MessageID: prefix + "-" + itoa(i) + "@lostinnl.test", Kind: "test", To: "person" + itoa(i) + "@example.org",
			Subject: "Test message " + itoa(i), Text: "Hello " + itoa(i) + "\n", HTML: "<p>Hello " + itoa(i) + "</p>",
		})
		if len(msgs) == 500 || i == n-1 {
			if _, err := st.Enqueue(context.Background(), msgs...); err != nil {
				t.Fatal(err)
			}
			msgs = msgs[:0]
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// drain runs SendBatch until nothing is due; a bound on rounds, not time.
func drain(t testing.TB, s *Sender) {
	t.Helper()
	for range 10000 {
		n, err := s.SendBatch(context.Background())
		if err != nil {
			t.Logf("batch: %v", err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("outbox never drained")
}

func stats(t testing.TB, st *store.Store) map[store.MailState]int {
	t.Helper()
	s, err := st.OutboxStats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return s.ByState
}
