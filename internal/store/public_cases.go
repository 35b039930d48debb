package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"sync"
	"time"

	"lostinnl/internal/geo"
)

// publicColumns is what the public listings, the map and the search index
// read of a case, with its primary photo: no reporter contact, seal token
// or reject reason (never public), and none of the case page's own fields
// (circumstances, police contact, height, weight, time last seen), which
// the case page reads with its row. Leaving them out halves what a load of
// every case moves. The coordinates are read for the map and rounded
// before they leave the store (see PublicSnapshot).
const publicColumns = `c.id, c.status, c.full_name, c.aliases, c.age, c.birth_date, c.sex,
	c.build, c.hair_colour, c.eye_colour, c.features, c.clothing, c.last_seen_date,
	c.last_seen_place, c.community, c.region, c.police_verified,
	c.located_at, c.personal_withdrawn, c.updated_at, c.first_name_only, c.latitude, c.longitude,
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
	// LocatedAt, PersonalWithdrawn, UpdatedAt, FirstNameOnly, Latitude
	// and Longitude, and PrimaryPhoto without its CreatedAt; every other
	// field is empty (see publicColumns). A first-name-only case comes as
	// ForPublic makes it: its full name and aliases never leave the store
	// through here. Latitude and Longitude are the public point
	// (geo.Public: rounded to about a kilometre), never the one staff
	// typed: everything built from this snapshot is public.
	Cases []Case
	// Pages, when not nil, holds each public case's page (CasePage), by
	// id: filled by PublicCasesAndPages for a site small enough to be
	// read in one query. Cases then also have the case page's own fields
	// (pageColumns), masked by ForPublic like the rest.
	Pages map[int64]*CasePage
}

// CasePage is what a public case's page shows: the case's photos in
// display order and its updates newest first, as ListPhotos and
// ListUpdates give them. The case itself is the snapshot's.
type CasePage struct {
	Photos  []Photo
	Updates []Update
}

// pageColumns are the case page's own fields, which publicColumns leaves
// out; read after them when a snapshot carries its case pages.
const pageColumns = `, c.height_cm, c.weight_kg, c.last_seen_time, c.circumstances,
	c.police_agency, c.police_file_number, c.police_phone, c.created_at,
	c.content_lang, c.circumstances_alt, c.notes_allowed`

// PublicCases reads every public case with its primary photo and the
// content revision, as of one consistent state of the database. It is the
// whole input of the in-process read model (internal/readmodel), which
// calls it at start-up and whenever the revision changes.
//
// Up to parallelReadMin public cases it is one read transaction (a
// consistent snapshot on both dialects) and one query. A larger site is
// read in two halves at once, on two connections, split at the name order's
// middle case: at 100,000 cases the single read took 1.0-1.5 s of the read
// model's rebuild, most of it scanning rows in this process, which a second
// core halves. The halves are two transactions, so each reads the content
// revision too: every change to public data bumps it in its own
// transaction, so halves at the same revision read one state of the
// database. Otherwise (a change landed between them) the read starts over,
// and after three tries falls back to one transaction.
func (s *Store) PublicCases(ctx context.Context) (*PublicSnapshot, error) {
	defer s.observe("public_cases", time.Now())
	return s.publicSnapshot(ctx, false)
}

// PublicCasesAndPages is PublicCases with, for a site of fewer than
// parallelReadMin public cases, every case's page (PublicSnapshot.Pages)
// read in the same transaction: the read model then serves case pages
// without a query (issue 15). A larger site is read as PublicCases reads
// it, without pages: its case pages stay queries, and its snapshot the
// size it was.
func (s *Store) PublicCasesAndPages(ctx context.Context) (*PublicSnapshot, error) {
	defer s.observe("public_cases", time.Now())
	return s.publicSnapshot(ctx, true)
}

func (s *Store) publicSnapshot(ctx context.Context, pages bool) (*PublicSnapshot, error) {
	for range 3 {
		snap, again, err := s.publicCases(ctx, true, pages)
		if !again {
			return snap, err
		}
	}
	snap, _, err := s.publicCases(ctx, false, pages)
	return snap, err
}

// parallelReadMin: see PublicCases. Variables for the tests: halvesHook
// runs between the middle's read and the halves' (a change landing there).
var (
	parallelReadMin = 20_000
	halvesHook      func()
)

const publicWhere = " WHERE c.status IN ('missing', 'located')"

// publicCases is one try of PublicCases; again reports halves read at
// different revisions.
func (s *Store) publicCases(ctx context.Context, split, pages bool) (snap *PublicSnapshot, again bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, false, fmt.Errorf("store: public cases: %w", err)
	}
	// Read only: nothing to commit, and a rollback never fails a read.
	defer func() { _ = tx.Rollback() }()

	snap = &PublicSnapshot{}
	if err := tx.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&snap.Revision); err != nil {
		return nil, false, fmt.Errorf("store: public cases: revision: %w", notFound(err))
	}
	// Sized once: growing a slice of 90,000 cases by appends copied and
	// dropped more memory than the cases themselves hold.
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases c"+publicWhere).Scan(&n); err != nil {
		return nil, false, fmt.Errorf("store: public cases: count: %w", err)
	}
	if !split || n < parallelReadMin {
		pages = pages && n < parallelReadMin
		snap.Cases = make([]Case, 0, n)
		if snap.Cases, err = readPublicRows(ctx, tx, "", nil, snap.Cases, pages); err != nil || !pages {
			return snap, false, err
		}
		snap.Pages, err = readPublicPages(ctx, tx, snap.Cases, false)
		return snap, false, err
	}
	// The middle case in the listing's order; the second half starts there.
	var midName string
	var midID int64
	if err := tx.QueryRowContext(ctx, "SELECT c.sort_name, c.id FROM cases c"+publicWhere+
		" ORDER BY c.sort_name ASC, c.id ASC LIMIT 1 OFFSET "+strconv.Itoa(n/2)).Scan(&midName, &midID); err != nil {
		return nil, false, fmt.Errorf("store: public cases: middle: %w", err)
	}
	_ = tx.Rollback()
	if halvesHook != nil {
		halvesHook()
	}
	type half struct {
		rev   int64
		cases []Case
		err   error
	}
	var first, second half
	read := func(h *half, cond string) {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			h.err = err
			return
		}
		defer func() { _ = tx.Rollback() }()
		if h.err = tx.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&h.rev); h.err != nil {
			return
		}
		h.cases, h.err = readPublicRows(ctx, tx, cond, []any{midName, midName, midID}, make([]Case, 0, n/2+64), false)
	}
	var wg sync.WaitGroup
	wg.Go(func() { read(&second, " AND (c.sort_name > ? OR (c.sort_name = ? AND c.id >= ?))") })
	read(&first, " AND (c.sort_name < ? OR (c.sort_name = ? AND c.id < ?))")
	wg.Wait()
	for _, h := range []half{first, second} {
		if h.err != nil {
			return nil, false, fmt.Errorf("store: public cases: %w", h.err)
		}
	}
	if first.rev != snap.Revision || second.rev != snap.Revision {
		return nil, true, nil
	}
	snap.Cases = append(first.cases, second.cases...)
	return snap, false, nil
}

// readPublicRows appends the public cases matching publicWhere and cond
// (with args) to cases, in the listing's name order.
func readPublicRows(ctx context.Context, tx *sql.Tx, cond string, args []any, cases []Case, pages bool) ([]Case, error) {
	cols := publicColumns
	if pages {
		cols += pageColumns
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+cols+caseFrom+publicWhere+cond+
		" ORDER BY c.sort_name ASC, c.id ASC", args...)
	if err != nil {
		return nil, fmt.Errorf("store: public cases: %w", err)
	}
	defer rows.Close()
	var sc publicScanner
	sc.init(pages)
	for rows.Next() {
		c, err := sc.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: public cases: %w", err)
		}
		// Two rows for one case only if it had two primary photos, which
		// the photo code never leaves; keep the first rather than list
		// the person twice. (Both rows fall in the same half.)
		if k := len(cases); k > 0 && cases[k-1].ID == c.ID {
			continue
		}
		cases = append(cases, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: public cases: %w", err)
	}
	return cases, nil
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

func (sc *publicScanner) init(pages bool) {
	c := &sc.c
	sc.dest = append([]any{&c.ID, &sc.status, &c.FullName, &c.Aliases, nullIntDest{&c.Age}, nullTimeDest{&c.BirthDate}, &c.Sex,
		&c.Build, &c.HairColour, &c.EyeColour, &c.Features, &c.Clothing, timeDest{&c.LastSeenDate},
		&c.LastSeenPlace, &c.Community, &c.Region, &c.PoliceVerified,
		nullTimeDest{&c.LocatedAt}, &c.PersonalWithdrawn, timeDest{&c.UpdatedAt}, &c.FirstNameOnly,
		nullFloatDest{&c.Latitude}, nullFloatDest{&c.Longitude}}, sc.p.dest()...)
	if pages {
		sc.dest = append(sc.dest, nullIntDest{&c.HeightCM}, nullIntDest{&c.WeightKG}, &c.LastSeenTime, &c.Circumstances,
			&c.PoliceAgency, &c.PoliceFileNumber, &c.PolicePhone, timeDest{&c.CreatedAt},
			&c.ContentLang, &c.CircumstancesAlt, &c.NotesAllowed)
	}
}

func (sc *publicScanner) scan(r rowScanner) (Case, error) {
	// Pointers are reset: a NULL must not leave the previous row's value.
	sc.c.Age, sc.c.BirthDate, sc.c.LocatedAt, sc.c.Latitude, sc.c.Longitude = nil, nil, nil, nil, nil
	sc.c.HeightCM, sc.c.WeightKG = nil, nil
	if err := r.Scan(sc.dest...); err != nil {
		return Case{}, err
	}
	c := sc.c
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	c.Status = Status(sc.status)
	c.PrimaryPhoto = sc.p.photo(c.ID)
	if c.FirstNameOnly {
		// Masked here, at the source of the read model, the feeds, the
		// sitemap and PFIF: the search index never sees the surname.
		return *c.ForPublic(), nil
	}
	return c, nil
}

// readPublicPages reads the photos and updates of every public case, in
// tx (the snapshot's transaction, so they are at its revision), for
// PublicSnapshot.Pages: two queries for the whole site rather than two per
// page view. Every case of cases gets a page, with or without photos and
// updates. With only, the photos and updates of cases alone are read
// (a few changed cases); otherwise those of every public case.
func readPublicPages(ctx context.Context, tx *sql.Tx, cases []Case, only bool) (map[int64]*CasePage, error) {
	pages := make(map[int64]*CasePage, len(cases))
	all := make([]CasePage, len(cases))
	for i := range cases {
		pages[cases[i].ID] = &all[i]
	}
	cond, args := "", []any(nil)
	if only {
		if len(cases) == 0 {
			return pages, nil
		}
		cond = " AND c.id IN (" + placeholders(len(cases)) + ")"
		for i := range cases {
			args = append(args, cases[i].ID)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.case_id, p.photo_key, p.position, p.is_primary, p.width, p.height, p.alt, p.created_at
		FROM case_photos p JOIN cases c ON c.id = p.case_id`+publicWhere+cond+` ORDER BY p.case_id, p.position, p.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: public cases: photos: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Photo
		if err := rows.Scan(&p.ID, &p.CaseID, &p.Key, &p.Position, &p.Primary, &p.Width, &p.Height, &p.Alt, timeDest{&p.CreatedAt}); err != nil {
			return nil, fmt.Errorf("store: public cases: photos: %w", err)
		}
		if pg := pages[p.CaseID]; pg != nil {
			pg.Photos = append(pg.Photos, p)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: public cases: photos: %w", err)
	}
	rows, err = tx.QueryContext(ctx, `SELECT u.id, u.case_id, u.body, u.body_alt, u.created_at, u.updated_at
		FROM case_updates u JOIN cases c ON c.id = u.case_id`+publicWhere+cond+` ORDER BY u.case_id, u.created_at DESC, u.id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: public cases: updates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var u Update
		if err := rows.Scan(&u.ID, &u.CaseID, &u.Body, &u.BodyAlt, timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("store: public cases: updates: %w", err)
		}
		if pg := pages[u.CaseID]; pg != nil {
			pg.Updates = append(pg.Updates, u)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: public cases: updates: %w", err)
	}
	return pages, nil
}

// PublicChanges is what changed among the public cases after a revision
// (Store.PublicChanges).
type PublicChanges struct {
	// Revision is the content revision now, read in the same
	// transaction as the rest.
	Revision int64
	// Full: the log cannot say what changed (a revision without its
	// rows, such as an operator's manual bump or a range pruned away; a
	// revision that went back, as a restore can make it; more changed
	// cases than asked for). Read every case again (PublicCases).
	Full bool
	// Order is every public case's id, in the listing's name order as
	// the database collates it (the order of PublicSnapshot.Cases); nil
	// when Ranks say where the changed cases are instead.
	Order []int64
	// Ranks, when Order is nil, are the positions of Cases in that order,
	// and Total the number of public cases: the other cases keep their
	// order around them.
	Ranks []int
	Total int
	// Changed is every case the revisions logged, public or not.
	Changed []int64
	// Cases are the cases of Changed that are public, as PublicCases
	// reads them (with the page columns from PublicChangesAndPages), in
	// name order.
	Cases []Case
	// Pages, from PublicChangesAndPages, holds the page of each of Cases
	// (see PublicSnapshot.Pages).
	Pages map[int64]*CasePage
}

// PublicChanges reads what changed among the public cases after revision
// since, from the log every content write keeps (content_changes, see
// bumpContent), in one read transaction: the order of every public case
// (ids only) and the changed cases' rows. A read model at 100,000 cases
// re-reads a handful of rows and 100,000 ids rather than every case after
// each change (issue 15: a rebuild under two seconds). More than
// maxCases changed cases, or any gap in the log, gives Full.
func (s *Store) PublicChanges(ctx context.Context, since int64, maxCases int) (*PublicChanges, error) {
	defer s.observe("public_changes", time.Now())
	return s.publicChanges(ctx, since, maxCases, false)
}

// PublicChangesAndPages is PublicChanges with each changed public case's
// page (PublicChanges.Pages, and the page's own columns in Cases), for a
// read model that holds the case pages (PublicCasesAndPages).
func (s *Store) PublicChangesAndPages(ctx context.Context, since int64, maxCases int) (*PublicChanges, error) {
	defer s.observe("public_changes", time.Now())
	return s.publicChanges(ctx, since, maxCases, true)
}

func (s *Store) publicChanges(ctx context.Context, since int64, maxCases int, pages bool) (*PublicChanges, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: public changes: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	ch := &PublicChanges{}
	if err := tx.QueryRowContext(ctx, "SELECT rev FROM content_revision WHERE id = 1").Scan(&ch.Revision); err != nil {
		return nil, fmt.Errorf("store: public changes: revision: %w", notFound(err))
	}
	if ch.Revision < since {
		ch.Full = true
		return ch, nil
	}
	var revs int64
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(DISTINCT rev) FROM content_changes WHERE rev > ? AND rev <= ?",
		since, ch.Revision).Scan(&revs); err != nil {
		return nil, fmt.Errorf("store: public changes: %w", err)
	}
	if revs != ch.Revision-since {
		ch.Full = true
		return ch, nil
	}
	rows, err := tx.QueryContext(ctx, "SELECT DISTINCT case_id FROM content_changes WHERE rev > ? AND rev <= ? AND case_id <> 0 ORDER BY case_id",
		since, ch.Revision)
	if err != nil {
		return nil, fmt.Errorf("store: public changes: %w", err)
	}
	if ch.Changed, err = scanIDs(rows); err != nil {
		return nil, fmt.Errorf("store: public changes: %w", err)
	}
	if len(ch.Changed) > maxCases {
		ch.Full = true
		return ch, nil
	}
	if len(ch.Changed) > 0 {
		cond := " AND c.id IN (" + placeholders(len(ch.Changed)) + ")"
		args := make([]any, len(ch.Changed))
		for i, id := range ch.Changed {
			args[i] = id
		}
		if ch.Cases, err = readPublicRows(ctx, tx, cond, args, nil, pages); err != nil {
			return nil, fmt.Errorf("store: public changes: %w", err)
		}
		if pages {
			if ch.Pages, err = readPublicPages(ctx, tx, ch.Cases, true); err != nil {
				return nil, fmt.Errorf("store: public changes: %w", err)
			}
		}
	} else if pages {
		ch.Pages = map[int64]*CasePage{}
	}
	if len(ch.Changed) > rankedMax {
		if rows, err = tx.QueryContext(ctx, "SELECT c.id FROM cases c"+publicWhere+" ORDER BY c.sort_name ASC, c.id ASC"); err != nil {
			return nil, fmt.Errorf("store: public changes: order: %w", err)
		}
		if ch.Order, err = scanIDs(rows); err != nil {
			return nil, fmt.Errorf("store: public changes: order: %w", err)
		}
		return ch, nil
	}
	// A few changes: each changed case's place is a count over the name
	// index (30-70 ms at 100,000 cases on MariaDB), where the whole order
	// is a sort of every public case (0.6 s).
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases c"+publicWhere).Scan(&ch.Total); err != nil {
		return nil, fmt.Errorf("store: public changes: count: %w", err)
	}
	ch.Ranks = make([]int, len(ch.Cases))
	for k, c := range ch.Cases {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM cases c JOIN cases x ON x.id = ?"+publicWhere+
			" AND (c.sort_name < x.sort_name OR (c.sort_name = x.sort_name AND c.id < x.id))", c.ID).Scan(&ch.Ranks[k]); err != nil {
			return nil, fmt.Errorf("store: public changes: rank: %w", err)
		}
	}
	return ch, nil
}

// rankedMax: up to this many changed cases, PublicChanges gives their
// ranks rather than the whole order. A variable for the tests.
var rankedMax = 8

// scanIDs reads one integer column of rows, and closes them.
func scanIDs(rows *sql.Rows) ([]int64, error) {
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
