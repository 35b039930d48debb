package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

func checkUpdateBody(body UpdateText) error {
	var k checker
	k.require("body", body.Body)
	k.long("body", body.Body)
	k.long("body_alt", body.BodyAlt)
	return k.err()
}

// UpdateText is what staff write of an update: the text in its case's
// language and, optionally, in the other one ("" for none).
type UpdateText struct{ Body, BodyAlt string }

// AddUpdate adds a dated entry to a case's public timeline, with no
// version in the other language.
func (s *Store) AddUpdate(ctx context.Context, caseID int64, body string, audit *AuditEntry) (int64, error) {
	return s.AddUpdateText(ctx, caseID, UpdateText{Body: body}, audit)
}

// AddUpdateText is AddUpdate with the update's other-language version.
func (s *Store) AddUpdateText(ctx context.Context, caseID int64, body UpdateText, audit *AuditEntry) (int64, error) {
	if err := checkUpdateBody(body); err != nil {
		return 0, fmt.Errorf("store: add update to case %d: %w", caseID, err)
	}
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := caseExists(ctx, tx, caseID); err != nil {
			return err
		}
		t := dbTime(now())
		res, err := tx.ExecContext(ctx, "INSERT INTO case_updates (case_id, body, body_alt, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
			caseID, body.Body, body.BodyAlt, t, t)
		if err != nil {
			return err
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		// The case's followers hear of it (there are none unless the
		// case is published).
		if err := insertFanout(ctx, tx, FanoutCaseUpdate, caseID, id, now()); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return 0, fmt.Errorf("store: add update to case %d: %w", caseID, err)
	}
	return id, nil
}

// EditUpdate changes the text of one update of a case; its version in
// the other language stays as it was.
func (s *Store) EditUpdate(ctx context.Context, caseID, updateID int64, body string, audit *AuditEntry) error {
	return s.editUpdate(ctx, caseID, updateID, UpdateText{Body: body}, false, audit)
}

// EditUpdateText changes both texts of one update of a case (BodyAlt ""
// removes the other-language version).
func (s *Store) EditUpdateText(ctx context.Context, caseID, updateID int64, body UpdateText, audit *AuditEntry) error {
	return s.editUpdate(ctx, caseID, updateID, body, true, audit)
}

func (s *Store) editUpdate(ctx context.Context, caseID, updateID int64, body UpdateText, alt bool, audit *AuditEntry) error {
	if err := checkUpdateBody(body); err != nil {
		return fmt.Errorf("store: edit update %d: %w", updateID, err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		set, args := "body = ?", []any{body.Body}
		if alt {
			set, args = "body = ?, body_alt = ?", []any{body.Body, body.BodyAlt}
		}
		args = append(args, dbTime(now()), updateID, caseID)
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE case_updates SET "+set+", updated_at = ? WHERE id = ? AND case_id = ?", args...)); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return fmt.Errorf("store: edit update %d of case %d: %w", updateID, caseID, err)
	}
	return nil
}

// DeleteUpdate removes one update of a case.
func (s *Store) DeleteUpdate(ctx context.Context, caseID, updateID int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "DELETE FROM case_updates WHERE id = ? AND case_id = ?", updateID, caseID)); err != nil {
			return err
		}
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		return bumpContent(ctx, tx, caseID)
	})
	if err != nil {
		return fmt.Errorf("store: delete update %d of case %d: %w", updateID, caseID, err)
	}
	return nil
}

// ListUpdates returns a case's timeline, newest first.
func (s *Store) ListUpdates(ctx context.Context, caseID int64) ([]Update, error) {
	defer s.observe("list_updates", time.Now())
	rows, err := s.reads.QueryContext(ctx, "SELECT id, case_id, body, body_alt, created_at, updated_at FROM case_updates WHERE case_id = ? ORDER BY created_at DESC, id DESC", caseID)
	if err != nil {
		return nil, fmt.Errorf("store: list updates of case %d: %w", caseID, err)
	}
	defer rows.Close()
	var out []Update
	for rows.Next() {
		var u Update
		if err := rows.Scan(&u.ID, &u.CaseID, &u.Body, &u.BodyAlt, timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt}); err != nil {
			return nil, fmt.Errorf("store: list updates of case %d: %w", caseID, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list updates of case %d: %w", caseID, err)
	}
	return out, nil
}
