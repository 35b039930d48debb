package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ImportPFIFCase creates c as a pending case for the PFIF person record
// recordID, once: when that record was imported before, it returns the
// case it became and created=false and writes nothing. c must be pending
// (an import is never public until a moderator publishes it). The mapping
// row, the case and the audit entry commit together. Two imports racing on
// one record: the second hits the primary key, rolls back, and returns the
// first one's case.
func (s *Store) ImportPFIFCase(ctx context.Context, recordID string, c *Case, audit *AuditEntry) (id int64, created bool, err error) {
	defer s.observe("import_pfif_case", time.Now())
	if recordID == "" || len(recordID) > 500 {
		return 0, false, fmt.Errorf("store: import pfif %q: record id must be 1 to 500 bytes", recordID)
	}
	if c.Status != StatusPending {
		return 0, false, fmt.Errorf("store: import pfif %s: %w: imports are pending, not %q", recordID, ErrIllegalTransition, c.Status)
	}
	if id, err := s.PFIFImportCase(ctx, recordID); err == nil {
		return id, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return 0, false, err
	}
	_, err = s.createCase(ctx, c, ReporterContact{}, nil, audit, func(tx *sql.Tx, id int64) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO pfif_imports (person_record_id, case_id, imported_at) VALUES (?, ?, ?)",
			recordID, id, dbTime(now()))
		return err
	})
	if err != nil {
		if s.d.isUniqueViolation(err) {
			if id, err := s.PFIFImportCase(ctx, recordID); err == nil {
				return id, false, nil
			}
		}
		return 0, false, fmt.Errorf("store: import pfif %s: %w", recordID, err)
	}
	return c.ID, true, nil
}

// PFIFImportCase is the case a PFIF person record was imported as
// (ErrNotFound when it never was, or the case was deleted since).
func (s *Store) PFIFImportCase(ctx context.Context, recordID string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, "SELECT case_id FROM pfif_imports WHERE person_record_id = ?", recordID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: pfif import %s: %w", recordID, notFound(err))
	}
	return id, nil
}
