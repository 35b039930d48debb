package opstest

import (
	"database/sql"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lostinnl/internal/store"
)

// TestPageCacheSeesOtherWriters: the real binary keeps case pages in its
// page cache, and still shows a change made by another writer of the same
// database (another instance, here the test through the store) without
// being told, by polling the content revision; and a change made with SQL
// by hand shows once the revision is bumped as docs/operations.md says.
func TestPageCacheSeesOtherWriters(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	p := start(t, dataDir, nil, "--demo")
	c := newClient()
	siteWired(t, c, p)

	dbPath := filepath.Join(dataDir, "lostinnl.db")
	st, err := store.Open(t.Context(), "sqlite:"+dbPath, store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.SearchCases(t.Context(), store.CaseQuery{Statuses: []store.Status{store.StatusMissing}, PerPage: 1})
	if err != nil || len(list.Cases) == 0 {
		t.Fatalf("no published demo case: %v", err)
	}
	id := list.Cases[0].ID
	page := p.URL + "/cases/" + strconv.FormatInt(id, 10)
	body := func() string {
		t.Helper()
		r := get(t, c, page)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", page, r.Status)
		}
		return r.Body
	}

	// Kept: after the first confirmation, the second request is a hit.
	waitFor(t, "the case page answered from the page cache", func() bool {
		body()
		hits, _ := sum(metrics(t, c, p.Ops), "page_cache_requests_total", `result="hit"`)
		return hits > 0
	})

	// Another writer (what a second instance would do): its transaction
	// bumps the revision, and this instance drops its pages by itself.
	cs, err := st.GetCase(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	cs.Circumstances = "Changed by another instance: seen near the ferry terminal."
	if err := st.UpdateCase(t.Context(), cs, nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the other writer's change on the case page", func() bool {
		return strings.Contains(body(), "seen near the ferry terminal")
	})

	// By hand with SQL, without the bump: the kept page stays...
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), "UPDATE cases SET circumstances = ? WHERE id = ?",
		"Changed by hand: seen on the Trans-Canada near Gander.", id); err != nil {
		t.Fatal(err)
	}
	if b := body(); strings.Contains(b, "near Gander") || !strings.Contains(b, "ferry terminal") {
		t.Fatal("the page changed without a content revision bump: was it really kept?")
	}
	// ...until the revision is bumped, as the operations guide says.
	if _, err := db.ExecContext(t.Context(), "UPDATE content_revision SET rev = rev + 1 WHERE id = 1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hand-made change after the bump", func() bool {
		return strings.Contains(body(), "near Gander")
	})
}
