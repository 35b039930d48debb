// Package smtpurl parses LOSTINNL_SMTP_URL into the settings of an SMTP
// connection. It owns the rules of that value (schemes, TLS, auth,
// defaults) so that internal/config refuses a bad value at start-up with
// the same rules internal/mail connects with. It does no I/O, and no error
// it returns contains the password.
package smtpurl

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// TLS modes.
const (
	TLSImplicit = "implicit" // smtps://: TLS from the first byte
	TLSStartTLS = "starttls" // smtp://: STARTTLS, required
	TLSNone     = "none"     // smtp://…?tls=none: plain text, loopback only
)

// Auth mechanisms.
const (
	AuthPlain = "plain"
	AuthLogin = "login"
)

// Server is a parsed LOSTINNL_SMTP_URL.
type Server struct {
	Host     string // host name or IP, without brackets
	Port     int
	TLS      string // TLSImplicit, TLSStartTLS or TLSNone
	Username string // "" = no AUTH
	Password string
	Auth     string // AuthPlain (default) or AuthLogin; "" when no Username
}

// Addr is host:port for dialling.
func (s Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Usage is the one-line shape of a valid value, for error messages.
const Usage = "want smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465; ?tls=none only for a loopback host; ?auth=plain|login"

// Parse reads a LOSTINNL_SMTP_URL value. Errors name what is wrong and
// never echo the value (it holds a password).
func Parse(raw string) (Server, error) {
	if strings.ContainsAny(raw, "\r\n\x00") {
		return Server{}, errors.New("contains a control character; " + Usage)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, errors.New("not a URL; " + Usage)
	}
	var s Server
	switch u.Scheme {
	case "smtp":
		s.TLS, s.Port = TLSStartTLS, 587
	case "smtps":
		s.TLS, s.Port = TLSImplicit, 465
	default:
		return Server{}, errors.New("scheme must be smtp or smtps; " + Usage)
	}
	if u.Opaque != "" {
		return Server{}, errors.New("missing // after the scheme; " + Usage)
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return Server{}, errors.New("no host; " + Usage)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Server{}, errors.New("port must be 1-65535; " + Usage)
		}
		s.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return Server{}, errors.New("empty port; " + Usage)
	}
	if u.Path != "" && u.Path != "/" {
		return Server{}, errors.New("unexpected path; " + Usage)
	}
	if u.Fragment != "" {
		return Server{}, errors.New("unexpected #fragment; " + Usage)
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
		if s.Username == "" {
			return Server{}, errors.New("empty user name; " + Usage)
		}
		s.Auth = AuthPlain
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Server{}, errors.New("bad query string; " + Usage)
	}
	for k, v := range q {
		if len(v) != 1 {
			return Server{}, fmt.Errorf("%s given %d times; %s", k, len(v), Usage)
		}
		switch k {
		case "tls":
			if v[0] != TLSNone {
				return Server{}, errors.New("tls= only takes none; " + Usage)
			}
			if s.TLS == TLSImplicit {
				return Server{}, errors.New("smtps:// with tls=none makes no sense; " + Usage)
			}
			if !loopback(s.Host) {
				return Server{}, errors.New("tls=none is only allowed for a loopback host (the password and the mail would cross the network in clear text); " + Usage)
			}
			s.TLS = TLSNone
		case "auth":
			switch v[0] {
			case AuthPlain, AuthLogin:
			default:
				return Server{}, errors.New("auth= takes plain or login; " + Usage)
			}
			if s.Username == "" {
				return Server{}, errors.New("auth= without a user name; " + Usage)
			}
			s.Auth = v[0]
		default:
			return Server{}, fmt.Errorf("unknown parameter %q; %s", clip(k), Usage)
		}
	}
	return s, nil
}

// loopback: "localhost" or a loopback IP. Other names are not resolved:
// what a name resolves to can change after start-up.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
