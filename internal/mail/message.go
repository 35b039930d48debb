package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is one email ready to be built.
type Message struct {
	From      *mail.Address
	To        string // a bare address
	Subject   string
	Text      string
	HTML      string // "" = text only
	MessageID string // without angle brackets
	// UnsubscribeURL, when set, becomes List-Unsubscribe with RFC 8058
	// one-click POST.
	UnsubscribeURL string
	Date           time.Time
}

// ErrHeaderInjection: a value bound for a header holds a line break (or
// another control character). Such a message is refused, not cleaned up:
// it can only come from a bug or an attack, and a cleaned-up header would
// still carry text someone tried to smuggle in.
var ErrHeaderInjection = errors.New("control character in a mail header value")

func headerSafe(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return false
		}
	}
	return true
}

// Build renders m as an RFC 5322 message with CRLF line ends: text and
// HTML as multipart/alternative (both quoted-printable UTF-8), the
// subject and the sender's name RFC 2047 encoded when not ASCII.
func Build(m Message) ([]byte, error) {
	if m.From == nil {
		return nil, errors.New("build mail: no From")
	}
	for name, v := range map[string]string{
		"From name": m.From.Name, "From": m.From.Address, "To": m.To, "Subject": m.Subject,
		"Message-ID": m.MessageID, "List-Unsubscribe": m.UnsubscribeURL,
	} {
		if !headerSafe(v) {
			return nil, fmt.Errorf("build mail: %s: %w", name, ErrHeaderInjection)
		}
	}
	if strings.ContainsAny(m.MessageID, "<> ") || !strings.Contains(m.MessageID, "@") {
		return nil, errors.New("build mail: Message-ID must be local@domain without brackets or spaces")
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil || to.Name != "" {
		return nil, errors.New("build mail: To is not a bare address")
	}
	if m.UnsubscribeURL != "" && (!strings.HasPrefix(m.UnsubscribeURL, "https://") && !strings.HasPrefix(m.UnsubscribeURL, "http://") || strings.ContainsAny(m.UnsubscribeURL, "<> ")) {
		return nil, errors.New("build mail: List-Unsubscribe must be an http(s) URL")
	}
	if m.Date.IsZero() {
		m.Date = time.Now()
	}

	var buf bytes.Buffer
	h := func(k, v string) { buf.WriteString(k + ": " + v + "\r\n") }
	h("Date", m.Date.Format(time.RFC1123Z))
	h("From", m.From.String())
	h("To", (&mail.Address{Address: to.Address}).String())
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Message-ID", "<"+m.MessageID+">")
	h("MIME-Version", "1.0")
	// RFC 3834: automatic mail; well-behaved auto-responders stay quiet.
	h("Auto-Submitted", "auto-generated")
	if m.UnsubscribeURL != "" {
		h("List-Unsubscribe", "<"+m.UnsubscribeURL+">")
		h("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	}
	if m.HTML == "" {
		h("Content-Type", "text/plain; charset=utf-8")
		h("Content-Transfer-Encoding", "quoted-printable")
		buf.WriteString("\r\n")
		if err := writeQP(&buf, m.Text); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	}
	mw := multipart.NewWriter(&buf)
	h("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	buf.WriteString("\r\n")
	for _, part := range []struct{ ctype, body string }{{"text/plain; charset=utf-8", m.Text}, {"text/html; charset=utf-8", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, fmt.Errorf("build mail: %w", err)
		}
		if err := writeQP(w, part.body); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("build mail: %w", err)
	}
	return buf.Bytes(), nil
}

// writeQP writes body quoted-printable with CRLF line ends (the writer
// turns every line break into CRLF and keeps lines under 76 characters,
// so nothing in a body can reach the header section or the SMTP dot).
func writeQP(w interface{ Write([]byte) (int, error) }, body string) error {
	qp := quotedprintable.NewWriter(w)
	body = strings.ReplaceAll(body, "\r\n", "\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return fmt.Errorf("build mail: %w", err)
	}
	if err := qp.Close(); err != nil {
		return fmt.Errorf("build mail: %w", err)
	}
	return nil
}
