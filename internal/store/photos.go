package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// checkPhotos validates photo rows before they are written.
func checkPhotos(photos []Photo) error {
	var k checker
	for i, p := range photos {
		f := fmt.Sprintf("photo %d ", i)
		k.require(f+"key", p.Key)
		k.text(f+"key", p.Key, maxShort)
		k.long(f+"alt", p.Alt)
		if p.Width < 0 || p.Height < 0 {
			k.add(f + "size: negative")
		}
	}
	return k.err()
}

// insertPhotos appends photos after the case's existing ones, keeping
// exactly one primary: a photo marked Primary wins (the first such one),
// otherwise the current primary stays, otherwise the first photo becomes it.
// It fills ID, CaseID, Position, Primary and CreatedAt in place.
func insertPhotos(ctx context.Context, tx *sql.Tx, caseID int64, photos []Photo, t time.Time) error {
	if len(photos) == 0 {
		return nil
	}
	var next int
	var hasPrimary int
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(position) + 1, 0), COALESCE(SUM(is_primary), 0) FROM case_photos WHERE case_id = ?", caseID).
		Scan(&next, &hasPrimary); err != nil {
		return fmt.Errorf("photos: %w", err)
	}
	want := -1
	for i, p := range photos {
		if p.Primary {
			want = i
			break
		}
	}
	if want < 0 && hasPrimary == 0 {
		want = 0
	}
	if want >= 0 && hasPrimary > 0 {
		if _, err := tx.ExecContext(ctx, "UPDATE case_photos SET is_primary = 0 WHERE case_id = ?", caseID); err != nil {
			return fmt.Errorf("photos: %w", err)
		}
	}
	for i := range photos {
		p := &photos[i]
		p.CaseID, p.Position, p.Primary, p.CreatedAt = caseID, next+i, i == want, t
		res, err := tx.ExecContext(ctx, `INSERT INTO case_photos (case_id, photo_key, position, is_primary, width, height, alt, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, caseID, p.Key, p.Position, p.Primary, p.Width, p.Height, p.Alt, dbTime(t))
		if err != nil {
			return fmt.Errorf("photo %q: %w", p.Key, err)
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("photo %q: %w", p.Key, err)
		}
	}
	return nil
}

// caseExists turns a missing case into ErrNotFound inside a write.
func caseExists(ctx context.Context, q queryer, caseID int64) error {
	var one int
	if err := q.QueryRowContext(ctx, "SELECT 1 FROM cases WHERE id = ?", caseID).Scan(&one); err != nil {
		return notFound(err)
	}
	return nil
}

// AddPhotos appends photos to a case (see insertPhotos for the primary rule).
func (s *Store) AddPhotos(ctx context.Context, caseID int64, photos []Photo, audit *AuditEntry) error {
	if err := checkPhotos(photos); err != nil {
		return fmt.Errorf("store: add photos to case %d: %w", caseID, err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		if err := insertPhotos(ctx, tx, caseID, photos, now()); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return fmt.Errorf("store: add photos to case %d: %w", caseID, err)
	}
	return nil
}

func listPhotos(ctx context.Context, q queryer, caseID int64) ([]Photo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, photo_key, position, is_primary, width, height, alt, created_at
		FROM case_photos WHERE case_id = ? ORDER BY position, id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Photo
	for rows.Next() {
		var p Photo
		if err := rows.Scan(&p.ID, &p.CaseID, &p.Key, &p.Position, &p.Primary, &p.Width, &p.Height, &p.Alt, timeDest{&p.CreatedAt}); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ListPhotos returns a case's photos in display order (empty for an
// unknown case).
func (s *Store) ListPhotos(ctx context.Context, caseID int64) ([]Photo, error) {
	defer s.observe("list_photos", time.Now())
	ps, err := listPhotos(ctx, &s.reads, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: list photos of case %d: %w", caseID, err)
	}
	return ps, nil
}

// PhotoByKey finds a photo by its blob key, with its case's status so the
// media handler can refuse photos of non-public cases.
func (s *Store) PhotoByKey(ctx context.Context, key string) (Photo, Status, error) {
	var p Photo
	var st string
	err := s.db.QueryRowContext(ctx, `SELECT p.id, p.case_id, p.photo_key, p.position, p.is_primary, p.width, p.height, p.alt, p.created_at, c.status
		FROM case_photos p JOIN cases c ON c.id = p.case_id WHERE p.photo_key = ?`, key).
		Scan(&p.ID, &p.CaseID, &p.Key, &p.Position, &p.Primary, &p.Width, &p.Height, &p.Alt, timeDest{&p.CreatedAt}, &st)
	if err != nil {
		return Photo{}, "", fmt.Errorf("store: photo by key: %w", notFound(err))
	}
	return p, Status(st), nil
}

// ReorderPhotos sets the display order; photoIDs must be exactly the case's
// photos (ErrInvalid otherwise), first = position 0.
func (s *Store) ReorderPhotos(ctx context.Context, caseID int64, photoIDs []int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		cur, err := listPhotos(ctx, tx, caseID)
		if err != nil {
			return err
		}
		have := make([]int64, len(cur))
		for i, p := range cur {
			have[i] = p.ID
		}
		if !sameIDs(photoIDs, have) {
			return fmt.Errorf("%w: the new order must list each photo of the case exactly once", ErrInvalid)
		}
		for i, id := range photoIDs {
			if _, err := tx.ExecContext(ctx, "UPDATE case_photos SET position = ? WHERE id = ? AND case_id = ?", i, id, caseID); err != nil {
				return err
			}
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return fmt.Errorf("store: reorder photos of case %d: %w", caseID, err)
	}
	return nil
}

// sameIDs reports whether ids is a permutation of have.
func sameIDs(ids, have []int64) bool {
	if len(ids) != len(have) {
		return false
	}
	want := make(map[int64]bool, len(have))
	for _, id := range have {
		want[id] = true
	}
	for _, id := range ids {
		if !want[id] {
			return false
		}
		delete(want, id) // a duplicate is then "not wanted"
	}
	return len(want) == 0
}

// SetPrimaryPhoto makes photoID the case's only primary photo.
func (s *Store) SetPrimaryPhoto(ctx context.Context, caseID, photoID int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM case_photos WHERE id = ? AND case_id = ?", photoID, caseID).Scan(&one); err != nil {
			return notFound(err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE case_photos SET is_primary = CASE WHEN id = ? THEN 1 ELSE 0 END WHERE case_id = ?", photoID, caseID); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return fmt.Errorf("store: set primary photo %d of case %d: %w", photoID, caseID, err)
	}
	return nil
}

// DeletePhoto removes one photo of a case and returns it (the caller deletes
// the blobs). Positions close up; if it was primary, the first remaining
// photo becomes primary. ErrNotFound if the photo is not that case's.
func (s *Store) DeletePhoto(ctx context.Context, caseID, photoID int64, audit *AuditEntry) (Photo, error) {
	var gone Photo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ps, err := listPhotos(ctx, tx, caseID)
		if err != nil {
			return err
		}
		found := false
		var rest []Photo
		for _, p := range ps {
			if p.ID == photoID {
				gone, found = p, true
			} else {
				rest = append(rest, p)
			}
		}
		if !found {
			return ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM case_photos WHERE id = ?", photoID); err != nil {
			return err
		}
		for i, p := range rest {
			primary := p.Primary || (gone.Primary && i == 0)
			if p.Position != i || primary != p.Primary {
				if _, err := tx.ExecContext(ctx, "UPDATE case_photos SET position = ?, is_primary = ? WHERE id = ?", i, primary, p.ID); err != nil {
					return err
				}
			}
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return Photo{}, fmt.Errorf("store: delete photo %d of case %d: %w", photoID, caseID, err)
	}
	return gone, nil
}
