package e2e

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/emersion/go-smtp"

	"lostinnl/internal/mail"
	"lostinnl/internal/mail/smtpurl"
	"lostinnl/internal/store"
)

// smtpSink is an SMTP server on loopback that keeps every message it is
// given: the real protocol, spoken by the real sender.
type smtpSink struct {
	port int
	mu   sync.Mutex
	msgs []sunk
}

type sunk struct {
	To  string
	Raw []byte
}

type sinkSession struct {
	sink *smtpSink
	to   []string
}

func (s *sinkSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	for _, to := range s.to {
		s.sink.msgs = append(s.sink.msgs, sunk{To: to, Raw: raw})
	}
	return nil
}
func (s *sinkSession) Reset()        { s.to = nil }
func (s *sinkSession) Logout() error { return nil }

func startSink(t *testing.T) *smtpSink {
	t.Helper()
	sink := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink.port = l.Addr().(*net.TCPAddr).Port
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return sink
}

func (k *smtpSink) received() []sunk {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]sunk(nil), k.msgs...)
}

// mailer is the fan-out worker and the SMTP sender of `serve`, driven step
// by step by the test.
type mailer struct {
	t      *testing.T
	fan    *mail.Fanouts
	sender *mail.Sender
}

func newMailer(t *testing.T, s *site, sink *smtpSink) *mailer {
	return &mailer{
		t:   t,
		fan: &mail.Fanouts{Store: s.st, Opener: s.cipher, Keys: s.mail, Templates: s.tpl, BaseURL: s.url, Owner: "e2e"},
		sender: &mail.Sender{
			Outbox: s.st, Opener: s.cipher, Owner: "e2e",
			Server:  smtpurl.Server{Host: "127.0.0.1", Port: sink.port, TLS: smtpurl.TLSNone},
			From:    &netmail.Address{Name: "Missing Persons NL", Address: "alerts@missing.example"},
			Backoff: func(int) time.Duration { return 0 },
		},
	}
}

// flush expands pending fan-outs and sends the whole outbox (a bound on
// rounds, not on time).
func (m *mailer) flush() {
	m.t.Helper()
	ctx := context.Background()
	for range 100 {
		did, err := m.fan.RunOnce(ctx)
		if err != nil {
			m.t.Fatalf("fan-out: %v", err)
		}
		if !did {
			break
		}
	}
	for range 100 {
		n, err := m.sender.SendBatch(ctx)
		if err != nil {
			m.t.Fatalf("send: %v", err)
		}
		if n == 0 {
			return
		}
	}
	m.t.Fatal("the outbox never drained")
}

// textPart is the decoded text/plain part of a received message, and its
// header.
func textPart(t *testing.T, raw []byte) (netmail.Header, string) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("received message does not parse: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err != nil {
			t.Fatalf("no text/plain part: %v", err)
		}
		if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			continue
		}
		// multipart.Reader decodes quoted-printable parts itself.
		b, err := io.ReadAll(p)
		if err != nil {
			t.Fatal(err)
		}
		return msg.Header, string(b)
	}
}

// TestFollowConfirmUpdateUnsubscribe is issue 16's browser flow: follow a
// case from its page, confirm from the link in the mail the SMTP server
// received, receive an update, stop it with one click; no JavaScript is
// needed on any of these pages, and axe finds nothing serious on them.
func TestFollowConfirmUpdateUnsubscribe(t *testing.T) {
	forEachDB(t, followFlow)
}

func followFlow(t *testing.T, db string) {
	tb := newTab(t)
	s := newSite(t, onDB(db))
	sink := startSink(t)
	m := newMailer(t, s, sink)
	ids := s.seed(seedCases)
	id := ids["Marigold Bakeapple"]
	m.flush() // the seed's own mail (to its fictional reporters)
	const follower = "follower@example.org"
	mine := func() []sunk {
		var out []sunk
		for _, g := range sink.received() {
			if g.To == follower {
				out = append(out, g)
			}
		}
		return out
	}
	axe := os.Getenv("LOSTINNL_TEST_AXE")
	var axeSrc string
	if axe != "" {
		axeSrc = axeSource(t)
	} else {
		t.Log("axe not configured (LOSTINNL_TEST_AXE): accessibility of the alert pages not checked here")
	}
	check := func(name string) {
		if axeSrc != "" {
			tb.axeCheck(axeSrc, name, tb.path())
		}
	}

	tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))
	check("case page with the follow form")
	tb.do("follow the case",
		chromedp.SendKeys(chromedp.ID("follow-email"), follower),
		chromedp.Click(chromedp.CSS(`form[action$="/follow"] button[type=submit]`)),
	)
	tb.waitFor("the answer page", `document.title.startsWith("Check your email")`, `location.href + " " + document.title`)
	check("answer page")

	m.flush()
	got := mine()
	if len(got) != 1 {
		t.Fatalf("after following: %d messages to the follower", len(got))
	}
	hdr, text := textPart(t, got[0].Raw)
	if !strings.Contains(hdr.Get("Subject"), "onfirm") {
		t.Errorf("confirmation subject %q", hdr.Get("Subject"))
	}
	link := regexp.MustCompile(regexp.QuoteMeta(s.url) + `/alerts/confirm\?token=[A-Za-z0-9_%-]+`).FindString(text)
	if link == "" {
		t.Fatalf("no confirmation link in the mail:\n%s", text)
	}

	// Opening the link is not confirming: a page with one button.
	tb.navigate(link)
	check("confirmation page")
	if subs := followers(t, s, id); len(subs) != 0 {
		t.Fatalf("confirmed by opening the link: %+v", subs)
	}
	tb.do("confirm", chromedp.Click(chromedp.ID("confirm-alerts")))
	tb.waitFor("the confirmed manage page", `document.getElementById("alerts-confirmed") !== null`, `location.href + " " + document.body.innerText.slice(0, 500)`)
	check("manage page")
	if !strings.Contains(tb.text(), "Updates about the appeal for Marigold Bakeapple") {
		t.Errorf("manage page does not list the case:\n%s", tail(tb.text(), 1500))
	}
	if subs := followers(t, s, id); len(subs) != 1 {
		t.Fatalf("followers after confirming: %d", len(subs))
	}

	// An update is posted: the follower gets it, with a one-click link.
	if _, err := s.st.AddUpdate(context.Background(), id, "Police have searched the trail near the pond.", nil); err != nil {
		t.Fatal(err)
	}
	m.flush()
	got = mine()
	if len(got) != 2 {
		t.Fatalf("after an update: %d messages", len(got))
	}
	hdr, text = textPart(t, got[1].Raw)
	if !strings.Contains(text, "Police have searched the trail near the pond.") {
		t.Errorf("update mail does not carry the update:\n%s", text)
	}
	if hdr.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", hdr.Get("List-Unsubscribe-Post"))
	}
	unsub := strings.Trim(hdr.Get("List-Unsubscribe"), "<>")
	if !strings.HasPrefix(unsub, s.url+mail.UnsubscribePath+"?token=") {
		t.Fatalf("List-Unsubscribe %q", hdr.Get("List-Unsubscribe"))
	}

	// One click in the browser: the link's page, the button of this mail.
	tb.navigate(unsub)
	tb.do("stop these emails", chromedp.Click(chromedp.ID("unsubscribe-current")))
	tb.waitFor("the stopped notice", `document.getElementById("alerts-stopped") !== null`, `location.href + " " + document.body.innerText.slice(0, 500)`)
	check("manage page after stopping")
	if subs := followers(t, s, id); len(subs) != 0 {
		t.Fatalf("followers after unsubscribing: %d", len(subs))
	}

	// The mail provider's RFC 8058 POST to the same link, from outside the
	// site: accepted (it is idempotent) with no cookie and no JavaScript.
	req, err := http.NewRequest(http.MethodPost, unsub, strings.NewReader(url.Values{"List-Unsubscribe": {"One-Click"}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://mail.example.net")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("one-click POST: status %d", res.StatusCode)
	}

	// Nothing more reaches the former follower.
	if _, err := s.st.AddUpdate(context.Background(), id, "A second update.", nil); err != nil {
		t.Fatal(err)
	}
	m.flush()
	if n := len(mine()); n != 2 {
		t.Fatalf("after unsubscribing, %d messages (want still 2)", n)
	}

	tb.navigate(s.url + "/alerts")
	check("area alerts page")
	tb.noPageErrors()
}

func followers(t *testing.T, s *site, caseID int64) []store.Subscription {
	t.Helper()
	subs, err := s.st.Followers(context.Background(), caseID, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	return subs
}
