package store

import (
	"context"
	"fmt"
	"time"
)

// publicColumns is what the public listings and the search index read of
// a case, with its primary photo: no reporter contact, seal token or
// reject reason (never public), and none of the case page's own fields
// (circumstances, police contact, height, weight, coordinates, time last
// seen), which the case page reads with its row. Leaving them out halves
// what a load of every case moves.
const publicColumns = `c.id, c.status, c.full_name, c.aliases, c.age, c.birth_date, c.sex,
	c.build, c.hair_colour, c.eye_colour, c.features, c.clothing, c.last_seen_date,
	c.last_seen_place, c.community, c.region, c.police_verified,
	c.located_at, c.personal_withdrawn, c.updated_at, c.first_name_only,
	p.id, p.photo_key, p.position, p.width, p.height, p.alt, NULL`

// PublicSnapshot is every public case at one content revision.
type PublicSnapshot struct {
	// Revision is the content revision the cases were read at (see
	// ContentRevision): read in the same transaction, so a later change
	// always shows as a different revision.
	Revision int64
	// Cases are the missing and located cases, each with PrimaryPhoto
	// filled when it has one, in the listing's name order (sort_name, id)
	// as the database collates it, so a reader ordering by name needs no
	// copy of the collation. Filled: ID, Status, FullName, Aliases, Age,
	// BirthDate, Sex, Build, HairColour, EyeColour, Features, Clothing,
	// LastSeenDate, LastSeenPlace, Community, Region, PoliceVerified,
	// LocatedAt, PersonalWithdrawn, UpdatedAt, FirstNameOnly, and
	// PrimaryPhoto without its CreatedAt; every other field is empty (see
	// publicColumns). A first-name-only case comes as ForPublic makes it:
	// its full name and aliases never leave the store through here.
	Cases []Case
}

// PublicCases reads every public case with its primary photo and the
// content revision, in one read transaction (a consistent snapshot on both
// dialects) and one query over the cases. It is the whole input of the
// in-process read model (internal/readmodel), which calls it at start-up
// and whenever the revision changes.
func (s *Store) PublicCases(ctx context.Context) (*PublicSnapshot, error) {
	defer s.observe("public_cases", time.Now())
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: public cases: %w", err)
	}
	// Read only: nothing to commit, and a rollback never fails a read.
	defer func() { _ = tx.Rollback() }()

	snap := &PublicSnapshot{}
	if err := tx.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&snap.Revision); err != nil {
		return nil, fmt.Errorf("store: public cases: revision: %w", notFound(err))
	}
	// Sized once: growing a slice of 90,000 cases by appends copied and
	// dropped more memory than the cases themselves hold.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases WHERE status IN ('missing', 'located')").Scan(&n); err != nil {
		return nil, fmt.Errorf("store: public cases: count: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+publicColumns+caseFrom+
		" WHERE c.status IN ('missing', 'located') ORDER BY c.sort_name ASC, c.id ASC")
	if err != nil {
		return nil, fmt.Errorf("store: public cases: %w", err)
	}
	defer rows.Close()
	snap.Cases = make([]Case, 0, n)
	var sc publicScanner
	sc.init()
	for rows.Next() {
		c, err := sc.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: public cases: %w", err)
		}
		// Two rows for one case only if it had two primary photos, which
		// the photo code never leaves; keep the first rather than list
		// the person twice.
		if k := len(snap.Cases); k > 0 && snap.Cases[k-1].ID == c.ID {
			continue
		}
		snap.Cases = append(snap.Cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: public cases: %w", err)
	}
	return snap, nil
}

// publicScanner scans publicColumns row after row into the same
// destinations, set up once, rather than building them for each of
// thousands of rows.
type publicScanner struct {
	c      Case
	p      joinedPhoto
	status string
	dest   []any
}

func (sc *publicScanner) init() {
	c := &sc.c
	sc.dest = append([]any{&c.ID, &sc.status, &c.FullName, &c.Aliases, nullIntDest{&c.Age}, nullTimeDest{&c.BirthDate}, &c.Sex,
		&c.Build, &c.HairColour, &c.EyeColour, &c.Features, &c.Clothing, timeDest{&c.LastSeenDate},
		&c.LastSeenPlace, &c.Community, &c.Region, &c.PoliceVerified,
		nullTimeDest{&c.LocatedAt}, &c.PersonalWithdrawn, timeDest{&c.UpdatedAt}, &c.FirstNameOnly}, sc.p.dest()...)
}

func (sc *publicScanner) scan(r rowScanner) (Case, error) {
	// Pointers are reset: a NULL must not leave the previous row's value.
	sc.c.Age, sc.c.BirthDate, sc.c.LocatedAt = nil, nil, nil
	if err := r.Scan(sc.dest...); err != nil {
		return Case{}, err
	}
	c := sc.c
	c.Status = Status(sc.status)
	c.PrimaryPhoto = sc.p.photo(c.ID)
	if c.FirstNameOnly {
		// Masked here, at the source of the read model, the feeds, the
		// sitemap and PFIF: the search index never sees the surname.
		return *c.ForPublic(), nil
	}
	return c, nil
}
