package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Possible duplicates (issue 15 point 4): families, friends and police
// often report the same person separately, so the moderators are shown the
// open or pending cases that may be the same person, and can merge a
// pending report into one of them.

// NameMatcher prepares the comparison of one name with many: the function
// it returns reports whether other may be the same person's name. The
// store does not know how names sound: callers pass search.SimilarTo
// (internal/search imports this package, so it cannot be imported here).
type NameMatcher func(name string) func(other string) bool

// DuplicateAgeGap is how many years two ages may differ and still be one
// person: ages given by different people for the same person rarely agree
// exactly (a birthday, a guess).
const DuplicateAgeGap = 2

// DefaultDuplicateLimit is how many candidates PossibleDuplicates returns
// when the caller does not say.
const DefaultDuplicateLimit = 10

// Duplicate is a case that may be the same person as the one asked about,
// with what matched.
type Duplicate struct {
	ID           int64
	Status       Status
	FullName     string
	Aliases      string
	Age          *int
	Community    string
	Region       string
	LastSeenDate time.Time
	CreatedAt    time.Time
	Reference    string // the reporter's reference, "" for cases created by staff

	ExactName     bool // the full names are the same (case and accents aside)
	ByAlias       bool // the names match only through an alias
	SameCommunity bool
	SameRegion    bool
	AgeGap        int // years between the ages; -1 when either is unknown
}

// duplicateColumns is the SELECT list of a listed candidate; scanned by
// scanDuplicate.
const duplicateColumns = `c.id, c.status, c.full_name, c.aliases, c.age, c.community, c.region, c.last_seen_date, c.created_at,
	COALESCE(a.reference, '')`

const duplicateFrom = " FROM cases c LEFT JOIN report_access a ON a.case_id = c.id"

func scanDuplicate(r rowScanner) (Duplicate, error) {
	var d Duplicate
	var st string
	err := r.Scan(&d.ID, &st, &d.FullName, &d.Aliases, nullIntDest{&d.Age}, &d.Community, &d.Region,
		timeDest{&d.LastSeenDate}, timeDest{&d.CreatedAt}, &d.Reference)
	d.Status = Status(st)
	return d, err
}

// poolRow is what the name comparison needs of a candidate: few columns,
// since at 100,000 cases a region and age window holds thousands.
type poolRow struct {
	id                               int64
	name, aliases, community, region string
	age                              *int
}

// PossibleDuplicates lists the open (missing) or pending cases other than
// id that may be the same person: a similar name (by similar, on the full
// names or an alias of either), ages at most DuplicateAgeGap apart when
// both are known, and the same region or the same community. Strongest
// first: the same full name, then the same community, then a direct (not
// alias) name match, then the closer age, then the older case (the one a
// report would be merged into). At most limit (DefaultDuplicateLimit when
// < 1). ErrNotFound for an unknown id.
//
// The database narrows by place and age (migration 016's indexes); the
// names are compared in Go, since no SQL on both dialects says what
// "sounds alike" means. Only the listed candidates are then read in full.
func (s *Store) PossibleDuplicates(ctx context.Context, id int64, similar NameMatcher, limit int) ([]Duplicate, error) {
	defer s.observe("possible_duplicates", time.Now())
	if limit < 1 {
		limit = DefaultDuplicateLimit
	}
	me, err := scanDuplicate(s.db.QueryRowContext(ctx, "SELECT "+duplicateColumns+duplicateFrom+" WHERE c.id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: possible duplicates of case %d: %w", id, notFound(err))
	}
	pool, err := s.duplicatePool(ctx, me)
	if err != nil {
		return nil, fmt.Errorf("store: possible duplicates of case %d: %w", id, err)
	}
	myName := sortName(me.FullName)
	mine := similar(me.FullName)
	var myAliases []func(string) bool
	for _, a := range splitAliases(me.Aliases) {
		myAliases = append(myAliases, similar(a))
	}
	myCommunity := placeKey(me.Community)
	var out []Duplicate
	for _, p := range pool {
		d := Duplicate{ID: p.id, FullName: p.name, Aliases: p.aliases, Age: p.age, Community: p.community, Region: p.region}
		d.ExactName = sortName(d.FullName) == myName
		if !d.ExactName && !mine(d.FullName) {
			if !aliasMatch(mine, myAliases, d.FullName, splitAliases(d.Aliases)) {
				continue
			}
			d.ByAlias = true
		}
		d.AgeGap = -1
		if me.Age != nil && d.Age != nil {
			d.AgeGap = max(*me.Age-*d.Age, *d.Age-*me.Age)
		}
		d.SameRegion = me.Region != "" && d.Region == me.Region
		d.SameCommunity = myCommunity != "" && placeKey(d.Community) == myCommunity
		out = append(out, d)
	}
	slices.SortFunc(out, compareDuplicates)
	if len(out) > limit {
		out = out[:limit]
	}
	if err := s.fillDuplicates(ctx, out); err != nil {
		return nil, fmt.Errorf("store: possible duplicates of case %d: %w", id, err)
	}
	return out, nil
}

// fillDuplicates reads the rest of the listed candidates (status, dates,
// reference) in one query. A candidate deleted meanwhile keeps its zero
// values rather than failing the page.
func (s *Store) fillDuplicates(ctx context.Context, ds []Duplicate) error {
	if len(ds) == 0 {
		return nil
	}
	ids := make([]any, len(ds))
	at := make(map[int64]int, len(ds))
	for i, d := range ds {
		ids[i], at[d.ID] = d.ID, i
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+duplicateColumns+duplicateFrom+" WHERE c.id IN ("+placeholders(len(ids))+")", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		full, err := scanDuplicate(rows)
		if err != nil {
			return err
		}
		d := &ds[at[full.ID]]
		d.Status, d.LastSeenDate, d.CreatedAt, d.Reference = full.Status, full.LastSeenDate, full.CreatedAt, full.Reference
	}
	return rows.Err()
}

// duplicatePool is what the database can narrow: open or pending cases
// other than me in its region, or in its community (a case filed under
// another region by mistake), with an age in the window or none. Two
// queries, each a tight range of one of migration 016's indexes, rather
// than an OR neither dialect plans well.
func (s *Store) duplicatePool(ctx context.Context, me Duplicate) ([]poolRow, error) {
	ageCond, ageArgs := "", []any{}
	if me.Age != nil {
		ageCond = " AND (c.age IS NULL OR c.age BETWEEN ? AND ?)"
		ageArgs = []any{*me.Age - DuplicateAgeGap, *me.Age + DuplicateAgeGap}
	}
	const base = "SELECT c.id, c.full_name, c.aliases, c.age, c.community, c.region FROM cases c" +
		" WHERE c.status IN ('missing', 'pending') AND c.id <> ?"
	var out []poolRow
	run := func(q string, args ...any) error {
		rows, err := s.db.QueryContext(ctx, q+ageCond, append(args, ageArgs...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p poolRow
			if err := rows.Scan(&p.id, &p.name, &p.aliases, nullIntDest{&p.age}, &p.community, &p.region); err != nil {
				return err
			}
			out = append(out, p)
		}
		return rows.Err()
	}
	if me.Region != "" {
		if err := run(base+" AND c.region = ?", me.ID, me.Region); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(me.Community) != "" {
		if err := run(base+" AND c.community = ? AND c.region <> ?", me.ID, me.Community, me.Region); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// compareDuplicates orders candidates strongest first (see
// PossibleDuplicates).
func compareDuplicates(a, b Duplicate) int {
	rank := func(d Duplicate) [4]int {
		gap := d.AgeGap
		if gap < 0 {
			gap = DuplicateAgeGap + 1 // unknown: after every known age in the window
		}
		return [4]int{boolRank(d.ExactName), boolRank(d.SameCommunity), boolRank(!d.ByAlias), -gap}
	}
	ra, rb := rank(a), rank(b)
	for i := range ra {
		if ra[i] != rb[i] {
			return rb[i] - ra[i]
		}
	}
	return cmp.Compare(a.ID, b.ID) // ids grow with time: the older case first
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// splitAliases splits an aliases field the way moderators write it.
func splitAliases(s string) []string {
	var out []string
	for a := range strings.FieldsFuncSeq(s, func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '\n' || r == '\r'
	}) {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// aliasMatch: one side's name is similar to one of the other's aliases
// (mine matches my name, myAliases my aliases). Aliases against aliases
// are not compared: two people who share only a nickname are not a match
// worth a moderator's time.
func aliasMatch(mine func(string) bool, myAliases []func(string) bool, name string, aliases []string) bool {
	for _, al := range aliases {
		if mine(al) {
			return true
		}
	}
	for _, m := range myAliases {
		if m(name) {
			return true
		}
	}
	return false
}

// placeKey folds a community name for comparison: accents, case and
// everything but letters and digits ignored (St. John's = St Johns).
func placeKey(s string) string {
	var b strings.Builder
	for _, r := range sortName(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Merging.

// MergeResult says what MergeCase moved.
type MergeResult struct {
	From, Into int64
	Photos     int  // photos moved
	Additions  int  // reporter's additions moved
	Tips       int  // tips moved
	Notes      int  // public notes moved (issue 19)
	IntoPublic bool // the target is published: its public page changed when photos moved
}

// ErrAlreadyMerged: the case was already merged into the same target (a
// second click); nothing changed.
var ErrAlreadyMerged = errors.New("already merged")

// MergedReason is the reject reason of a report merged into case into.
func MergedReason(into int64) string {
	return fmt.Sprintf(mergedFormat, into)
}

const mergedFormat = "Merged into case %d (the same person)"

// MergedInto reads the target back from a reject reason MergedReason wrote
// (false for any other reason, e.g. one a moderator typed).
func MergedInto(reason string) (int64, bool) {
	var id int64
	if _, err := fmt.Sscanf(reason, mergedFormat, &id); err != nil || id < 1 || MergedReason(id) != reason {
		return 0, false
	}
	return id, true
}

// MergeCase merges a pending report (from) into an open or pending case
// (into) in one transaction: from's photos go after into's (the primary
// stays into's, unless into has none), its reporter's additions and any
// tips follow, and from becomes rejected with MergedReason(into) (the
// lifecycle's pending → rejected: no new public state). The reporter's
// reference and private contact stay on from, where the moderators still
// see them. No mail goes out (the "cannot be published" notice would be
// wrong for a person who is listed). Both cases get an audit entry
// naming the other (audit's fields, with Record and Summary set here).
//
// Refusals: from == into, from not pending, into not missing or pending
// (ErrIllegalTransition); an unknown case (ErrNotFound); from already
// merged into into (ErrAlreadyMerged). Two concurrent merges of one report
// merge it once: the status change is a compare-and-set that the second
// loses.
func (s *Store) MergeCase(ctx context.Context, from, into int64, audit *AuditEntry) (MergeResult, error) {
	defer s.observe("merge_case", time.Now())
	res := MergeResult{From: from, Into: into}
	if from == into {
		return res, fmt.Errorf("store: merge case %d: %w: a case cannot be merged into itself", from, ErrIllegalTransition)
	}
	reason := MergedReason(into)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res = MergeResult{From: from, Into: into}
		t := now()
		// The claim comes first, before any read: on MySQL the second of
		// two concurrent merges waits here for the first to commit, and
		// its reads below then see the committed state.
		claim := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET status = 'rejected', reject_reason = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
			reason, dbTime(t), from))
		if claim != nil && !errors.Is(claim, ErrNotFound) {
			return claim
		}
		if claim != nil {
			var st, why string
			if err := tx.QueryRowContext(ctx, "SELECT status, reject_reason FROM cases WHERE id = ?", from).Scan(&st, &why); err != nil {
				return notFound(err)
			}
			if Status(st) == StatusRejected && why == reason {
				return ErrAlreadyMerged
			}
			return fmt.Errorf("%w: only a pending report can be merged, case %d is %s", ErrIllegalTransition, from, st)
		}
		// Lock the target and learn whether it is published, with writes
		// only (a compare-and-set per open status): on MySQL a plain read
		// here could come from a snapshot older than the lock.
		for _, st := range []Status{StatusMissing, StatusPending} {
			err := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET updated_at = ? WHERE id = ? AND status = ?", dbTime(t), into, string(st)))
			if err == nil {
				res.IntoPublic = st.Public()
				break
			}
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			if st == StatusPending {
				var cur string
				if err := tx.QueryRowContext(ctx, "SELECT status FROM cases WHERE id = ?", into).Scan(&cur); err != nil {
					return notFound(err)
				}
				return fmt.Errorf("%w: case %d is %s, not open or pending", ErrIllegalTransition, into, cur)
			}
		}
		var err error
		if res.Photos, err = movePhotos(ctx, tx, from, into); err != nil {
			return err
		}
		if res.Additions, err = moveRows(ctx, tx, "report_additions", from, into); err != nil {
			return err
		}
		if res.Tips, err = moveRows(ctx, tx, "tips", from, into); err != nil {
			return err
		}
		// Public notes follow too (issue 19); named only when there were some.
		if res.Notes, err = moveRows(ctx, tx, "case_notes", from, into); err != nil {
			return err
		}
		// A reporter's request for first-name-only publishing goes with
		// the report, as a flag for staff: the target's option itself is
		// the moderator's decision (it may be public by its full name).
		var asked bool
		if err := tx.QueryRowContext(ctx, "SELECT first_name_requested FROM cases WHERE id = ?", from).Scan(&asked); err != nil {
			return err
		}
		if asked {
			if _, err := tx.ExecContext(ctx, "UPDATE cases SET first_name_requested = 1 WHERE id = ?", into); err != nil {
				return err
			}
		}
		moved := fmt.Sprintf("%d photos, %d reporter's additions, %d tips", res.Photos, res.Additions, res.Tips)
		if res.Notes > 0 {
			moved += fmt.Sprintf(", %d public notes", res.Notes)
		}
		if audit != nil {
			e := *audit
			e.Record, e.Summary = caseRecord(from), fmt.Sprintf("merged into case %d (same person): status pending → rejected; moved %s", into, moved)
			if err := insertAudit(ctx, tx, &e, ""); err != nil {
				return err
			}
			e = *audit
			e.Record, e.Summary = caseRecord(into), fmt.Sprintf("case %d merged into this case (same person): received %s", from, moved)
			if err := insertAudit(ctx, tx, &e, ""); err != nil {
				return err
			}
		}
		if res.IntoPublic && (res.Photos > 0 || res.Notes > 0) {
			return bumpContent(ctx, tx, into)
		}
		return nil
	})
	if err != nil {
		return res, fmt.Errorf("store: merge case %d into %d: %w", from, into, err)
	}
	return res, nil
}

// movePhotos moves from's photos after into's, in their order. The
// target keeps its primary photo; if it has none, from's primary (if any)
// becomes it.
func movePhotos(ctx context.Context, tx *sql.Tx, from, into int64) (int, error) {
	var next, hasPrimary int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(position) + 1, 0), COALESCE(SUM(is_primary), 0) FROM case_photos WHERE case_id = ?", into).
		Scan(&next, &hasPrimary); err != nil {
		return 0, fmt.Errorf("photos: %w", err)
	}
	keep := 0
	if hasPrimary == 0 {
		keep = 1
	}
	res, err := tx.ExecContext(ctx, "UPDATE case_photos SET case_id = ?, position = position + ?, is_primary = is_primary * ? WHERE case_id = ?",
		into, next, keep, from)
	if err != nil {
		return 0, fmt.Errorf("photos: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// moveRows re-parents a table's rows from one case to another. table is
// one of this file's constants, never input.
func moveRows(ctx context.Context, tx *sql.Tx, table string, from, into int64) (int, error) {
	res, err := tx.ExecContext(ctx, "UPDATE "+table+" SET case_id = ? WHERE case_id = ?", into, from)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", table, err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}
