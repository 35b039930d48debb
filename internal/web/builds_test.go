package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBuildSlotsBound: with 2 slots, 16 concurrent requests never build
// more than 2 pages at once, and every one gets its own page.
func TestBuildSlotsBound(t *testing.T) {
	slots := make(buildSlots, 2)
	var running, most atomic.Int32
	h := slots.limit(func(w http.ResponseWriter, r *http.Request) error {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond) // a build in progress, for the others to pile up
		running.Add(-1)
		w.Header().Set("Cache-Control", "public, max-age=60")
		_, _ = w.Write([]byte("page " + r.URL.Query().Get("n")))
		return nil
	})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			rec := httptest.NewRecorder()
			q := "/?n=" + string(rune('a'+i))
			if err := h(rec, httptest.NewRequest(http.MethodGet, q, nil)); err != nil {
				t.Error(err)
				return
			}
			if want := "page " + string(rune('a'+i)); rec.Body.String() != want || rec.Code != 200 ||
				rec.Header().Get("Content-Length") != "6" || rec.Header().Get("Cache-Control") != "public, max-age=60" {
				t.Errorf("answer %d %q %v, want %q", rec.Code, rec.Body.String(), rec.Header(), want)
			}
		})
	}
	wg.Wait()
	if m := most.Load(); m > 2 || m < 1 {
		t.Errorf("%d pages built at once with 2 slots", m)
	}
}

// blockingWriter is a client that does not read: Write waits until
// released.
type blockingWriter struct {
	*httptest.ResponseRecorder
	writing chan struct{}
	release chan struct{}
}

func (b *blockingWriter) Write(p []byte) (int, error) {
	close(b.writing)
	<-b.release
	return b.ResponseRecorder.Write(p)
}

// TestBuildSlotsNotHeldByClient: the slot is free again before the page is
// written, so a client that does not read cannot hold it; a build that
// fails leaves none of its headers; a visitor who leaves while waiting
// gets the context's error without a build.
func TestBuildSlotsNotHeldByClient(t *testing.T) {
	slots := make(buildSlots, 1)
	var builds atomic.Int32
	errBuild := errors.New("no such case")
	h := slots.limit(func(w http.ResponseWriter, r *http.Request) error {
		builds.Add(1)
		w.Header().Set("Cache-Control", "public, max-age=60")
		if r.URL.Path == "/fail" {
			return errBuild
		}
		_, _ = w.Write([]byte("page"))
		return nil
	})
	slow := &blockingWriter{ResponseRecorder: httptest.NewRecorder(), writing: make(chan struct{}), release: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- h(slow, httptest.NewRequest(http.MethodGet, "/slow", nil)) }()
	<-slow.writing // the slow client's page is built and being written

	rec := httptest.NewRecorder()
	if err := h(rec, httptest.NewRequest(http.MethodGet, "/fail", nil)); err != errBuild {
		t.Fatalf("second request: %v, want the build's error (the slow client held the only slot?)", err)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "" {
		t.Errorf("a failed build's Cache-Control %q reached the response", cc)
	}
	close(slow.release)
	if err := <-done; err != nil || slow.Body.String() != "page" {
		t.Fatalf("slow client: %v %q", err, slow.Body.String())
	}

	slots <- struct{}{} // every slot taken
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(5 * time.Millisecond); cancel() }()
	before := builds.Load()
	if err := h(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting visitor who left: %v, want context.Canceled", err)
	}
	if builds.Load() != before {
		t.Error("a page was built for a visitor who left while waiting")
	}
	<-slots
}
