package telemetry

import (
	"net/http"
	"net/netip"
	"strings"
)

// maxForwardedHops bounds how many X-Forwarded-For entries we look at. Real
// chains are two or three proxies long; a header with thousands of entries is
// an attack on our CPU, and its left part is client-controlled anyway.
const maxForwardedHops = 32

// PeerAddr returns the address of the TCP peer (r.RemoteAddr), or the zero
// Addr when it cannot be parsed (for example a unix socket listener).
func PeerAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return normalizeAddr(ap.Addr())
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return normalizeAddr(a)
	}
	return netip.Addr{}
}

// normalizeAddr maps IPv4-in-IPv6 addresses to plain IPv4 (so that a
// 127.0.0.1/32 trust prefix matches a dual-stack listener's ::ffff:127.0.0.1)
// and drops zones, which never appear in a prefix.
func normalizeAddr(a netip.Addr) netip.Addr {
	return a.Unmap().WithZone("")
}

func inPrefixes(a netip.Addr, prefixes []netip.Prefix) bool {
	if !a.IsValid() {
		return false
	}
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// TrustedPeer returns a predicate telling whether a request came directly
// from one of the trusted proxies. It is the usual argument to
// RequestIDMiddleware.
func TrustedPeer(trusted []netip.Prefix) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return inPrefixes(PeerAddr(r), trusted)
	}
}

// ClientIP returns the address of the client that made the request.
//
// X-Forwarded-For is honoured only when the TCP peer is a trusted proxy. It is
// then read from the right: each trusted hop is skipped and the first address
// that is not a trusted proxy is the client, because everything to its left
// was written by the client itself and can be forged. If every hop is trusted
// the left-most one is returned. A malformed entry before a client is found
// means we cannot tell who sent the request, so the peer is returned.
func ClientIP(r *http.Request, trustedProxies []netip.Prefix) netip.Addr {
	peer := PeerAddr(r)
	if !inPrefixes(peer, trustedProxies) {
		return peer
	}
	values := r.Header.Values("X-Forwarded-For")
	if len(values) == 0 {
		return peer
	}
	// Several header lines are one list, in order (RFC 9110 section 5.3).
	hops := strings.Split(strings.Join(values, ","), ",")
	var last netip.Addr
	for i, seen := len(hops)-1, 0; i >= 0; i-- {
		if seen == maxForwardedHops {
			return peer
		}
		seen++
		a, ok := parseForwardedAddr(hops[i])
		if !ok {
			return peer
		}
		if !inPrefixes(a, trustedProxies) {
			return a
		}
		last = a
	}
	if last.IsValid() {
		return last
	}
	return peer
}

// parseForwardedAddr accepts the forms proxies actually write: a bare address
// ("192.0.2.1", "2001:db8::1"), or one with a port ("192.0.2.1:8080",
// "[2001:db8::1]:8080"), optionally surrounded by spaces.
func parseForwardedAddr(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return netip.Addr{}, false
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return normalizeAddr(a), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return normalizeAddr(ap.Addr()), true
	}
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		if a, err := netip.ParseAddr(s[1 : len(s)-1]); err == nil {
			return normalizeAddr(a), true
		}
	}
	return netip.Addr{}, false
}

// ForwardedTLS reports whether the client reached us over HTTPS: either the
// connection itself is TLS, or a trusted proxy says so with
// X-Forwarded-Proto: https. The header from any other peer is ignored; if a
// chain of proxies appended to it, the right-most value (written by the proxy
// talking to us) counts.
func ForwardedTLS(r *http.Request, trustedProxies []netip.Prefix) bool {
	if r.TLS != nil {
		return true
	}
	if !inPrefixes(PeerAddr(r), trustedProxies) {
		return false
	}
	values := r.Header.Values("X-Forwarded-Proto")
	if len(values) == 0 {
		return false
	}
	list := strings.Split(values[len(values)-1], ",")
	return strings.EqualFold(strings.TrimSpace(list[len(list)-1]), "https")
}
