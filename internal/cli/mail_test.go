package cli

import (
	"context"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// plainSMTP is a loopback SMTP server without TLS or AUTH (the ?tls=none
// case), collecting what it receives.
type plainSMTP struct {
	mu   sync.Mutex
	msgs []string // "to\ndata"
}

type plainSession struct {
	s  *plainSMTP
	to []string
}

func (p *plainSession) Mail(string, *smtp.MailOptions) error { return nil }
func (p *plainSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	p.to = append(p.to, to)
	return nil
}
func (p *plainSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	p.s.mu.Lock()
	defer p.s.mu.Unlock()
	for _, to := range p.to {
		p.s.msgs = append(p.s.msgs, to+"\n"+string(b))
	}
	return nil
}
func (p *plainSession) Reset()        { p.to = nil }
func (p *plainSession) Logout() error { return nil }

func startPlainSMTP(t *testing.T) (*plainSMTP, string) {
	t.Helper()
	ps := &plainSMTP{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &plainSession{s: ps}, nil }))
	srv.Domain = "localhost"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ps, l.Addr().String()
}

// TestServeSendsMail: `serve` with LOSTINNL_SMTP_URL runs the fan-out and
// the sender: a report with the reporter's address, made through the
// store of the running server's database, reaches the SMTP server.
func TestServeSendsMail(t *testing.T) {
	ps, addr := startPlainSMTP(t)
	env := tempEnv(t)
	env["LOSTINNL_SMTP_URL"] = "smtp://" + addr + "?tls=none"
	env["LOSTINNL_MAIL_FROM"] = "LostInNL Test <alerts@lostinnl.test>"
	_, ops, errb, stop := startServe(t, env)

	st, err := store.Open(context.Background(), "sqlite:"+env["LOSTINNL_DATA_DIR"]+"/lostinnl.db", store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Sealed with the server's keeper: the local key file it made.
	k, err := secrets.OpenKeeper(context.Background(), "", env["LOSTINNL_DATA_DIR"])
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	st.SetCipher(secrets.NewFieldCipher(k, nil))
	age := 30
	rc, err := st.CreateReport(context.Background(), &store.Case{
		FullName: "Wilhelmina Fictional", Age: &age, Sex: "female", LastSeenDate: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC),
		LastSeenPlace: "Duckworth Street", Community: "St. John's", Region: "Avalon", Circumstances: "fictional",
		PoliceAgency: "RNC", PoliceFileNumber: "2026-9001", PolicePhone: "709-555-0100",
	}, store.ReporterContact{Email: "reporter.person@example.org"}, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got string
	for range 1500 { // bounded wait for the background loops; not a timing assertion
		ps.mu.Lock()
		if len(ps.msgs) > 0 {
			got = ps.msgs[0]
		}
		ps.mu.Unlock()
		if got != "" {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.HasPrefix(got, "reporter.person@example.org\n") || !strings.Contains(got, rc.Reference) || !strings.Contains(got, "From: \"LostInNL Test\" <alerts@lostinnl.test>") {
		t.Fatalf("received %q; log:\n%s", got, errb.String())
	}
	// The outbox metrics are served on the ops listener.
	if code, body := get(t, ops+"/metrics"); code != 200 || !strings.Contains(body, `mail_send_attempts_total{result="sent"}`) || !strings.Contains(body, "outbox_oldest_queued_age_seconds") {
		t.Errorf("metrics %d lack the mail series", code)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}
