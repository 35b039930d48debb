package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// insertAudit writes e (if non-nil) with q, which is the transaction of the
// write it records: both commit or neither does. An empty Record becomes
// defaultRecord ("case:42"); CreatedAt is set to now.
func insertAudit(ctx context.Context, q queryer, e *AuditEntry, defaultRecord string) error {
	if e == nil {
		return nil
	}
	if e.Record == "" {
		e.Record = defaultRecord
	}
	var c checker
	c.text("audit user_email", e.UserEmail, maxEmail)
	c.text("audit action", e.Action, maxShort)
	c.text("audit record", e.Record, maxName)
	c.long("audit summary", e.Summary)
	c.text("audit ip", e.IP, 64)
	c.require("audit action", e.Action)
	if err := c.err(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	e.CreatedAt = now()
	var uid any
	if e.UserID != nil {
		uid = *e.UserID
	}
	res, err := q.ExecContext(ctx, `INSERT INTO audit_entries (user_id, user_email, action, record, summary, ip, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, uid, e.UserEmail, e.Action, e.Record, e.Summary, e.IP, dbTime(e.CreatedAt))
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if e.ID, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// auditReset returns a function that puts e back as the caller passed it.
// Writes whose audit defaults depend on the attempt (a new row id, the
// status read in the transaction) call it first thing in their transaction
// body, so a retried transaction does not keep the first attempt's values.
func auditReset(e *AuditEntry) func() {
	if e == nil {
		return func() {}
	}
	saved := *e
	return func() { *e = saved }
}

// AppendAudit records an action that is not part of another write (e.g. a
// failed login). The log is append-only: there is no update or delete.
func (s *Store) AppendAudit(ctx context.Context, e *AuditEntry) error {
	if e == nil {
		return fmt.Errorf("store: append audit: nil entry")
	}
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return insertAudit(ctx, tx, e, "") }); err != nil {
		return fmt.Errorf("store: append audit: %w", err)
	}
	return nil
}

// AuditFilter selects audit entries; zero values mean "any".
type AuditFilter struct {
	UserID       int64
	Action       string
	Record       string
	Since, Until *time.Time
	Page         int
	PerPage      int // default 50, max 200
}

// ListAudit returns one page of entries, newest first, and the total count.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	defer s.observe("list_audit", time.Now())
	var where []string
	var args []any
	if f.UserID != 0 {
		where = append(where, "user_id = ?")
		args = append(args, f.UserID)
	}
	if f.Action != "" {
		where = append(where, "action = ?")
		args = append(args, f.Action)
	}
	if f.Record != "" {
		where = append(where, "record = ?")
		args = append(args, f.Record)
	}
	if f.Since != nil {
		where = append(where, "created_at >= ?")
		args = append(args, dbTime(*f.Since))
	}
	if f.Until != nil {
		where = append(where, "created_at <= ?")
		args = append(args, dbTime(*f.Until))
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	_, per, off := page(f.Page, f.PerPage, 50, 200)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_entries"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list audit: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, user_id, user_email, action, record, summary, ip, created_at
		FROM audit_entries`+cond+` ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, append(args, per, off)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var uid sql.NullInt64
		if err := rows.Scan(&e.ID, &uid, &e.UserEmail, &e.Action, &e.Record, &e.Summary, &e.IP, timeDest{&e.CreatedAt}); err != nil {
			return nil, 0, fmt.Errorf("store: list audit: %w", err)
		}
		if uid.Valid {
			v := uid.Int64
			e.UserID = &v
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list audit: %w", err)
	}
	return out, total, nil
}
