package pagecache

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// TestWatch: the watcher confirms each revision it reads (a new
// one drops the pages), logs a failing read once and its recovery once,
// and stops with its context.
func TestWatch(t *testing.T) {
	c := New(Options{TTL: time.Hour, ConfirmWithin: time.Hour})
	var mu sync.Mutex
	reads := []error{nil, errors.New("database down"), errors.New("still down"), nil, nil}
	revs := []int64{1, 0, 0, 1, 2}
	i := 0
	gen := make(chan uint64, 16)
	ctx, cancel := context.WithCancel(context.Background())
	read := func(context.Context) (int64, error) {
		mu.Lock()
		defer mu.Unlock()
		if i >= len(reads) {
			cancel()
			return revs[len(revs)-1], nil
		}
		k := i
		i++
		c.mu.Lock()
		gen <- c.gen
		c.mu.Unlock()
		return revs[k], reads[k]
	}
	var logs bytes.Buffer
	var lmu sync.Mutex
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		lmu.Lock()
		defer lmu.Unlock()
		return logs.Write(p)
	}), nil))
	done := make(chan struct{})
	go func() { c.Watch(ctx, read, time.Millisecond, logger); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second): // a guard, not a timing assertion
		t.Fatal("Watch did not stop with its context")
	}
	close(gen)
	var gens []uint64
	for g := range gen {
		gens = append(gens, g)
	}
	// Purges (gen++) happen only when a confirmed revision differs from the
	// last: 1 → (failures) → 1 keeps, 1 → 2 drops.
	if len(gens) != 5 || gens[4] != gens[0] || c.gen != gens[0]+1 {
		t.Errorf("generations seen %v, final %d: want no purge until the revision moves, then one", gens, c.gen)
	}
	lmu.Lock()
	out := logs.String()
	lmu.Unlock()
	if n := bytes.Count([]byte(out), []byte("cannot read the content revision")); n != 1 {
		t.Errorf("failure logged %d times, want once:\n%s", n, out)
	}
	if n := bytes.Count([]byte(out), []byte("readable again")); n != 1 {
		t.Errorf("recovery logged %d times, want once:\n%s", n, out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
