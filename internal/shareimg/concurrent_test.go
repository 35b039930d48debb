package shareimg

import (
	"bytes"
	"sync"
	"testing"
)

// One Renderer serves every request: rendering in parallel must be safe
// (run with -race) and give the same bytes as rendering alone.
func TestRenderConcurrentAndReproducible(t *testing.T) {
	r := newRenderer(t)
	s := sample(testJPEG(t, 600, 800))
	var want bytes.Buffer
	if err := r.Render(&want, s); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([][]byte, 6)
	errs := make([]error, 6)
	for i := range results {
		wg.Go(func() {
			var buf bytes.Buffer
			errs[i] = r.Render(&buf, s)
			results[i] = buf.Bytes()
		})
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if !bytes.Equal(results[i], want.Bytes()) {
			t.Fatalf("render %d differs from the first", i)
		}
	}
}
