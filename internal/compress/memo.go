package compress

import (
	"container/list"
	"hash/maphash"
	"sync"
)

// memo keeps the gzipped bytes of bodies answered more than once lately,
// so the same page is not compressed again for every client. Pages kept by
// the page cache are answered byte for byte alike to everyone, and a case
// shared on social media is asked for by thousands of phones, all of which
// accept gzip: compressing its ~11 KB each time took 150 µs of the 250 µs
// a cached answer cost them (docs/performance.md, "Gzip once for many").
// Pages that differ per request (the admin area, a search not seen before)
// are seen once and never kept: a body is kept the second time it is seen
// (seen remembers the first), and the kept ones are bounded in bytes, least
// recently used going first.
//
// A body is known by two independent 64-bit hashes and its length: the
// chance that two different bodies agree on all three is about 2⁻¹²⁸, far
// below that of a memory error, and keeping each body to compare it would
// cost five times the memory of its gzipped form.
type memo struct {
	seeds [2]maphash.Seed

	mu      sync.Mutex
	seen    map[memoKey]struct{} // bodies seen once since the last reset
	kept    map[memoKey]*list.Element
	lru     *list.List // of *memoEntry; front = most recently used
	bytes   int        // gzipped bytes kept
	max     int
	maxSeen int
}

type memoKey struct {
	h1, h2 uint64
	n      int
}

type memoEntry struct {
	key memoKey
	gz  []byte
}

// memoOverhead approximates an entry's cost besides its bytes (map slot,
// list element, entry).
const memoOverhead = 150

func newMemo(maxBytes int) *memo {
	return &memo{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()},
		seen: map[memoKey]struct{}{}, kept: map[memoKey]*list.Element{}, lru: list.New(),
		max: maxBytes, maxSeen: max(256, maxBytes/4096)}
}

func (m *memo) key(body []byte) memoKey {
	return memoKey{maphash.Bytes(m.seeds[0], body), maphash.Bytes(m.seeds[1], body), len(body)}
}

// get returns the gzipped bytes kept for k (never to be modified), and
// notes that k was seen.
func (m *memo) get(k memoKey) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.kept[k]; ok {
		m.lru.MoveToFront(el)
		return el.Value.(*memoEntry).gz, true
	}
	return nil, false
}

// put keeps gz for k if k was seen before (a copy: gz is the caller's).
func (m *memo) put(k memoKey, gz []byte) {
	cost := len(gz) + memoOverhead
	if cost > m.max/8 {
		return // one answer must not take a large share of the budget
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.kept[k]; ok {
		return // another client's compression of the same body got here first
	}
	if _, ok := m.seen[k]; !ok {
		if len(m.seen) >= m.maxSeen {
			clear(m.seen) // forget the bodies seen once: they were not asked for again soon
		}
		m.seen[k] = struct{}{}
		return
	}
	delete(m.seen, k)
	for m.bytes+cost > m.max && m.lru.Len() > 0 {
		old := m.lru.Remove(m.lru.Back()).(*memoEntry)
		delete(m.kept, old.key)
		m.bytes -= len(old.gz) + memoOverhead
	}
	m.kept[k] = m.lru.PushFront(&memoEntry{key: k, gz: append([]byte(nil), gz...)})
	m.bytes += cost
}
