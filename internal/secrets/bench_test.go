package secrets

import (
	"context"
	"testing"
	"time"
)

// Benchmarks for one field the size of a phone number or e-mail address.
// The KMS variants include an HTTP round trip to fakeKMS on loopback, so
// they measure our overhead plus the SDK, not AWS latency.

var benchValue = []byte("reporter.person@example.org")

func benchSeal(b *testing.B, k *Keeper) {
	f := NewFieldCipher(k, nil)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Seal(ctx, benchValue, "cases", "reporter_email", 12345); err != nil {
			b.Fatal(err)
		}
	}
}

func benchOpen(b *testing.B, k *Keeper) {
	f := NewFieldCipher(k, nil)
	ctx := context.Background()
	sealed, err := f.Seal(ctx, benchValue, "cases", "reporter_email", 12345)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Open(ctx, sealed, "cases", "reporter_email", 12345); err != nil {
			b.Fatal(err)
		}
	}
}

func benchLocalKeeper(b *testing.B) *Keeper {
	k, err := OpenKeeper(context.Background(), "", b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { k.Close() })
	return k
}

func benchKMSKeeper(b *testing.B) *Keeper {
	l := startFakeKMS(b)
	l.createAlias(b, "alias/bench", l.createKey(b))
	return openTestKMSKeeper(b, l.keeperURL("alias/bench"))
}

func BenchmarkSealLocal(b *testing.B) { benchSeal(b, benchLocalKeeper(b)) }
func BenchmarkOpenLocal(b *testing.B) { benchOpen(b, benchLocalKeeper(b)) }
func BenchmarkSealKMS(b *testing.B)   { benchSeal(b, benchKMSKeeper(b)) }
func BenchmarkOpenKMS(b *testing.B)   { benchOpen(b, benchKMSKeeper(b)) } // data key cached after the first open

// BenchmarkOpenKMSCold empties the data-key cache before every open, so each
// open is a KMS Decrypt round trip (the first view of a record).
func BenchmarkOpenKMSCold(b *testing.B) {
	k := benchKMSKeeper(b)
	f := NewFieldCipher(k, nil)
	ctx := context.Background()
	sealed, err := f.Seal(ctx, benchValue, "cases", "reporter_email", 12345)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		k.cache = newDataKeyCache(time.Now)
		if _, err := f.Open(ctx, sealed, "cases", "reporter_email", 12345); err != nil {
			b.Fatal(err)
		}
	}
}
