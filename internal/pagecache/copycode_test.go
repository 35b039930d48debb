package pagecache

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// similarPages returns n pages that share a layout and differ in short
// runs, as a route's pages do, and the layout's length.
func similarPages(rnd *rand.Rand, n int) [][]byte {
	word := func() string {
		var s strings.Builder
		for range 3 + rnd.IntN(7) {
			s.WriteByte(byte('a' + rnd.IntN(26)))
		}
		return s.String()
	}
	var head strings.Builder
	for range 600 {
		head.WriteString(word() + " ")
	}
	pages := make([][]byte, n)
	for i := range pages {
		var p strings.Builder
		p.WriteString("<!doctype html><header>" + head.String() + "</header><main>")
		for k := range 40 {
			fmt.Fprintf(&p, "<p class=\"field\">Field %d: %s %s</p>\n", k, word(), word())
		}
		p.WriteString("</main>")
		pages[i] = []byte(p.String())
	}
	return pages
}

func roundTrip(t *testing.T, dict, page []byte) []byte {
	t.Helper()
	if len(dict) > maxDict {
		dict = dict[len(dict)-maxDict:]
	}
	z := encodeCopies(nil, dict, dictTable(dict), page)
	got, err := decodeCopies([]byte("prefix"), dict, z, len(page))
	if err != nil {
		t.Fatalf("a page of %d bytes with a dictionary of %d: %v", len(page), len(dict), err)
	}
	if !bytes.Equal(got[len("prefix"):], page) || string(got[:len("prefix")]) != "prefix" {
		t.Fatalf("a page of %d bytes with a dictionary of %d does not decode to itself", len(page), len(dict))
	}
	return z
}

func TestCopiesRoundTrip(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	pages := similarPages(rnd, 6)
	random := make([]byte, 5000)
	for i := range random {
		random[i] = byte(rnd.Uint32())
	}
	long := bytes.Repeat(pages[1], 12) // past maxRef: its tail copies from the dictionary only
	cases := []struct {
		name       string
		dict, page []byte
		maxPercent int // the coded size at most this share of the page; 0: not checked
	}{
		{"empty page", pages[0], nil, 0},
		{"shorter than a hash", pages[0], []byte("<p>"), 0},
		{"similar page", pages[0], pages[1], 15},
		{"the dictionary itself", pages[0], pages[0], 2},
		{"no dictionary", nil, pages[2], 90}, // random words: only the markup repeats
		{"repeats within itself", nil, bytes.Repeat([]byte("<li>Kit Gullcry</li>"), 500), 2},
		{"random bytes", pages[0], random, 101},
		{"longer than the positions reach", pages[0], long, 10},
		{"dictionary at its limit", bytes.Repeat(pages[3], 5), pages[4], 15},
		{"long literal and copy runs", nil, append(append(random[:300:300], pages[5]...), pages[5]...), 70},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			z := roundTrip(t, tc.dict, tc.page)
			if tc.maxPercent > 0 && len(z)*100 > len(tc.page)*tc.maxPercent {
				t.Errorf("coded in %d of %d bytes, over %d %%", len(z), len(tc.page), tc.maxPercent)
			}
		})
	}
}

// TestDecodeRefusesDamage: a kept page cut short decodes to an error (or
// to itself), one with a byte changed to an error or to exactly its
// length, never past it and never with a panic (writeTo then builds the
// page instead).
func TestDecodeRefusesDamage(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	pages := similarPages(rnd, 2)
	dict, page := pages[0], append(pages[1], bytes.Repeat([]byte("x"), 300)...)
	z := encodeCopies(nil, dict, dictTable(dict), page)
	for cut := range len(z) {
		// Only the final empty step can go without losing a byte.
		if got, err := decodeCopies(nil, dict, z[:cut], len(page)); err == nil && !bytes.Equal(got, page) {
			t.Fatalf("cut to %d of %d bytes: no error", cut, len(z))
		}
	}
	for i := range z {
		for _, b := range []byte{0x00, 0xff, z[i] ^ 0x10, z[i] + 1} {
			bad := bytes.Clone(z)
			bad[i] = b
			if got, err := decodeCopies(nil, dict, bad, len(page)); err == nil && len(got) != len(page) {
				t.Fatalf("byte %d set to %#x: %d bytes and no error", i, b, len(got))
			}
		}
	}
	if _, err := decodeCopies(nil, dict, z, len(page)-1); err == nil {
		t.Error("a page longer than its recorded size decoded without an error")
	}
	if _, err := decodeCopies(nil, dict[:100], z, len(page)); err == nil {
		t.Error("a page decoded against a shorter dictionary than its own without an error")
	}
}

func FuzzCopies(f *testing.F) {
	rnd := rand.New(rand.NewPCG(5, 6))
	pages := similarPages(rnd, 2)
	f.Add(pages[0], pages[1])
	f.Add([]byte{}, []byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"))
	f.Add([]byte("0123456789"), []byte("01234567890123456789"))
	f.Fuzz(func(t *testing.T, dict, page []byte) {
		roundTrip(t, dict, page)
	})
}

// BenchmarkDecodeCopies: what answering a kept case-sized page costs,
// against BenchmarkInflate before the pages were kept this way.
func BenchmarkDecodeCopies(b *testing.B) {
	pages := similarPages(rand.New(rand.NewPCG(7, 8)), 2)
	dict := pages[0]
	z := encodeCopies(nil, dict, dictTable(dict), pages[1])
	buf := make([]byte, 0, len(pages[1]))
	b.SetBytes(int64(len(pages[1])))
	for b.Loop() {
		var err error
		if buf, err = decodeCopies(buf[:0], dict, z, len(pages[1])); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeCopies(b *testing.B) {
	pages := similarPages(rand.New(rand.NewPCG(7, 8)), 2)
	dict, table := pages[0], dictTable(pages[0])
	var out []byte
	b.SetBytes(int64(len(pages[1])))
	for b.Loop() {
		out = encodeCopies(out[:0], dict, table, pages[1])
	}
}
