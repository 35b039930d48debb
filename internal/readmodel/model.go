package readmodel

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"lostinnl/internal/search"
	"lostinnl/internal/store"
)

// TextIndex ranks the cases matching a text query, best first. Each id
// appears at most once. Implementations must be safe for concurrent use:
// every request of a snapshot shares one.
type TextIndex interface {
	Search(q string, prefix bool) (ids []int64, suggestion string)
}

// WindowIndex is a TextIndex that filters and ranks for one listing page:
// of the matches keep accepts, the best need in order (need < 0: all of
// them, unordered), how many keep accepted, and the suggestion Search
// would give. A broad query at 100,000 cases matches tens of thousands of
// cases; ranking them all for a page of 20 was most of a search's CPU.
// internal/search's index is one (SearchIndex); others get Search.
type WindowIndex interface {
	TextIndex
	SearchWindow(q string, prefix bool, keep Keep, need int) (ids []int64, total int, suggestion string)
}

// Keep is the matches a WindowIndex may return, by their positions in the
// cases the IndexBuilder was given: those in every set of In and, when Fn
// is set, that Fn accepts. In holds the filters known in advance (status,
// region: snapshot.inSet, inRegion), Fn the rest.
type Keep struct {
	In []search.Bits
	Fn func(pos int) bool
}

// IndexBuilder builds the text index of one snapshot from its public cases
// (with every public field filled, descriptions included), in the order of
// the snapshot's cards (see WindowIndex). It runs in the
// background during a rebuild and must not keep cases it does not need.
type IndexBuilder func(cases []store.Case) TextIndex

// Source is where snapshots come from; *store.Store is one.
type Source interface {
	PublicCases(ctx context.Context) (*store.PublicSnapshot, error)
}

// PageSource is a Source that can also read every public case's page
// with its snapshot (store.Store.PublicCasesAndPages); the model then
// answers CasePage.
type PageSource interface {
	Source
	PublicCasesAndPages(ctx context.Context) (*store.PublicSnapshot, error)
}

// rebuildGCMaxCases: above this many cases RebuildGCPercent is not
// applied. Each collection then marks hundreds of megabytes, so a tight
// target would add seconds of CPU to a rebuild that should take under two
// (issue 15), and a site that size is past the 100 MB budget anyway.
const rebuildGCMaxCases = 30_000

// rebuildTimeout bounds one load from Watch: 100,000 cases load in about
// a second; far longer means the database is in trouble.
const rebuildTimeout = time.Minute

// Model is the read model: the current snapshot, and what rebuilds it.
// Its query methods never block.
type Model struct {
	src    Source
	build  IndexBuilder
	logger *slog.Logger

	cur atomic.Pointer[snapshot]
	now func() time.Time
	// confirmed is when (unix ns) the snapshot was last known to be at the
	// database's revision: after a load, or a check that found no change.
	confirmed atomic.Int64
	rebuild   sync.Mutex    // one rebuild at a time
	nudge     chan struct{} // asks Watch to check the revision now
	fullAt    time.Time     // start of the last full load; under rebuild

	// RebuildGCPercent, when above 0, is the garbage collector's target
	// (GOGC) while a snapshot is built (up to rebuildGCMaxCases cases),
	// the previous one restored after;
	// and once the new snapshot is in, the old one's memory goes back to
	// the system at once. A rebuild holds two snapshots, the loaded
	// cases and the index's scratch at the same moment: at 10,000 cases,
	// 19 MB of heap above the steady state with GOGC 50, which put the
	// server over its 100 MB budget each time a case was published
	// (issue 16). The process-wide setting is the server's to choose:
	// set it before Watch, from one Model only.
	RebuildGCPercent int
}

// New loads the first snapshot (start-up waits for it: a server that
// cannot read its public cases has nothing to show). build and logger are
// required.
func New(ctx context.Context, src Source, build IndexBuilder, logger *slog.Logger) (*Model, error) {
	if src == nil || build == nil || logger == nil {
		return nil, errors.New("readmodel: source, index builder and logger are required")
	}
	m := &Model{src: src, build: build, logger: logger, nudge: make(chan struct{}, 1), now: time.Now}
	if err := m.Refresh(ctx); err != nil {
		return nil, err
	}
	return m, nil
}

// Revision is the content revision the current snapshot was read at.
func (m *Model) Revision() int64 { return m.cur.Load().rev }

// Len is the number of public cases in the current snapshot.
func (m *Model) Len() int { return len(m.cur.Load().cards) }

// HoldsPages reports whether the current snapshot holds the case pages
// (see CasePage).
func (m *Model) HoldsPages() bool { return m.cur.Load().extras != nil }

// CasePage is public case id as its page shows it, from the snapshot: the
// case as store.Store.GetCaseForPublic gives it (less the reporter's
// contact and the moderators' fields, which no public page shows; the
// primary photo without its CreatedAt), and its photos and updates as
// ListPhotos and ListUpdates give them. The case is the caller's copy;
// the page's slices are shared by every request and must not be
// modified. ok is false when the case is not public at the snapshot's
// revision, or when the snapshot holds no case pages (a site of more
// cases than store reads in one query): the page then reads the
// database, which also tells an archived case from one that never was.
func (m *Model) CasePage(id int64) (c store.Case, page *store.CasePage, ok bool) {
	s := m.cur.Load()
	if s.extras == nil {
		return store.Case{}, nil, false
	}
	i, ok := s.lookup(id)
	if !ok {
		return store.Case{}, nil, false
	}
	c, page = s.casePage(i)
	return c, page, true
}

// Refresh reads every public case and swaps in a new snapshot built from
// them, whatever the revision. Requests keep reading the previous snapshot
// meanwhile. Tests call it, and an instance may after its own write (or,
// not to make the writer wait, call Nudge). On error the current snapshot
// stays.
func (m *Model) Refresh(ctx context.Context) error {
	m.rebuild.Lock()
	defer m.rebuild.Unlock()
	return m.refreshLocked(ctx)
}

func (m *Model) refreshLocked(ctx context.Context) error {
	cur := m.cur.Load()
	tight := m.RebuildGCPercent > 0 && cur != nil && len(cur.cards) <= rebuildGCMaxCases
	if tight {
		defer debug.SetGCPercent(debug.SetGCPercent(m.RebuildGCPercent))
	}
	start := m.now()
	var ps *store.PublicSnapshot
	var err error
	if p, ok := m.src.(PageSource); ok {
		ps, err = p.PublicCasesAndPages(ctx)
	} else {
		ps, err = m.src.PublicCases(ctx)
	}
	if err != nil {
		return fmt.Errorf("readmodel: refresh: %w", err)
	}
	loaded := m.now().Sub(start)
	s := newSnapshot(ps, m.build)
	if prev := m.cur.Swap(s); prev == nil || tight {
		// The previous snapshot, the loaded cases and the build's
		// scratch are garbage now: collect them and return their pages
		// rather than keep them resident until the scavenger's pace.
		// Always after the first load, which start-up waits for anyway:
		// a 100,000-case server otherwise began serving at 314 MB of RSS
		// and came down to ~190 MB only under load.
		debug.FreeOSMemory()
	}
	// Confirmed as of the start of the load: the revision was read then.
	m.confirmed.Store(start.UnixNano())
	m.fullAt = start
	m.logger.Info("read model rebuilt", slog.Int64("revision", s.rev), slog.Int("cases", len(s.cards)),
		slog.Duration("load", loaded), slog.Duration("total", m.now().Sub(start)))
	return nil
}

// Sync rebuilds the snapshot when rev, a content revision just read from
// the database, differs from the snapshot's (!=, never <: a restored
// backup can move it back), and returns once the snapshot is at rev or
// was loaded after rev was read. For a caller that already polls the revision (the page cache's
// watcher) and wants one poll for both: read rev, Sync, then confirm the
// page cache with Revision() — not with rev — so no page built from the
// previous snapshot is kept under the new revision.
func (m *Model) Sync(ctx context.Context, rev int64) error {
	if m.cur.Load().rev == rev {
		m.confirmed.Store(m.now().UnixNano())
		return nil
	}
	m.rebuild.Lock()
	defer m.rebuild.Unlock()
	// Another caller may have rebuilt while this one waited for the lock.
	if m.cur.Load().rev == rev {
		m.confirmed.Store(m.now().UnixNano())
		return nil
	}
	if m.patchLocked(ctx) {
		return nil
	}
	return m.refreshLocked(ctx)
}

// fullReloadEvery: a snapshot is patched (see ChangeSource) for at most
// this long after the last full load; the first change after that reads
// everything again. The log of changes covers every write the application
// makes, and an operator's bump by hand logs no case, so it reads
// everything at once; this is for a write the log cannot see, such as SQL
// by hand without the bump, which then shows with the next change at the
// latest ten minutes on (the page cache's TTL plays the same part for
// pages).
const fullReloadEvery = 10 * time.Minute

// patchLocked swaps in the current snapshot patched with what changed
// since its revision, when the source and the snapshot allow it (see
// ChangeSource, snapshot.patched) and the last full load is recent
// enough. false: nothing was swapped; read everything.
func (m *Model) patchLocked(ctx context.Context) bool {
	cs, ok := m.src.(ChangeSource)
	cur := m.cur.Load()
	if !ok || m.now().Sub(m.fullAt) > fullReloadEvery {
		return false
	}
	if _, ok := cur.index.(PatchableIndex); !ok {
		return false
	}
	read := cs.PublicChanges
	if cur.extras != nil {
		ps, ok := m.src.(PageChangeSource)
		if !ok {
			return false
		}
		read = ps.PublicChangesAndPages
	}
	// As a full load (refreshLocked): for the moment two snapshots and
	// two indexes live side by side, a tighter collector target, and the
	// old one's pages returned once it is garbage.
	tight := m.RebuildGCPercent > 0 && len(cur.cards) <= rebuildGCMaxCases
	if tight {
		defer debug.SetGCPercent(debug.SetGCPercent(m.RebuildGCPercent))
	}
	start := m.now()
	ch, err := read(ctx, cur.rev, maxPatchCases(len(cur.cards)))
	if err != nil {
		// The full load that follows will say what is wrong.
		m.logger.Debug("read model: cannot read the changes", slog.String("error", err.Error()))
		return false
	}
	loaded := m.now().Sub(start)
	s, ok := cur.patched(ch)
	if !ok {
		return false
	}
	m.cur.Store(s)
	if tight {
		debug.FreeOSMemory()
	}
	m.confirmed.Store(start.UnixNano())
	m.logger.Info("read model rebuilt", slog.Int64("revision", s.rev), slog.Int("cases", len(s.cards)),
		slog.Duration("load", loaded), slog.Duration("total", m.now().Sub(start)), slog.Int("patched", len(ch.Changed)))
	return true
}

// errUnconfirmed: see ConfirmedRevision.
var errUnconfirmed = errors.New("readmodel: snapshot not confirmed against the database recently")

// ConfirmedRevision is the snapshot's revision when it was confirmed
// current (loaded, or found unchanged by Watch or Sync) within maxAge, an
// error otherwise. It is the read function for the page cache's watcher
// once listings come from the model:
//
//	cache.Watch(ctx, func(context.Context) (int64, error) { return m.ConfirmedRevision(5 * interval) }, interval, logger)
//
// maxAge must cover a poll interval plus a rebuild (about 2 s at 100,000
// cases), during which the snapshot is not re-confirmed.
// The cache then drops its pages when the model has rebuilt (never before,
// so no page built from the previous snapshot is kept as current), and
// stops serving when the database cannot be read, as it does today. The
// model's Watch stays the only poller of the database's revision.
func (m *Model) ConfirmedRevision(maxAge time.Duration) (int64, error) {
	rev := m.cur.Load().rev
	if m.now().Sub(time.Unix(0, m.confirmed.Load())) > maxAge {
		return rev, errUnconfirmed
	}
	return rev, nil
}

// Nudge asks Watch to check the revision now instead of at its next tick,
// without waiting: for the handler of a write on this instance, so its own
// change shows at once.
func (m *Model) Nudge() {
	select {
	case m.nudge <- struct{}{}:
	default: // a check is already due
	}
}

// Watch compares the content revision with the snapshot's every interval
// (and on Nudge), starting at once, until ctx ends, and rebuilds when it
// differs (see Sync). read returns the database's revision
// (store.RevisionReader.Read: its own connection, not shared with another
// poller). With a page cache in front, pages must be confirmed against
// the model's Revision rather than the database's, or a page built from
// the previous snapshot during a rebuild would be kept as current (see
// Sync for one loop doing both).
// A failure is logged when it starts and when it ends; meanwhile the
// current snapshot keeps being served, and the rebuild is retried at each
// tick.
func (m *Model) Watch(ctx context.Context, read func(context.Context) (int64, error), interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		err := m.check(ctx, read, interval)
		switch {
		case err == nil:
			if failing {
				m.logger.Info("read model: up to date again", slog.Int64("revision", m.Revision()))
				failing = false
			}
		case ctx.Err() == nil && !failing:
			m.logger.Warn("read model: cannot refresh; serving the last snapshot until it can",
				slog.Int64("revision", m.Revision()), slog.String("error", err.Error()))
			failing = true
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-m.nudge:
		}
	}
}

func (m *Model) check(ctx context.Context, read func(context.Context) (int64, error), interval time.Duration) error {
	rctx, cancel := context.WithTimeout(ctx, 2*interval)
	rev, err := read(rctx)
	cancel()
	if err != nil {
		return err
	}
	// Bounded, so a database that hangs mid-load cannot stop the watch.
	bctx, cancel := context.WithTimeout(ctx, rebuildTimeout)
	defer cancel()
	return m.Sync(bctx, rev)
}
