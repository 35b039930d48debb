package pagecache

import "hash/maphash"

// Admission. A cache that keeps every page it builds works while the pages
// asked for fit in its budget. When they do not (a site of 100,000 cases
// whose pages are walked by crawlers, or requested at random), every miss
// compresses its page (90–190 µs, a third to half of building it) for a
// cache that evicts it before anyone asks again, and the site was slower
// with the cache than without it (measured: docs/performance.md, "A cache
// that keeps what is asked again"). So once the budget is full, a new
// page is kept only when it was asked for more often, recently, than the
// page it would evict (TinyLFU's rule): a case shared on social media gets
// in by its second or third request, the one-off request of a crawler
// does not push it out, and nothing is compressed for nothing.

// freqSketch estimates how often each key was asked for recently: a
// count-min sketch (four rows of saturating counters, each key counted in
// one counter a row, its estimate the smallest of them). Counts are halved
// after every sample requests, so "often" means "often lately". Not safe
// for concurrent use: the cache calls it under its mutex.
type freqSketch struct {
	seed   maphash.Seed
	mask   uint32  // width - 1; width is a power of two
	counts []uint8 // rows × width, row-major
	added  int     // increments since the last halving
	sample int
}

const (
	sketchRows = 4
	sketchMax  = 15 // a counter saturates here: beyond, "often" is enough
)

// newFreqSketch sizes the sketch for about entries keys kept: width (a
// power of two, at least entries) counters a row, halved every ten widths
// of requests, so a key's count reflects its last few windows of traffic.
func newFreqSketch(entries int) *freqSketch {
	width := 1024
	for width < entries && width < 1<<22 {
		width <<= 1
	}
	return &freqSketch{seed: maphash.MakeSeed(), mask: uint32(width - 1),
		counts: make([]uint8, sketchRows*width), sample: 10 * width}
}

// slots returns key's counter in each row (double hashing of one 64-bit hash).
func (s *freqSketch) slots(key string) [sketchRows]int {
	h := maphash.String(s.seed, key)
	h1, h2 := uint32(h), uint32(h>>32)|1
	width := int(s.mask) + 1
	var out [sketchRows]int
	for i := range out {
		out[i] = i*width + int((h1+uint32(i)*h2)&s.mask)
	}
	return out
}

// add counts one request for key. Only the smallest of its counters grow
// (conservative update): a counter shared with a frequent key then says
// less about this one.
func (s *freqSketch) add(key string) {
	slots := s.slots(key)
	low := uint8(sketchMax)
	for _, i := range slots {
		low = min(low, s.counts[i])
	}
	if low == sketchMax {
		return
	}
	for _, i := range slots {
		if s.counts[i] == low {
			s.counts[i]++
		}
	}
	s.added++
	if s.added >= s.sample {
		for i := range s.counts {
			s.counts[i] >>= 1
		}
		s.added = 0
	}
}

// estimate returns how often key was asked for lately (never less than
// the truth; more when other keys share all its counters).
func (s *freqSketch) estimate(key string) uint8 {
	low := uint8(sketchMax)
	for _, i := range s.slots(key) {
		low = min(low, s.counts[i])
	}
	return low
}

// admit reports whether the page just built for key is worth compressing
// and keeping: always while the budget has room for another page of the
// average size kept; once it is full, only when key was asked for more
// often lately than the least recently used page, the one it would evict.
// (On a tie the page already kept stays: under requests spread evenly over
// more pages than fit, keeping each new one would evict pages as often as
// they are asked, for no more hits. But a key whose count is saturated is
// as frequent as any: it gets in, or a page that was popular before the
// last halving could hold its place against every newcomer until the next,
// which on a quiet site can be hours away.)
func (c *Cache) admit(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.lru.Len()
	if n == 0 || c.bytes+c.bytes/n <= c.maxBytes {
		return true
	}
	victim := c.lru.Back().Value.(*cachedPage)
	if f := c.freq.estimate(key); f == sketchMax || f > c.freq.estimate(victim.key) {
		return true
	}
	c.refused.Add(1)
	return false
}
