package store

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Open statistics (GET /stats, internal/stats) count the cases of the
// public record: every case that has been public and whose outcome the
// public was told. That is a case now missing or located, and an archived
// case that had been located first (the retention job archives located
// cases at the end of their public period; leaving them out would make
// the older years look as if nobody had been found). An archived case that
// was never located (taken off the site while missing: a withdrawal, a
// duplicate, an error) is left out, as are pending and rejected reports,
// which were never public.
const statsWhere = ` WHERE status IN ('missing', 'located') OR (status = 'archived' AND located_at IS NOT NULL)`

// StatsGroup is the number of public-record cases with one region, year of
// last-seen date and outcome.
type StatsGroup struct {
	Region  string
	Year    int  // of the last-seen date (a calendar date, no time zone)
	Located bool // located (now, or before its page was archived); false: still missing
	Count   int
}

// CaseStats is what the open statistics are computed from, read at one
// content revision.
type CaseStats struct {
	// Revision is the content revision the counts were read at (in the
	// same transaction).
	Revision int64
	Groups   []StatsGroup
	// ToLocate holds, for every located case of the public record, the
	// time from its report reaching the site (created_at) to its being
	// marked located (located_at), in no particular order. Cases whose
	// located time is before their report (possible only for data moved
	// in from elsewhere) are left out: such a time means nothing.
	ToLocate []time.Duration
}

// CaseStats reads the counts of the public record grouped by region, year
// of last-seen date and outcome (one aggregate query), and the report-to-
// located times of its located cases, with the content revision, in one
// read transaction.
func (s *Store) CaseStats(ctx context.Context) (*CaseStats, error) {
	defer s.observe("case_stats", time.Now())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: case stats: %w", err)
	}
	// Read only: nothing to commit, and a rollback never fails a read.
	defer func() { _ = tx.Rollback() }()

	out := &CaseStats{}
	if err := tx.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&out.Revision); err != nil {
		return nil, fmt.Errorf("store: case stats: revision: %w", notFound(err))
	}
	// last_seen_date is a DATE on MySQL and 'YYYY-MM-DD' text on SQLite;
	// SUBSTR reads the year from both (MySQL casts the DATE to that text).
	rows, err := tx.QueryContext(ctx, `SELECT region, SUBSTR(last_seen_date, 1, 4), status, COUNT(*) FROM cases`+
		statsWhere+` GROUP BY region, SUBSTR(last_seen_date, 1, 4), status`)
	if err != nil {
		return nil, fmt.Errorf("store: case stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g StatsGroup
		var year, status string
		if err := rows.Scan(&g.Region, &year, &status, &g.Count); err != nil {
			return nil, fmt.Errorf("store: case stats: %w", err)
		}
		if g.Year, err = strconv.Atoi(year); err != nil {
			return nil, fmt.Errorf("store: case stats: year %q: %w", year, err)
		}
		g.Located = status != string(StatusMissing)
		out.Groups = append(out.Groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: case stats: %w", err)
	}
	rows.Close()

	times, err := tx.QueryContext(ctx, `SELECT created_at, located_at FROM cases WHERE status IN ('located', 'archived') AND located_at IS NOT NULL`)
	if err != nil {
		return nil, fmt.Errorf("store: case stats: located times: %w", err)
	}
	defer times.Close()
	for times.Next() {
		var created, located time.Time
		if err := times.Scan(timeDest{&created}, timeDest{&located}); err != nil {
			return nil, fmt.Errorf("store: case stats: located times: %w", err)
		}
		if d := located.Sub(created); d >= 0 {
			out.ToLocate = append(out.ToLocate, d)
		}
	}
	if err := times.Err(); err != nil {
		return nil, fmt.Errorf("store: case stats: located times: %w", err)
	}
	return out, nil
}
