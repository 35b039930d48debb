package store

import (
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestObserverSeesTimedOperations(t *testing.T) {
	ctx := t.Context()
	st, err := Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "o.db"), PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[string]int{}
	st.SetObserver(func(op string, d time.Duration) {
		if d < 0 {
			t.Errorf("%s: negative duration", op)
		}
		mu.Lock()
		seen[op]++
		mu.Unlock()
	})
	if _, err := st.ListResources(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SearchCases(ctx, CaseQuery{Q: "anyone"}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetPublicCase(ctx, 999); err == nil {
		t.Fatal("unknown case found")
	}
	for _, op := range []string{"list_resources", "search_cases", "get_public_case"} {
		if seen[op] != 1 {
			t.Errorf("%s observed %d times, want 1 (all: %v)", op, seen[op], seen)
		}
	}
}
