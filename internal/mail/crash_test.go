package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"lostinnl/internal/mail/smtpurl"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// childEnv makes the test binary run a sender instead of the tests (see
// TestMain), so a test can SIGKILL a real sender process mid-batch.
const childEnv = "LOSTINNL_MAIL_SENDER_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(childSender())
	}
	os.Exit(m.Run())
}

// childSender sends the outbox of the SQLite database named in the
// environment until nothing is left to send, then exits 0.
func childSender() int {
	ctx := context.Background()
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "child:", err); return 1 }
	st, err := store.Open(ctx, os.Getenv("MAIL_CHILD_DB"), store.PoolOptions{})
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	k, err := secrets.OpenKeeper(ctx, testKeeper, os.TempDir())
	if err != nil {
		return fail(err)
	}
	f := secrets.NewFieldCipher(k, nil)
	st.SetCipher(f)
	pemBytes, err := os.ReadFile(os.Getenv("MAIL_CHILD_CA"))
	if err != nil {
		return fail(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	port, _ := strconv.Atoi(os.Getenv("MAIL_CHILD_PORT"))
	lease, _ := time.ParseDuration(os.Getenv("MAIL_CHILD_LEASE"))
	batch, _ := strconv.Atoi(os.Getenv("MAIL_CHILD_BATCH"))
	s := &Sender{
		Outbox: st, Opener: f, From: &mail.Address{Address: "alerts@lostinnl.test"}, Owner: os.Getenv("MAIL_CHILD_OWNER"),
		Server:    smtpurl.Server{Host: "127.0.0.1", Port: port, TLS: smtpurl.TLSStartTLS, Username: testUser, Password: testPass, Auth: smtpurl.AuthPlain},
		TLSConfig: &tls.Config{RootCAs: pool}, Batch: max(batch, 50), Lease: lease, Backoff: func(int) time.Duration { return 0 },
	}
	for range 100000 {
		if _, err := s.SendBatch(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "child batch:", err)
		}
		stats, err := st.OutboxStats(ctx)
		if err != nil {
			return fail(err)
		}
		if stats.ByState[store.MailQueued]+stats.ByState[store.MailSending] == 0 {
			return 0
		}
		time.Sleep(20 * time.Millisecond) // leased rows of a dead sender come back when its lease ends
	}
	return fail(fmt.Errorf("outbox never emptied"))
}

func startSenderChild(t testing.TB, dbPath, caPath string, port int, owner string, extraEnv ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
	cmd.Env = append(os.Environ(), childEnv+"=1", "MAIL_CHILD_DB=sqlite:"+dbPath, "MAIL_CHILD_CA="+caPath,
		"MAIL_CHILD_PORT="+strconv.Itoa(port), "MAIL_CHILD_OWNER="+owner, "MAIL_CHILD_LEASE=300ms")
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// TestSenderKilledMidBatchLosesNothing: a sender process is SIGKILLed in
// the middle of a batch (while the server holds its DATA). A restarted
// sender delivers everything: the message in flight and the rest of the
// dead sender's batch come back when its lease runs out. Nothing is lost
// and, since the message in flight was not stored, nothing is doubled.
func TestSenderKilledMidBatchLosesNothing(t *testing.T) {
	ts := newTestServer(t)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "mail.db")
	st, err := store.Open(context.Background(), "sqlite:"+dbPath, store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	withCipher(t, st)
	const total = 120
	queue(t, st, total, "crash")

	caPath := filepath.Join(dir, "ca.pem")
	certs := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.cert.Raw})
	if err := os.WriteFile(caPath, certs, 0o600); err != nil {
		t.Fatal(err)
	}

	const killAt = 30
	inFlight := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	ts.setOnData(func(n int) error {
		if n == killAt {
			once.Do(func() { close(inFlight) })
			<-release
			return errDropBefore
		}
		return nil
	})
	first := startSenderChild(t, dbPath, caPath, ts.port, "first")
	select {
	case <-inFlight:
	case <-time.After(time.Minute): // a guard against a hung child, not a timing assertion
		_ = first.Process.Kill()
		t.Fatal("the sender never reached the message to kill it on")
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()
	close(release)
	if st := stats(t, st); st[store.MailSending] == 0 {
		t.Fatalf("states after the kill %v: the dead sender held no lease", st)
	}

	second := startSenderChild(t, dbPath, caPath, ts.port, "second")
	if err := second.Wait(); err != nil {
		t.Fatalf("restarted sender: %v", err)
	}
	seen := map[string]int{}
	for _, r := range ts.got() {
		seen[r.MessageID]++
	}
	for i := range total {
		id := "<crash-" + itoa(i) + "@lostinnl.test>"
		if seen[id] != 1 {
			t.Errorf("%s delivered %d times", id, seen[id])
		}
	}
	if st := stats(t, st); st[store.MailSent] != total {
		t.Fatalf("states %v", st)
	}
}
