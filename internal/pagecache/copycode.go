package pagecache

import (
	"encoding/binary"
	"errors"
	"sync"
)

// Pages are kept as copies: a page is a list of steps, each a few literal
// bytes followed by a copy of bytes seen before, in the route's dictionary
// or earlier in the page itself. It is deflate's LZ77 without deflate's
// Huffman coding, so a page keeps in ~35 % more bytes (780 against 568 for
// a case page of ~10 KB), but answering it is a few hundred memory copies:
// 1.2 µs against 11–12 µs to inflate, on every hit for a client that does
// not take gzip, and before the gzip memo for one that does; and keeping
// it costs ~15 µs instead of 165–215 µs to deflate (docs/performance.md).
//
// A step is one token byte, its high four bits the literal length and
// its low four the copy length less copyMin (15 in either: the rest
// follows as a uvarint), the literal bytes, the copy's position (two
// bytes, little-endian) in the dictionary followed by the page so far,
// then the rest of the copy length if any. The last step is literals
// only: the page ends after them.
const (
	copyMin  = 6  // a copy costs three bytes; shorter ones are sent as literals
	hashBits = 12 // of the tables that find where a copy may come from
	dictWays = 4  // dictionary positions kept per hash: the most recent ones
	// maxRef bounds copy positions (two bytes): the dictionary (at most
	// maxDict) and the page's first bytes after it. A page longer than
	// that copies from its tail only what the dictionary has.
	maxRef = 1 << 16
	// maxCopyRun ends the search for a better copy: a copy this long is
	// as good as a longer one within a few bytes.
	maxCopyRun = 32
)

// hash6 is the hash of the six bytes at b[0:6] (b must have eight).
func hash6(b []byte) uint32 {
	v := binary.LittleEndian.Uint64(b) << 16
	return uint32((v * 0x9E3779B185EBCA87) >> (64 - hashBits))
}

// dictTable indexes d: for each hash, the last dictWays positions (plus
// one; zero is empty) of six bytes with that hash, most recent first.
func dictTable(d []byte) []uint16 {
	t := make([]uint16, dictWays<<hashBits)
	for i := 0; i+8 <= len(d); i++ {
		h := hash6(d[i:]) * dictWays
		copy(t[h+1:h+dictWays], t[h:h+dictWays-1])
		t[h] = uint16(i + 1)
	}
	return t
}

// sameRun is how many bytes a and b have in common from their start.
func sameRun(a, b []byte) int {
	n := 0
	for n+8 <= len(a) && n+8 <= len(b) {
		if x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:]); x != 0 {
			for x&0xff == 0 {
				x >>= 8
				n++
			}
			return n
		}
		n += 8
	}
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// selfTables are encode's index of the page being kept (8 KB each).
var selfTables = sync.Pool{New: func() any { return new([1 << hashBits]uint16) }}

// encodeCopies appends src, coded against dict (whose dictTable is table;
// both may be empty), to out. len(dict) must be at most maxDict.
func encodeCopies(out, dict []byte, table []uint16, src []byte) []byte {
	self := selfTables.Get().(*[1 << hashBits]uint16)
	defer selfTables.Put(self)
	clear(self[:])
	nd := len(dict)
	// lit is where the pending literals start; prevEnd is where the last
	// copy ended, in the dictionary-then-page positions: pages of a route
	// differ in short runs (a name, a date), so the next copy most often
	// starts where the last one ended plus the literals in between.
	lit, i, prevEnd := 0, 0, 0
	for i+8 <= len(src) {
		h := hash6(src[i:])
		n, pos := 0, 0
		if e := prevEnd + i - lit; e < nd {
			if k := sameRun(src[i:], dict[e:]); k >= copyMin {
				n, pos = k, e
			}
		} else if e-nd < i && e < maxRef {
			if k := sameRun(src[i:], src[e-nd:]); k >= copyMin {
				n, pos = k, e
			}
		}
		for w := range uint32(dictWays) {
			if n >= maxCopyRun || len(table) == 0 {
				break
			}
			p := int(table[h*dictWays+w]) - 1
			if p < 0 {
				break
			}
			if k := sameRun(src[i:], dict[p:]); k > n {
				n, pos = k, p
			}
		}
		if p := int(self[h]) - 1; p >= 0 && n < maxCopyRun {
			// A copy may run on into the bytes it makes (a run of
			// one repeated string), as in deflate.
			if k := sameRun(src[i:], src[p:]); k > n {
				n, pos = k, nd+p
			}
		}
		if nd+i+1 < maxRef {
			self[h] = uint16(i + 1)
		}
		if n < copyMin {
			i++
			continue
		}
		// Grow the copy backwards over literals that match too (the hash
		// found it a few bytes in), never across the dictionary's end.
		for i > lit && pos > 0 && pos != nd {
			var prev byte
			if pos < nd {
				prev = dict[pos-1]
			} else {
				prev = src[pos-nd-1]
			}
			if prev != src[i-1] {
				break
			}
			i, pos, n = i-1, pos-1, n+1
		}
		out = appendStep(out, src[lit:i], n, pos)
		i += n
		lit, prevEnd = i, pos+n
	}
	ll := len(src) - lit
	out = append(out, byte(min(ll, 15))<<4)
	if ll >= 15 {
		out = binary.AppendUvarint(out, uint64(ll-15))
	}
	return append(out, src[lit:]...)
}

func appendStep(out, lits []byte, n, pos int) []byte {
	ll, cl := len(lits), n-copyMin
	out = append(out, byte(min(ll, 15))<<4|byte(min(cl, 15)))
	if ll >= 15 {
		out = binary.AppendUvarint(out, uint64(ll-15))
	}
	out = append(out, lits...)
	out = binary.LittleEndian.AppendUint16(out, uint16(pos))
	if cl >= 15 {
		out = binary.AppendUvarint(out, uint64(cl-15))
	}
	return out
}

var errCorrupt = errors.New("page cache: a kept page does not decode")

// decodeCopies appends the page coded in z against dict to dst, refusing
// to make more than size bytes. The cache decodes only what it coded, but
// a bug must give an error (the page is then built again), never a wrong
// page or a panic.
func decodeCopies(dst, dict, z []byte, size int) ([]byte, error) {
	start, nd := len(dst), len(dict)
	length := func(n int) (int, bool) { // a length whose nibble was 15
		v, k := binary.Uvarint(z)
		if k <= 0 || v > uint64(size) {
			return 0, false
		}
		z = z[k:]
		return n + int(v), true
	}
	for len(z) > 0 {
		tok := z[0]
		z = z[1:]
		ll, ok := int(tok>>4), true
		if ll == 15 {
			if ll, ok = length(ll); !ok {
				return nil, errCorrupt
			}
		}
		if ll > len(z) || len(dst)-start+ll > size {
			return nil, errCorrupt
		}
		dst = append(dst, z[:ll]...)
		z = z[ll:]
		if len(z) == 0 {
			break
		}
		if len(z) < 2 {
			return nil, errCorrupt
		}
		pos := int(binary.LittleEndian.Uint16(z))
		z = z[2:]
		n := int(tok&15) + copyMin
		if tok&15 == 15 {
			if n, ok = length(n); !ok {
				return nil, errCorrupt
			}
		}
		if len(dst)-start+n > size {
			return nil, errCorrupt
		}
		if pos < nd {
			if pos+n > nd {
				return nil, errCorrupt
			}
			dst = append(dst, dict[pos:pos+n]...)
		} else {
			q := start + pos - nd
			if q >= len(dst) {
				return nil, errCorrupt
			}
			// The copy may run on into the bytes it makes: copy what
			// exists, then what that made, and so on.
			for n > 0 {
				k := min(n, len(dst)-q)
				dst = append(dst, dst[q:q+k]...)
				q, n = q+k, n-k
			}
		}
	}
	if len(dst)-start != size {
		return nil, errCorrupt
	}
	return dst, nil
}
