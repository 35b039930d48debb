package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Photos held for a public report form (issue 13, "nothing a family
// attached is lost"). When the form comes back with an error, the photos
// that arrived with it have already been processed and stored; their rows
// wait here under the form's token, so the family does not choose them
// again. The token is a capability (256 random bits, only its SHA-256 is
// stored) carried in a hidden field of the form; whoever holds it may see,
// remove and send these photos, nobody else. A hold lasts FormHoldLifetime
// from its first photo; then the photos are neither shown nor attached,
// and the retention job deletes the rows and their blobs.

// FormHoldLifetime is how long photos stay held for a form that is not
// sent: long enough to fetch a police file number and come back the same
// day, short enough that photos of a report never sent do not linger.
const FormHoldLifetime = 24 * time.Hour

// ErrTooManyPhotos: holding these photos would put more than the allowed
// number under one form token.
var ErrTooManyPhotos = errors.New("too many photos for one form")

// HeldPhoto is a photo held for a report form.
type HeldPhoto struct {
	ID        int64
	Key       string
	Width     int
	Height    int
	CreatedAt time.Time
	ExpiresAt time.Time
}

// NewFormToken returns a new report-form token: 256 bits from crypto/rand,
// base64url without padding (43 characters), like a reporter's link.
func NewFormToken() (string, error) { return newReportToken() }

var formTokenRe = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// ValidFormToken reports whether s has the shape NewFormToken gives, so
// junk from a form is turned away before it reaches a query.
func ValidFormToken(s string) bool { return formTokenRe.MatchString(s) }

// HoldReportPhotos holds photos (whose blobs are already written) under
// token, at most max in all for the token (ErrTooManyPhotos otherwise:
// nothing is held). The hold expires FormHoldLifetime after its first
// photo; adding photos does not extend it. A token whose hold has expired
// counts as new.
func (s *Store) HoldReportPhotos(ctx context.Context, token string, photos []HeldPhoto, max int, at time.Time) ([]HeldPhoto, error) {
	if !ValidFormToken(token) {
		return nil, fmt.Errorf("store: hold report photos: %w: malformed token", ErrInvalid)
	}
	var k checker
	for i, p := range photos {
		f := fmt.Sprintf("photo %d ", i)
		k.require(f+"key", p.Key)
		k.text(f+"key", p.Key, maxShort)
		if p.Width < 0 || p.Height < 0 {
			k.add(f + "size: negative")
		}
	}
	if err := k.err(); err != nil {
		return nil, fmt.Errorf("store: hold report photos: %w", err)
	}
	at = at.UTC().Truncate(time.Microsecond)
	h := tokenHash(token)
	var out []HeldPhoto
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		// Two posts of one form at once must not together pass the limit.
		// SQLite serialises writers. On MySQL this no-op UPDATE locks the
		// token's rows (and, for a new token, the index gap where they
		// would go) before anything is counted, so the second post waits
		// for the first, or is the deadlock victim inTx runs again; its
		// count then reads what the first committed.
		if _, err := tx.ExecContext(ctx, "UPDATE report_form_photos SET width = width WHERE token_hash = ?", h); err != nil {
			return err
		}
		var n int
		var first nullTime
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*), MIN(expires_at) FROM report_form_photos WHERE token_hash = ? AND expires_at > ?",
			h, dbTime(at)).Scan(&n, &first); err != nil {
			return err
		}
		if n+len(photos) > max {
			return ErrTooManyPhotos
		}
		expires := at.Add(FormHoldLifetime)
		if first.t != nil {
			expires = *first.t
		}
		for _, p := range photos {
			res, err := tx.ExecContext(ctx, `INSERT INTO report_form_photos (token_hash, photo_key, width, height, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?)`, h, p.Key, p.Width, p.Height, dbTime(at), dbTime(expires))
			if err != nil {
				return fmt.Errorf("photo %q: %w", p.Key, err)
			}
			p.ID, err = res.LastInsertId()
			if err != nil {
				return err
			}
			p.CreatedAt, p.ExpiresAt = at, expires
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: hold report photos: %w", err)
	}
	return out, nil
}

const heldColumns = "id, photo_key, width, height, created_at, expires_at"

func scanHeld(r rowScanner) (HeldPhoto, error) {
	var p HeldPhoto
	err := r.Scan(&p.ID, &p.Key, &p.Width, &p.Height, timeDest{&p.CreatedAt}, timeDest{&p.ExpiresAt})
	return p, err
}

// HeldReportPhotos returns the photos held under token that have not
// expired at at, in the order they arrived; none for an unknown, expired
// or malformed token.
func (s *Store) HeldReportPhotos(ctx context.Context, token string, at time.Time) ([]HeldPhoto, error) {
	if !ValidFormToken(token) {
		return nil, nil
	}
	return listHeld(ctx, s.db, token, at)
}

func listHeld(ctx context.Context, q queryer, token string, at time.Time) ([]HeldPhoto, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+heldColumns+" FROM report_form_photos WHERE token_hash = ? AND expires_at > ? ORDER BY id",
		tokenHash(token), dbTime(at))
	if err != nil {
		return nil, fmt.Errorf("store: held report photos: %w", err)
	}
	defer rows.Close()
	var out []HeldPhoto
	for rows.Next() {
		p, err := scanHeld(rows)
		if err != nil {
			return nil, fmt.Errorf("store: held report photos: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: held report photos: %w", err)
	}
	return out, nil
}

// HeldReportPhoto returns the photo id held under token, if it has not
// expired at at (ErrNotFound otherwise, also for another form's photo).
func (s *Store) HeldReportPhoto(ctx context.Context, token string, id int64, at time.Time) (HeldPhoto, error) {
	if !ValidFormToken(token) {
		return HeldPhoto{}, fmt.Errorf("store: held report photo: %w", ErrNotFound)
	}
	p, err := scanHeld(s.db.QueryRowContext(ctx, "SELECT "+heldColumns+" FROM report_form_photos WHERE id = ? AND token_hash = ? AND expires_at > ?",
		id, tokenHash(token), dbTime(at)))
	if err != nil {
		return HeldPhoto{}, fmt.Errorf("store: held report photo: %w", notFound(err))
	}
	return p, nil
}

// ReleaseHeldPhoto deletes the row of photo id held under token and
// returns it, so the caller deletes its blobs (ErrNotFound when the token
// does not hold it).
func (s *Store) ReleaseHeldPhoto(ctx context.Context, token string, id int64) (HeldPhoto, error) {
	if !ValidFormToken(token) {
		return HeldPhoto{}, fmt.Errorf("store: release held photo: %w", ErrNotFound)
	}
	var p HeldPhoto
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = scanHeld(tx.QueryRowContext(ctx, "SELECT "+heldColumns+" FROM report_form_photos WHERE id = ? AND token_hash = ?", id, tokenHash(token)))
		if err != nil {
			return notFound(err)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM report_form_photos WHERE id = ? AND token_hash = ?", id, tokenHash(token))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound // released at the same time by another request
		}
		return nil
	})
	if err != nil {
		return HeldPhoto{}, fmt.Errorf("store: release held photo: %w", err)
	}
	return p, nil
}

// DeleteExpiredHeldPhotos deletes up to limit held photos whose hold ended
// at or before at, and returns their keys so the caller deletes the blobs
// (after the commit: a failure there leaves an orphan the sweeper removes,
// never a row without its blobs).
func (s *Store) DeleteExpiredHeldPhotos(ctx context.Context, at time.Time, limit int) ([]string, error) {
	var keys []string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		keys = keys[:0]
		rows, err := tx.QueryContext(ctx, "SELECT id, photo_key FROM report_form_photos WHERE expires_at <= ? ORDER BY id LIMIT ?", dbTime(at), limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			var k string
			if err := rows.Scan(&id, &k); err != nil {
				rows.Close()
				return err
			}
			ids, keys = append(ids, id), append(keys, k)
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return err
		}
		rows.Close()
		if len(ids) == 0 {
			return nil
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM report_form_photos WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: delete expired held photos: %w", err)
	}
	return keys, nil
}

// ErrHeldPhotosChanged: the photos held for a form changed between the
// moment the visitor saw them and the send (removed in another tab, sent
// twice, or expired). Nothing was stored.
var ErrHeldPhotosChanged = errors.New("held photos changed")

// CreateReportWithHeld is CreateReport for a form whose photos are held
// under token: in the one transaction that creates the case, the held rows
// (want: their ids, in the order shown) are deleted and become the case's
// photos, the first one primary. If they are not exactly what is held
// and unexpired at at, nothing is stored (ErrHeldPhotosChanged).
func (s *Store) CreateReportWithHeld(ctx context.Context, c *Case, contact ReporterContact, token string, want []int64, audit *AuditEntry, at time.Time) (ReportReceipt, error) {
	if len(want) == 0 {
		return s.CreateReport(ctx, c, contact, nil, audit, at)
	}
	if !ValidFormToken(token) {
		return ReportReceipt{}, fmt.Errorf("store: create report: %w", ErrHeldPhotosChanged)
	}
	return s.createReport(ctx, c, contact, nil, audit, at, func(tx *sql.Tx, caseID int64) error {
		held, err := listHeld(ctx, tx, token, at)
		if err != nil {
			return err
		}
		if len(held) != len(want) {
			return ErrHeldPhotosChanged
		}
		photos := make([]Photo, len(held))
		ids := make([]any, len(held))
		for i, p := range held {
			if p.ID != want[i] {
				return ErrHeldPhotosChanged
			}
			ids[i] = p.ID
			photos[i] = Photo{Key: p.Key, Width: p.Width, Height: p.Height, Primary: i == 0}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM report_form_photos WHERE id IN (?"+strings.Repeat(", ?", len(ids)-1)+")", ids...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if int(n) != len(ids) {
			return ErrHeldPhotosChanged // taken by a concurrent send
		}
		return insertPhotos(ctx, tx, caseID, photos, now())
	})
}

// nullTime scans a nullable aggregate of a DATETIME column (MIN of no
// rows is NULL).
type nullTime struct{ t *time.Time }

func (d *nullTime) Scan(src any) error { return nullTimeDest{&d.t}.Scan(src) }
