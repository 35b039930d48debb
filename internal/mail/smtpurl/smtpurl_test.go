package smtpurl

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for raw, want := range map[string]Server{
		"smtps://mailer:p%40ss@email-smtp.ca-central-1.amazonaws.com:465": {Host: "email-smtp.ca-central-1.amazonaws.com", Port: 465, TLS: TLSImplicit, Username: "mailer", Password: "p@ss", Auth: AuthPlain},
		"smtp://u:pw@mail.example.ca":                                     {Host: "mail.example.ca", Port: 587, TLS: TLSStartTLS, Username: "u", Password: "pw", Auth: AuthPlain},
		"smtp://u:pw@mail.example.ca:2525?auth=login":                     {Host: "mail.example.ca", Port: 2525, TLS: TLSStartTLS, Username: "u", Password: "pw", Auth: AuthLogin},
		"smtp://127.0.0.1:1025?tls=none":                                  {Host: "127.0.0.1", Port: 1025, TLS: TLSNone},
		"smtp://[::1]:25/?tls=none":                                       {Host: "::1", Port: 25, TLS: TLSNone},
		"smtp://localhost:25?tls=none":                                    {Host: "localhost", Port: 25, TLS: TLSNone},
		"smtps://relay.example.ca":                                        {Host: "relay.example.ca", Port: 465, TLS: TLSImplicit},
	} {
		got, err := Parse(raw)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", raw, got, err, want)
		}
	}
}

func TestParseHostile(t *testing.T) {
	for raw, want := range map[string]string{
		"":                                    "scheme must be smtp or smtps",
		"mail.example.ca:25":                  "scheme must be smtp or smtps",
		"http://u:hunter22@x":                 "scheme must be smtp or smtps",
		"smtp://":                             "no host",
		"smtp:mail.example.ca":                "missing //",
		"smtp://u:hunter22@mail.example.ca:0": "port must be 1-65535",
		"smtp://u:hunter22@mail.example.ca:99999":           "port must be 1-65535",
		"smtp://u:hunter22@mail.example.ca:":                "empty port",
		"smtp://u:hunter22@mail.example.ca/x":               "unexpected path",
		"smtp://u:hunter22@mail.example.ca?tls=none":        "only allowed for a loopback host",
		"smtp://u:hunter22@10.0.0.1?tls=none":               "only allowed for a loopback host",
		"smtp://u:hunter22@localhost.evil.example?tls=none": "only allowed for a loopback host",
		"smtps://u:hunter22@127.0.0.1?tls=none":             "makes no sense",
		"smtp://u:hunter22@127.0.0.1?tls=off":               "tls= only takes none",
		"smtp://u:hunter22@x?auth=cram-md5":                 "auth= takes plain or login",
		"smtp://x?auth=plain":                               "auth= without a user name",
		"smtp://u:hunter22@x?tls=none&tls=none":             "given 2 times",
		"smtp://u:hunter22@x?verify=false":                  "unknown parameter",
		"smtp://:hunter22@x":                                "empty user name",
		"smtp://u:hunter22@x\r\nRCPT TO:<a@b>":              "control character",
		"smtp://u:hunter22@x#frag":                          "unexpected #fragment",
		"smtp://u:hunter22@%zz":                             "not a URL",
		"smtp://" + strings.Repeat("a", 100000):             "",
	} {
		_, err := Parse(raw)
		if want == "" {
			// Only that it does not panic and reveals nothing.
			if err != nil && strings.Contains(err.Error(), "hunter22") {
				t.Errorf("%q: error leaks the password", raw)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error = %v, want %q", raw, err, want)
			continue
		}
		if strings.Contains(err.Error(), "hunter22") {
			t.Errorf("%q: error leaks the password: %v", raw, err)
		}
	}
}
