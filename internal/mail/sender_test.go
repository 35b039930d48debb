package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-smtp"

	"lostinnl/internal/mail/smtpurl"
	"lostinnl/internal/store"
)

func TestSenderDeliversOverSTARTTLSWithAuth(t *testing.T) {
	for _, mech := range []string{smtpurl.AuthPlain, smtpurl.AuthLogin} {
		t.Run(mech, func(t *testing.T) {
			ts := newTestServer(t)
			st, f := testStore(t)
			queue(t, st, 3, "deliver")
			var results []string
			s := newSender(ts, st, f, "a")
			s.Server.Auth = mech
			s.Attempt = func(r string) { results = append(results, r) }
			drain(t, s)
			got := ts.got()
			if len(got) != 3 {
				t.Fatalf("%d delivered, want 3", len(got))
			}
			for _, r := range got {
				if !r.TLS || r.User != testUser || r.From != "alerts@lostinnl.test" {
					t.Fatalf("delivery %+v: want TLS and AUTH as %s from alerts@", r, testUser)
				}
				msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
				if err != nil {
					t.Fatal(err)
				}
				if msg.Header.Get("To") != "<"+r.To+">" || !strings.HasPrefix(r.MessageID, "<deliver-") {
					t.Fatalf("headers %v", msg.Header)
				}
			}
			if st := stats(t, st); st[store.MailSent] != 3 || st[store.MailQueued] != 0 {
				t.Fatalf("states %v", st)
			}
			if strings.Join(results, ",") != "sent,sent,sent" {
				t.Fatalf("attempt results %v", results)
			}
		})
	}
}

// TestSenderRefusesWrongPassword: refused credentials fail the
// connection, not the message.
func TestSenderRefusesWrongPassword(t *testing.T) {
	ts := newTestServer(t)
	st, f := testStore(t)
	queue(t, st, 1, "badpass")
	s := newSender(ts, st, f, "a")
	s.Server.Password = "wrong"
	if _, err := s.SendBatch(context.Background()); err == nil || !strings.Contains(err.Error(), "auth") {
		t.Fatalf("err = %v, want an auth error", err)
	}
	// Bad credentials are the operator's problem, not the message's: it
	// stays queued for later rather than failing.
	if st := stats(t, st); st[store.MailQueued] != 1 || len(ts.got()) != 0 {
		t.Fatalf("states %v, delivered %d", st, len(ts.got()))
	}
}

func TestSenderRetriesTemporaryFailures(t *testing.T) {
	for name, code := range map[string]int{"421": 421, "451": 451} {
		t.Run(name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.setOnData(func(n int) error {
				if n <= 2 {
					return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
				}
				return nil
			})
			st, f := testStore(t)
			queue(t, st, 1, "temp")
			var results []string
			s := newSender(ts, st, f, "a")
			s.Attempt = func(r string) { results = append(results, r) }
			drain(t, s)
			if got := ts.got(); len(got) != 1 {
				t.Fatalf("%d delivered, want 1", len(got))
			}
			msgs, _, _ := st.ListOutbox(context.Background(), store.OutboxFilter{})
			if msgs[0].State != store.MailSent || msgs[0].Attempts != 3 {
				t.Fatalf("message %+v: want sent on the 3rd attempt", msgs[0])
			}
			if strings.Join(results, ",") != "temporary,temporary,sent" {
				t.Fatalf("results %v", results)
			}
		})
	}
}

func TestSenderGivesUpAfterMaxAttempts(t *testing.T) {
	ts := newTestServer(t)
	ts.setOnData(func(int) error { return &smtp.SMTPError{Code: 451, Message: "greylisted"} })
	st, f := testStore(t)
	queue(t, st, 1, "exhaust")
	s := newSender(ts, st, f, "a")
	drain(t, s)
	msgs, _, _ := st.ListOutbox(context.Background(), store.OutboxFilter{})
	if msgs[0].State != store.MailFailed || msgs[0].Attempts != s.MaxAttempts || !strings.Contains(msgs[0].LastError, "gave up after 4 attempts") {
		t.Fatalf("message %+v", msgs[0])
	}
}

func TestSenderDoesNotRetryPermanentFailures(t *testing.T) {
	ts := newTestServer(t)
	ts.setOnData(func(n int) error {
		if n == 1 {
			return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
		}
		return nil
	})
	st, f := testStore(t)
	queue(t, st, 2, "perm")
	drain(t, newSender(ts, st, f, "a"))
	msgs, _, _ := st.ListOutbox(context.Background(), store.OutboxFilter{})
	// Newest first: perm-1 then perm-0.
	if msgs[1].State != store.MailFailed || msgs[1].Attempts != 1 || !strings.Contains(msgs[1].LastError, "550") {
		t.Fatalf("refused message %+v: want failed after one attempt", msgs[1])
	}
	// The connection stayed usable for the next message.
	if msgs[0].State != store.MailSent || len(ts.got()) != 1 {
		t.Fatalf("next message %+v, delivered %d", msgs[0], len(ts.got()))
	}
	ts.mu.Lock()
	datas := ts.datas
	ts.mu.Unlock()
	if datas != 2 {
		t.Fatalf("%d DATA commands, want 2 (no retry of the 550)", datas)
	}
}

// TestSenderConnectionDroppedMidData: the connection breaks during DATA.
// Before the server stored the message: retried, delivered once. After
// it stored it (the reply never came): retried, so a duplicate — with the
// same Message-ID. Never none.
func TestSenderConnectionDroppedMidData(t *testing.T) {
	for name, drop := range map[string]error{"before storing": errDropBefore, "after storing": errDropAfter} {
		t.Run(name, func(t *testing.T) {
			ts := newTestServer(t)
			ts.setOnData(func(n int) error {
				if n == 1 {
					return drop
				}
				return nil
			})
			st, f := testStore(t)
			queue(t, st, 2, "drop")
			var results []string
			s := newSender(ts, st, f, "a")
			s.Attempt = func(r string) { results = append(results, r) }
			drain(t, s)
			if st := stats(t, st); st[store.MailSent] != 2 {
				t.Fatalf("states %v: both must be sent", st)
			}
			byID := map[string]int{}
			for _, r := range ts.got() {
				byID[r.MessageID]++
			}
			if len(byID) != 2 {
				t.Fatalf("distinct messages delivered: %v", byID)
			}
			want := 1
			if drop == errDropAfter {
				want = 2
			}
			if byID["<drop-0@lostinnl.test>"] != want || byID["<drop-1@lostinnl.test>"] != 1 {
				t.Fatalf("deliveries by Message-ID %v, want drop-0 ×%d", byID, want)
			}
			if results[0] != ResultNetwork {
				t.Fatalf("results %v: first must be a network failure", results)
			}
		})
	}
}

// TestSenderReusesOneConnectionPerBatch: a batch is one connection.
func TestSenderReusesOneConnectionPerBatch(t *testing.T) {
	ts := newTestServer(t)
	st, f := testStore(t)
	queue(t, st, 20, "reuse")
	s := newSender(ts, st, f, "a")
	s.Batch = 20
	if n, err := s.SendBatch(context.Background()); err != nil || n != 20 {
		t.Fatal(n, err)
	}
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if len(ts.received) != 20 || len(ts.conns) != 1 {
		t.Fatalf("%d delivered over %d connections, want 20 over 1", len(ts.received), len(ts.conns))
	}
}

// TestSenderRequiresSTARTTLS: a server that offers no STARTTLS gets no
// password and no message in clear text; the message waits.
func TestSenderRequiresSTARTTLS(t *testing.T) {
	ts := startTestServer(t, false)
	st, f := testStore(t)
	queue(t, st, 1, "notls")
	_, err := newSender(ts, st, f, "a").SendBatch(context.Background())
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Fatalf("err = %v, want a STARTTLS error", err)
	}
	if st := stats(t, st); st[store.MailQueued] != 1 || len(ts.got()) != 0 {
		t.Fatalf("states %v, delivered %d", st, len(ts.got()))
	}
}

// TestBuiltMessageParses: what the server received is a well-formed
// multipart/alternative message with the headers the issue asks for.
func TestBuiltMessageParses(t *testing.T) {
	ts := newTestServer(t)
	st, f := testStore(t)
	ctx := context.Background()
	if _, err := st.Enqueue(ctx, store.Mail{
		MessageID: "parse-1@lostinnl.test", Kind: "test", To: "reader@example.org",
		Subject: "Appel: Siobhán Ní Bhriain — mise à jour", Text: "Line one\n.\nLine after a lone dot\n", HTML: "<p>Bonjour</p>",
		UnsubscribeURL: "https://missingpersons.example.ca/alerts/unsubscribe?token=abc",
	}); err != nil {
		t.Fatal(err)
	}
	drain(t, newSender(ts, st, f, "a"))
	got := ts.got()
	if len(got) != 1 {
		t.Fatal(len(got))
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || subj != "Appel: Siobhán Ní Bhriain — mise à jour" {
		t.Fatalf("subject %q, %v", subj, err)
	}
	if strings.ContainsFunc(msg.Header.Get("Subject"), func(r rune) bool { return r > 127 }) {
		t.Fatal("raw non-ASCII in the Subject header")
	}
	for k, want := range map[string]string{
		"Auto-Submitted":        "auto-generated",
		"List-Unsubscribe":      "<https://missingpersons.example.ca/alerts/unsubscribe?token=abc>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"Message-Id":            "<parse-1@lostinnl.test>",
		"From":                  `"LostInNL Alerts" <alerts@lostinnl.test>`,
		"Mime-Version":          "1.0",
	} {
		if v := msg.Header.Get(k); v != want {
			t.Errorf("%s = %q, want %q", k, v, want)
		}
	}
	if _, err := msg.Header.Date(); err != nil {
		t.Errorf("Date: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q", mt)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p) // multipart decodes quoted-printable
		types = append(types, p.Header.Get("Content-Type"))
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") && string(body) != "Line one\r\n.\r\nLine after a lone dot\r\n" {
			t.Fatalf("text body %q", body)
		}
	}
	if strings.Join(types, "|") != "text/plain; charset=utf-8|text/html; charset=utf-8" {
		t.Fatalf("parts %v", types)
	}
}

// TestSenderUnreachableServerOneConnectPerBatch: when the server cannot
// be reached, a batch tries to connect once, not once per message, and
// every message waits in the queue.
func TestSenderUnreachableServerOneConnectPerBatch(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var accepts atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepts.Add(1)
			_ = c.Close() // hang up before the greeting
		}
	}()
	st, f := testStore(t)
	queue(t, st, 5, "down")
	s := newSender(newTestServer(t), st, f, "a")
	s.Server.Port = l.Addr().(*net.TCPAddr).Port
	var results []string
	s.Attempt = func(r string) { results = append(results, r) }
	if n, err := s.SendBatch(context.Background()); n != 5 || err == nil {
		t.Fatalf("SendBatch = %d, %v", n, err)
	}
	if accepts.Load() != 1 {
		t.Fatalf("%d connections for one batch", accepts.Load())
	}
	if st := stats(t, st); st[store.MailQueued] != 5 {
		t.Fatalf("states %v", st)
	}
	if strings.Join(results, ",") != "network" {
		t.Fatalf("results %v: one attempt recorded", results)
	}
}
