package secrets

import (
	"crypto/sha256"
	"sync"
	"time"
)

// Data-key cache limits. Opening a field with KMS costs a network round trip
// (and a KMS request charge); an admin list of tips opens three fields per
// row, and the same rows are viewed again and again. Unwrapped data keys are
// therefore kept for a short while. The TTL bounds how long a value stays
// readable in a running process after KMS access is revoked.
const (
	dataKeyCacheSize = 4096
	dataKeyCacheTTL  = 5 * time.Minute
)

// dataKeyCache maps a wrapped data key (with its key id) to the unwrapped
// key. Only wrappers that are slow to ask (KMS) use it.
type dataKeyCache struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[[32]byte]cachedKey
}

type cachedKey struct {
	key     [dataKeySize]byte
	expires time.Time
}

func newDataKeyCache(now func() time.Time) *dataKeyCache {
	return &dataKeyCache{now: now, entries: map[[32]byte]cachedKey{}}
}

func cacheKey(id keyID, wrapped []byte) [32]byte {
	h := sha256.New()
	h.Write(id[:])
	h.Write(wrapped)
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// get returns a copy of the cached data key, or nil.
func (c *dataKeyCache) get(k [32]byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if !ok {
		return nil
	}
	if !c.now().Before(e.expires) {
		clear(e.key[:])
		delete(c.entries, k)
		return nil
	}
	out := make([]byte, dataKeySize)
	copy(out, e.key[:])
	return out
}

func (c *dataKeyCache) put(k [32]byte, dk []byte) {
	if len(dk) != dataKeySize {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= dataKeyCacheSize {
		// Drop expired entries; if that frees nothing, drop an arbitrary
		// tenth. Simpler than an LRU and good enough for a bounded cache.
		for key, e := range c.entries {
			if !now.Before(e.expires) {
				delete(c.entries, key)
			}
		}
		for key := range c.entries {
			if len(c.entries) < dataKeyCacheSize*9/10 {
				break
			}
			delete(c.entries, key)
		}
	}
	var e cachedKey
	copy(e.key[:], dk)
	e.expires = now.Add(dataKeyCacheTTL)
	c.entries[k] = e
}

func (c *dataKeyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
