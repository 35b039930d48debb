package ratelimit

import (
	"net/netip"
	"testing"
	"time"
)

var fixedNow = time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)

func TestPerIPIsBounded(t *testing.T) {
	l := New(60, 1, 100, func() time.Time { return fixedNow })
	for i := 0; i < 1000; i++ {
		a := netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		if ok, _ := l.Allow(a); !ok {
			t.Fatalf("fresh address %s limited", a)
		}
	}
	if n := l.Len(); n != 100 {
		t.Fatalf("limiter holds %d entries, want 100", n)
	}
	a := netip.AddrFrom4([4]byte{10, 0, 3, 231}) // the most recent one
	ok, wait := l.Allow(a)
	if ok || wait <= 0 {
		t.Fatalf("second post allowed=%v wait=%v", ok, wait)
	}
	// IPv6 addresses in one /64 share a bucket.
	x := netip.MustParseAddr("2001:db8:1:2::1")
	y := netip.MustParseAddr("2001:db8:1:2:ffff::9")
	if ok, _ := l.Allow(x); !ok {
		t.Fatal("first v6 post limited")
	}
	if ok, _ := l.Allow(y); ok {
		t.Fatal("same /64 got a fresh bucket")
	}
}
