package mail

import (
	"bytes"
	"errors"
	"net/mail"
	"strings"
	"testing"
	"time"
)

func baseMessage() Message {
	return Message{
		From: &mail.Address{Name: "LostInNL Alerts", Address: "alerts@lostinnl.test"}, To: "reader@example.org",
		Subject: "Update", Text: "text", HTML: "<p>html</p>", MessageID: "m1@lostinnl.test",
		UnsubscribeURL: "https://lostinnl.test/alerts/unsubscribe?token=x", Date: time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC),
	}
}

// TestBuildRefusesHeaderInjection: CR, LF and other control characters in
// any header-bound field refuse the message; nothing is "cleaned up".
func TestBuildRefusesHeaderInjection(t *testing.T) {
	for _, bad := range []string{"\r\nBcc: victim@example.org", "\nX-Evil: 1", "\rX", "a\x00b", "a\u2028b", "\x85", "\t"} {
		for name, mod := range map[string]func(*Message){
			"subject":     func(m *Message) { m.Subject = "Hi" + bad },
			"to":          func(m *Message) { m.To = "reader@example.org" + bad },
			"from name":   func(m *Message) { m.From = &mail.Address{Name: "Alerts" + bad, Address: "alerts@lostinnl.test"} },
			"from":        func(m *Message) { m.From = &mail.Address{Address: "alerts@lostinnl.test" + bad} },
			"message id":  func(m *Message) { m.MessageID = "m1@lostinnl.test" + bad },
			"unsubscribe": func(m *Message) { m.UnsubscribeURL = "https://lostinnl.test/u" + bad },
		} {
			m := baseMessage()
			mod(&m)
			raw, err := Build(m)
			if !errors.Is(err, ErrHeaderInjection) {
				t.Errorf("%s with %q: err = %v, want ErrHeaderInjection", name, bad, err)
			}
			if raw != nil {
				t.Errorf("%s with %q: a message was built", name, bad)
			}
		}
	}
}

func TestBuildRefusesBadValues(t *testing.T) {
	for name, mod := range map[string]func(*Message){
		"to with a name":         func(m *Message) { m.To = "Someone <someone@example.org>" },
		"two recipients":         func(m *Message) { m.To = "a@example.org, b@example.org" },
		"message id brackets":    func(m *Message) { m.MessageID = "<m1@lostinnl.test>" },
		"message id no domain":   func(m *Message) { m.MessageID = "m1" },
		"unsubscribe javascript": func(m *Message) { m.UnsubscribeURL = "javascript:alert(1)" },
		"unsubscribe bracket":    func(m *Message) { m.UnsubscribeURL = "https://x/>, <mailto:evil@example.org" },
		"no from":                func(m *Message) { m.From = nil },
	} {
		m := baseMessage()
		mod(&m)
		if _, err := Build(m); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}

// TestBuildBodiesCannotForgeHeaders: a body full of header-looking lines
// and bare CRs stays in the body.
func TestBuildBodiesCannotForgeHeaders(t *testing.T) {
	m := baseMessage()
	m.Text = "\r\nBcc: victim@example.org\r\n\r\nX-Evil: yes\r.\r\n"
	m.HTML = ""
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get("Bcc") != "" || msg.Header.Get("X-Evil") != "" {
		t.Fatalf("body reached the headers: %v", msg.Header)
	}
	// (A line holding a lone dot is fine here: the SMTP client
	// dot-stuffs DATA; TestBuiltMessageParses sends one through.)
	for _, line := range strings.Split(string(raw), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Fatalf("bare CR or LF in %q", line)
		}
		if len(line) > 998 {
			t.Fatal("line over 998 characters")
		}
	}
}

func TestBuildTextOnly(t *testing.T) {
	m := baseMessage()
	m.HTML, m.UnsubscribeURL = "", ""
	raw, err := Build(m)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := mail.ReadMessage(bytes.NewReader(raw))
	if msg.Header.Get("Content-Type") != "text/plain; charset=utf-8" || msg.Header.Get("List-Unsubscribe") != "" || msg.Header.Get("List-Unsubscribe-Post") != "" {
		t.Fatalf("headers %v", msg.Header)
	}
	if msg.Header.Get("Date") != "Sat, 14 Mar 2026 09:30:00 +0000" {
		t.Fatalf("Date %q", msg.Header.Get("Date"))
	}
}
