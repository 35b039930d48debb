package telemetry

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}

func TestClientIP(t *testing.T) {
	trusted := prefixes(t, "127.0.0.1/32", "10.0.0.0/8", "::1/128", "fd00::/8")
	for _, tc := range []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"no proxy", "203.0.113.7:5555", nil, "203.0.113.7"},
		{"spoofed XFF from untrusted peer", "203.0.113.7:5555", []string{"1.2.3.4"}, "203.0.113.7"},
		{"trusted proxy", "127.0.0.1:40000", []string{"198.51.100.9"}, "198.51.100.9"},
		{"client prepends a fake", "127.0.0.1:40000", []string{"6.6.6.6, 198.51.100.9"}, "198.51.100.9"},
		{"many trusted hops skipped", "10.0.0.3:1", []string{"6.6.6.6, 198.51.100.9, 10.0.0.1, 10.0.0.2"}, "198.51.100.9"},
		{"several header lines", "10.0.0.3:1", []string{"6.6.6.6", "198.51.100.9, 10.0.0.1"}, "198.51.100.9"},
		{"all hops trusted", "127.0.0.1:1", []string{"10.0.0.9, 10.0.0.1"}, "10.0.0.9"},
		{"empty header from proxy", "127.0.0.1:1", []string{""}, "127.0.0.1"},
		{"garbage", "127.0.0.1:1", []string{"not-an-ip"}, "127.0.0.1"},
		{"garbage at right end", "127.0.0.1:1", []string{"198.51.100.9, <script>"}, "127.0.0.1"},
		{"garbage left of client ignored", "127.0.0.1:1", []string{"<script>, 198.51.100.9"}, "198.51.100.9"},
		{"empty element", "127.0.0.1:1", []string{"198.51.100.9,,"}, "127.0.0.1"},
		{"injection attempt", "127.0.0.1:1", []string{"198.51.100.9\r\nX-Evil: 1"}, "127.0.0.1"},
		{"ipv6 peer untrusted", "[2001:db8::5]:443", []string{"1.2.3.4"}, "2001:db8::5"},
		{"ipv6 proxy and client", "[::1]:8080", []string{"2001:db8::42"}, "2001:db8::42"},
		{"ipv6 with brackets and port", "[::1]:8080", []string{"[2001:db8::42]:1234"}, "2001:db8::42"},
		{"ipv6 in brackets", "[::1]:8080", []string{"[2001:db8::42]"}, "2001:db8::42"},
		{"ipv4 with port", "127.0.0.1:1", []string{"198.51.100.9:4711"}, "198.51.100.9"},
		{"ipv6 zone dropped", "[::1]:8080", []string{"fe80::1%eth0"}, "fe80::1"},
		{"mapped peer matches v4 prefix", "[::ffff:127.0.0.1]:1", []string{"198.51.100.9"}, "198.51.100.9"},
		{"mapped client unmapped", "127.0.0.1:1", []string{"::ffff:198.51.100.9"}, "198.51.100.9"},
		{"trusted v6 hops", "[fd00::1]:1", []string{"2001:db8::7, fd00::2, fd00::3"}, "2001:db8::7"},
		{"too many hops", "127.0.0.1:1", []string{strings.Repeat("10.0.0.1, ", 100) + "10.0.0.2"}, "127.0.0.1"},
		{"huge header, client near the right", "127.0.0.1:1", []string{strings.Repeat("6.6.6.6, ", 10000) + "198.51.100.9"}, "198.51.100.9"},
		{"remote without port", "192.0.2.1", nil, "192.0.2.1"},
		{"unparseable remote", "@unix", []string{"1.2.3.4"}, "invalid IP"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			for _, v := range tc.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := ClientIP(r, trusted).String(); got != tc.want {
				t.Errorf("ClientIP = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestClientIPNoTrustedProxies(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:9"
	r.Header.Set("X-Forwarded-For", "1.2.3.4")
	if got := ClientIP(r, nil).String(); got != "127.0.0.1" {
		t.Errorf("with no trusted proxies XFF must be ignored, got %s", got)
	}
}

func TestForwardedTLS(t *testing.T) {
	trusted := prefixes(t, "127.0.0.1/32")
	for _, tc := range []struct {
		name   string
		remote string
		tls    bool
		proto  []string
		want   bool
	}{
		{"direct TLS", "203.0.113.1:1", true, nil, true},
		{"plain", "203.0.113.1:1", false, nil, false},
		{"spoofed from untrusted", "203.0.113.1:1", false, []string{"https"}, false},
		{"trusted https", "127.0.0.1:1", false, []string{"https"}, true},
		{"trusted HTTPS upper", "127.0.0.1:1", false, []string{" HTTPS "}, true},
		{"trusted http", "127.0.0.1:1", false, []string{"http"}, false},
		{"appended chain uses right-most", "127.0.0.1:1", false, []string{"https, http"}, false},
		{"appended chain https last", "127.0.0.1:1", false, []string{"http, https"}, true},
		{"garbage", "127.0.0.1:1", false, []string{"https;evil"}, false},
		{"prefix only", "127.0.0.1:1", false, []string{"httpsx"}, false},
		{"trusted without header", "127.0.0.1:1", false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for _, v := range tc.proto {
				r.Header.Add("X-Forwarded-Proto", v)
			}
			if got := ForwardedTLS(r, trusted); got != tc.want {
				t.Errorf("ForwardedTLS = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRequestIDMiddleware(t *testing.T) {
	trusted := TrustedPeer(prefixes(t, "127.0.0.1/32"))
	for _, tc := range []struct {
		name, remote, header string
		adopt                bool
	}{
		{"trusted sane", "127.0.0.1:1", "nginx-0123456789abcdef", true},
		{"trusted with dots and underscores", "127.0.0.1:1", "a.b_c-D", true},
		{"untrusted", "203.0.113.5:1", "attacker-chosen-id", false},
		{"trusted too long", "127.0.0.1:1", strings.Repeat("a", 65), false},
		{"trusted exactly 64", "127.0.0.1:1", strings.Repeat("a", 64), true},
		{"trusted newline", "127.0.0.1:1", "abc\ndef", false},
		{"trusted space", "127.0.0.1:1", "abc def", false},
		{"trusted unicode", "127.0.0.1:1", "abcé", false},
		{"trusted empty", "127.0.0.1:1", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var inCtx string
			h := RequestIDMiddleware(trusted)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				inCtx = RequestID(r.Context())
			}))
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.header != "" {
				r.Header.Set(RequestIDHeader, tc.header)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			got := w.Header().Get(RequestIDHeader)
			if got != inCtx {
				t.Errorf("header %q != context %q", got, inCtx)
			}
			if tc.adopt {
				if got != tc.header {
					t.Errorf("id = %q, want adopted %q", got, tc.header)
				}
				return
			}
			if got == tc.header || len(got) != 32 || !ValidRequestID(got) {
				t.Errorf("want a fresh 32-hex id, got %q", got)
			}
		})
	}
}

func TestRequestIDNilTrustAndUniqueness(t *testing.T) {
	seen := map[string]bool{}
	h := RequestIDMiddleware(nil)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	for range 100 {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "127.0.0.1:1"
		r.Header.Set(RequestIDHeader, "fixed")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		id := w.Header().Get(RequestIDHeader)
		if id == "fixed" || seen[id] {
			t.Fatalf("id %q adopted or repeated", id)
		}
		seen[id] = true
	}
}

// TestClientIPCases are the cases the web layer relied on when it had its
// own copy of this function (moved here: one copy, tested where it lives).
func TestClientIPCases(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		remote, xff, want string
	}{
		{"203.0.113.5:1000", "", "203.0.113.5"},
		{"203.0.113.5:1000", "1.2.3.4", "203.0.113.5"},             // untrusted peer: XFF ignored
		{"10.0.0.1:1000", "198.51.100.1", "198.51.100.1"},          // trusted proxy
		{"10.0.0.1:1000", "6.6.6.6, 198.51.100.1", "198.51.100.1"}, // left part can be forged
		{"10.0.0.1:1000", "198.51.100.1, 10.0.0.2", "198.51.100.1"},
		{"10.0.0.1:1000", "garbage", "10.0.0.1"},
		{"[::1]:1000", "2001:db8::1", "2001:db8::1"},
		{"[::ffff:203.0.113.7]:1000", "", "203.0.113.7"},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := ClientIP(r, trusted).String(); got != c.want {
			t.Errorf("%s / %q: %s, want %s", c.remote, c.xff, got, c.want)
		}
	}
}
