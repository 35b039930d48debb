package pagecache

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 27, 22, 0, 0, 0, time.UTC)

// TestFillAcrossPurge: a page built from rows read before a change
// must not be kept once the purge announcing the change has happened.
func TestFillAcrossPurge(t *testing.T) {
	c := New(Options{Now: func() time.Time { return testNow }})
	_, f, leader, _ := c.lookup("/cases/1")
	if !leader {
		t.Fatal("not leader on a miss")
	}
	c.Purge() // the change lands while the leader renders
	c.finish("/cases/1", f, &cachedPage{status: 200, z: compress(nil, []byte("old")), size: 3, header: http.Header{}})
	if p, _, _, _ := c.lookup("/cases/1"); p != nil {
		t.Error("a page rendered before the purge was kept")
	}
	if n, _ := c.Len(); n != 0 {
		t.Errorf("%d pages kept", n)
	}
	// The same with Confirm seeing a new revision.
	c.Confirm(1)
	_, f, _, _ = c.lookup("/cases/2")
	c.Confirm(2)
	c.finish("/cases/2", f, &cachedPage{status: 200, z: compress(nil, []byte("old")), size: 3, header: http.Header{}})
	if n, _ := c.Len(); n != 0 {
		t.Errorf("%d pages kept after a new revision", n)
	}
}

func TestBounded(t *testing.T) {
	const budget = 64 << 10
	c := New(Options{MaxBytes: budget, Now: func() time.Time { return testNow }})
	body := bytes.Repeat([]byte("<p>Last seen near the wharf.</p>\n"), 200)
	for i := 0; i < 500; i++ {
		key := fmt.Sprint("/cases?q=", i)
		_, f, leader, _ := c.lookup(key)
		if !leader {
			t.Fatal("not leader on a miss")
		}
		c.finish(key, f, &cachedPage{status: 200, z: compress(nil, append(body, strconv.Itoa(i)...)), size: len(body), header: http.Header{}})
	}
	pages, size := c.Len()
	if size > budget || pages < 10 || pages >= 500 || len(c.entries) != pages || len(c.inflight) != 0 {
		t.Fatalf("pages %d, %d bytes (budget %d), entries %d, inflight %d", pages, size, budget, len(c.entries), len(c.inflight))
	}
	if p, _, _, _ := c.lookup("/cases?q=499"); p == nil {
		t.Error("most recent entry evicted")
	}
	if p, _, _, _ := c.lookup("/cases?q=0"); p != nil {
		t.Error("oldest entry kept")
	}
	// An entry larger than the whole budget is not kept (and evicts nothing).
	huge := make([]byte, 2*budget)
	rnd := rand.New(rand.NewPCG(1, 2))
	for i := range huge {
		huge[i] = byte(rnd.Uint32()) // incompressible
	}
	_, f, _, _ := c.lookup("/huge")
	c.finish("/huge", f, &cachedPage{status: 200, z: compress(nil, huge), size: len(huge), header: http.Header{}})
	if p, _, _, _ := c.lookup("/huge"); p != nil {
		t.Error("an entry above the budget was kept")
	}
	if n, _ := c.Len(); n != pages {
		t.Errorf("the refused entry evicted others: %d pages, had %d", n, pages)
	}
}
