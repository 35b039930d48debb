package readmodel

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/store"
)

// TestHome: the front page's data equals the two SearchCases calls the
// home handler makes today, and the counts equal the store's.
func TestHome(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		seedCases(t, s, 80, 11)
		m, err := New(ctx, s, buildWordIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		latest, err := s.SearchCases(ctx, store.CaseQuery{Statuses: []store.Status{store.StatusMissing}, Sort: store.SortRecent, PerPage: 8})
		if err != nil {
			t.Fatal(err)
		}
		located, err := s.SearchCases(ctx, store.CaseQuery{Statuses: []store.Status{store.StatusLocated}, Sort: store.SortRecent, PerPage: 3})
		if err != nil {
			t.Fatal(err)
		}
		h := m.Home(8, 3)
		if h.MissingCount != latest.Total || h.LocatedCount != located.Total || h.Revision != m.Revision() {
			t.Fatalf("counts %d/%d, want %d/%d", h.MissingCount, h.LocatedCount, latest.Total, located.Total)
		}
		for _, pair := range []struct {
			got, want []store.Case
		}{{h.Latest, latest.Cases}, {h.Located, located.Cases}} {
			if len(pair.got) != len(pair.want) {
				t.Fatalf("%d cases, want %d", len(pair.got), len(pair.want))
			}
			for i := range pair.want {
				if g, w := caseKey(&pair.got[i]), caseKey(&pair.want[i]); g != w {
					t.Fatalf("home case %d:\nmodel %s\nstore %s", i, g, w)
				}
			}
		}
		byStatus, err := s.CountCasesByStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		c := m.Counts()
		if c[store.StatusMissing] != byStatus[store.StatusMissing] || c[store.StatusLocated] != byStatus[store.StatusLocated] || len(c) != 2 {
			t.Fatalf("counts %v, store %v", c, byStatus)
		}
	})
}

func newPublished(name string) *store.Case {
	return &store.Case{FullName: name, Sex: "female", Region: "Western", Community: "Tilting", LastSeenDate: day("2026-03-01"),
		Age: ptr(40), PoliceAgency: "RCMP", PoliceFileNumber: "X-1", PoliceVerified: true, Status: store.StatusMissing}
}

// TestRefresh: the model answers from its snapshot until it is refreshed,
// then matches the database again; a refresh that fails keeps the last
// snapshot.
func TestRefresh(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		seedCases(t, s, 20, 13)
		m, err := New(ctx, s, buildWordIndex, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		before := m.Query(store.CaseQuery{}).Total
		rev := m.Revision()
		id, err := s.CreateCase(ctx, newPublished("Wren Pellowquay"), store.ReporterContact{}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Query(store.CaseQuery{}).Total; got != before {
			t.Fatalf("changed before a refresh: %d → %d", before, got)
		}
		if err := m.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if m.Revision() == rev {
			t.Fatal("revision unchanged after a publish")
		}
		r := m.Query(store.CaseQuery{Q: "pellowquay"})
		if r.Total != 1 || r.Cases[0].ID != id || m.Query(store.CaseQuery{}).Total != before+1 {
			t.Fatalf("after refresh: %v, total %d", ids(r.Cases), m.Query(store.CaseQuery{}).Total)
		}
		sameAsStore(t, ctx, s, m, store.CaseQuery{Sort: store.SortName, PerPage: 100})

		// Unpublishing removes the case from listings and search.
		if err := s.TransitionCase(ctx, id, store.StatusArchived, "", nil); err != nil {
			t.Fatal(err)
		}
		if err := m.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if r := m.Query(store.CaseQuery{Q: "pellowquay"}); r.Total != 0 {
			t.Fatalf("archived case still found: %v", ids(r.Cases))
		}
		sameAsStore(t, ctx, s, m, store.CaseQuery{Sort: store.SortName, PerPage: 100})

		// A failing load keeps what was there.
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		rev = m.Revision()
		if err := m.Refresh(cctx); err == nil {
			t.Fatal("refresh with a cancelled context succeeded")
		}
		if m.Revision() != rev || m.Query(store.CaseQuery{}).Total != before {
			t.Fatal("a failed refresh changed the snapshot")
		}
	})
}

// failingSource fails every load after the first ok ones.
type failingSource struct {
	mu sync.Mutex
	ok int
	s  *store.Store
}

func (f *failingSource) PublicCases(ctx context.Context) (*store.PublicSnapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ok == 0 {
		return nil, errors.New("database unreachable")
	}
	f.ok--
	return f.s.PublicCases(ctx)
}

func TestNewRequiresEverything(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	if _, err := New(t.Context(), s, nil, quietLogger()); err == nil {
		t.Fatal("New without an index builder succeeded")
	}
	if _, err := New(t.Context(), nil, buildWordIndex, quietLogger()); err == nil {
		t.Fatal("New without a source succeeded")
	}
	if _, err := New(t.Context(), &failingSource{s: s}, buildWordIndex, quietLogger()); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("New over a failing database: %v", err)
	}
}

// syncBuffer is a log destination safe for the watcher goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestWatchConverges: two instances share one database; a write through
// one shows in the other's model after its watcher reads the new
// revision, with no message between them. The watcher's interval is an
// hour, so only its first check and Nudge make it look: each read is
// signalled on a channel, and the loop is sequential, so when the second
// read after a Nudge starts, the rebuild the first one triggered is done.
func TestWatchConverges(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dsn := "sqlite:" + t.TempDir() + "/shared.db"
		watchConverges(t, openStore(t, dsn), openStore(t, dsn))
	})
	t.Run("mysql", func(t *testing.T) {
		admin := os.Getenv(mysqlEnv)
		if admin == "" {
			t.Skip(mysqlEnv + " not set")
		}
		dsn := mysqlDatabase(t, admin)
		watchConverges(t, openStore(t, dsn), openStore(t, dsn))
	})
}

// watchConverges runs TestWatchConverges over two stores (two instances)
// opened on one database.
func watchConverges(t *testing.T, writer, reader *store.Store) {
	seedCases(t, writer, 20, 17)
	logs := &syncBuffer{}
	src := &failingSource{ok: 2, s: reader}
	m, err := New(t.Context(), src, buildWordIndex, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	reads := make(chan struct{})
	rr := reader.NewRevisionReader()
	defer rr.Close()
	read := func(ctx context.Context) (int64, error) {
		reads <- struct{}{}
		return rr.Read(ctx)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		m.Watch(ctx, read, time.Hour)
		close(done)
	}()
	settle := func() {
		t.Helper()
		m.Nudge()
		<-reads // this check may rebuild
		m.Nudge()
		<-reads // the previous check has finished
	}
	<-reads // the first check, at the start: nothing changed

	if _, err := writer.CreateCase(t.Context(), newPublished("Orla Quennelby"), store.ReporterContact{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	settle()
	if r := m.Query(store.CaseQuery{Q: "quennelby orla"}); r.Total != 1 {
		t.Fatalf("the other instance's write is not in the model: total %d", r.Total)
	}
	sameAsStore(t, t.Context(), writer, m, store.CaseQuery{Sort: store.SortName, PerPage: 100})

	// The source now fails: the last snapshot keeps being served, the
	// failure is logged once, and serving resumes when it recovers.
	rev := m.Revision()
	if _, err := writer.CreateCase(t.Context(), newPublished("Ines Quennelby"), store.ReporterContact{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	settle()
	settle()
	if m.Revision() != rev || m.Query(store.CaseQuery{Q: "quennelby"}).Total != 1 {
		t.Fatal("a failed rebuild changed the snapshot")
	}
	if n := strings.Count(logs.String(), "cannot refresh"); n != 1 {
		t.Fatalf("failure logged %d times, want once:\n%s", n, logs.String())
	}
	src.mu.Lock()
	src.ok = 1
	src.mu.Unlock()
	settle()
	if m.Query(store.CaseQuery{Q: "quennelby"}).Total != 2 || !strings.Contains(logs.String(), "up to date again") {
		t.Fatalf("not recovered: total %d\n%s", m.Query(store.CaseQuery{Q: "quennelby"}).Total, logs.String())
	}
	cancel()
	go func() { // the loop may be blocked handing over a read
		for {
			select {
			case <-reads:
			case <-done:
				return
			}
		}
	}()
	<-done
}

// TestQueriesDuringRebuilds runs queries while snapshots are swapped (run
// with -race): readers never see a half-built snapshot.
func TestQueriesDuringRebuilds(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	seedCases(t, s, 40, 19)
	m, err := New(t.Context(), s, buildWordIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	want := m.Query(store.CaseQuery{Sort: store.SortName, PerPage: 100})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r := m.Query(store.CaseQuery{Sort: store.SortName, PerPage: 100})
				if r.Total != want.Total || len(r.Cases) != len(want.Cases) {
					t.Errorf("total %d during a rebuild, want %d", r.Total, want.Total)
					return
				}
				m.Query(store.CaseQuery{Q: "maeve", Sex: "female"})
				m.Home(8, 3)
			}
		}()
	}
	for range 10 {
		if err := m.Refresh(t.Context()); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
}

// countingSource counts loads.
type countingSource struct {
	mu    sync.Mutex
	loads int
	s     *store.Store
}

func (c *countingSource) PublicCases(ctx context.Context) (*store.PublicSnapshot, error) {
	c.mu.Lock()
	c.loads++
	c.mu.Unlock()
	return c.s.PublicCases(ctx)
}

// TestSync: a revision equal to the snapshot's costs no load; another one
// (higher, or lower as after a restored backup) rebuilds.
func TestSync(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	seedCases(t, s, 10, 23)
	src := &countingSource{s: s}
	m, err := New(t.Context(), src, buildWordIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	rev := m.Revision()
	if err := m.Sync(t.Context(), rev); err != nil || src.loads != 1 {
		t.Fatalf("sync at the same revision: %v, %d loads", err, src.loads)
	}
	if _, err := s.CreateCase(t.Context(), newPublished("Tamsin Orrowdale"), store.ReporterContact{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := m.Sync(t.Context(), rev+1); err != nil || src.loads != 2 || m.Revision() == rev {
		t.Fatalf("sync at a new revision: %v, %d loads, revision %d", err, src.loads, m.Revision())
	}
	if m.Query(store.CaseQuery{Q: "orrowdale"}).Total != 1 {
		t.Fatal("new case not found after Sync")
	}
	if err := m.Sync(t.Context(), rev-5); err != nil || src.loads != 3 {
		t.Fatalf("sync at a lower revision: %v, %d loads", err, src.loads)
	}
}

// TestConfirmedRevision: the revision is vouched for only while a load or
// a check confirmed it recently; a database that cannot be read makes it
// an error (so the page cache stops serving), a later check clears it.
func TestConfirmedRevision(t *testing.T) {
	s := openSQLite(t, t.TempDir()+"/rm.db")
	seedCases(t, s, 5, 29)
	m, err := New(t.Context(), s, buildWordIndex, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	m.now = func() time.Time { return clock }
	if err := m.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	rev := m.Revision()
	if got, err := m.ConfirmedRevision(3 * time.Second); err != nil || got != rev {
		t.Fatalf("just loaded: %d, %v", got, err)
	}
	clock = clock.Add(5 * time.Second)
	if _, err := m.ConfirmedRevision(3 * time.Second); err == nil {
		t.Fatal("unconfirmed for 5 s, still vouched for")
	}
	if err := m.Sync(t.Context(), rev); err != nil {
		t.Fatal(err)
	}
	if got, err := m.ConfirmedRevision(3 * time.Second); err != nil || got != rev {
		t.Fatalf("after a check: %d, %v", got, err)
	}
}
