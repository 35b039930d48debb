package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// CreateMessage stores a contact-form message.
func (s *Store) CreateMessage(ctx context.Context, m *Message) (int64, error) {
	defer s.observe("create_message", time.Now())
	var k checker
	k.text("name", m.Name, maxName)
	k.text("email", m.Email, maxEmail)
	k.text("subject", m.Subject, maxName)
	k.require("message", m.Body)
	k.long("message", m.Body)
	if err := k.err(); err != nil {
		return 0, fmt.Errorf("store: create message: %w", err)
	}
	t := now()
	res, err := s.wdb.ExecContext(ctx, "INSERT INTO messages (name, email, subject, body, is_read, created_at) VALUES (?, ?, ?, ?, 0, ?)",
		m.Name, m.Email, m.Subject, m.Body, dbTime(t))
	s.noteWrite(err) // a public write outside inTx: count it for /readyz too
	if err != nil {
		return 0, fmt.Errorf("store: create message: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("store: create message: %w", err)
	}
	m.ID, m.Read, m.CreatedAt = id, false, t
	return id, nil
}

const messageColumns = "id, name, email, subject, body, is_read, created_at"

func scanMessage(r rowScanner) (*Message, error) {
	var m Message
	if err := r.Scan(&m.ID, &m.Name, &m.Email, &m.Subject, &m.Body, &m.Read, timeDest{&m.CreatedAt}); err != nil {
		return nil, err
	}
	return &m, nil
}

// GetMessage returns one message.
func (s *Store) GetMessage(ctx context.Context, id int64) (*Message, error) {
	m, err := scanMessage(s.db.QueryRowContext(ctx, "SELECT "+messageColumns+" FROM messages WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get message %d: %w", id, notFound(err))
	}
	return m, nil
}

// ListMessages returns one page of messages, newest first, and the total.
func (s *Store) ListMessages(ctx context.Context, unreadOnly bool, pg, perPage int) ([]Message, int, error) {
	cond := ""
	if unreadOnly {
		cond = " WHERE is_read = 0"
	}
	_, per, off := page(pg, perPage, 20, 100)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM messages"+cond).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list messages: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+messageColumns+" FROM messages"+cond+" ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", per, off)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list messages: %w", err)
	}
	defer rows.Close()
	var out []Message
	for rows.Next() {
		m, err := scanMessage(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list messages: %w", err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list messages: %w", err)
	}
	return out, total, nil
}

// SetMessageRead marks a message read or unread.
func (s *Store) SetMessageRead(ctx context.Context, id int64, read bool, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE messages SET is_read = ? WHERE id = ?", read, id)); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("message:%d", id))
	})
	if err != nil {
		return fmt.Errorf("store: set message %d read: %w", id, err)
	}
	return nil
}

// CountUnreadMessages counts messages not yet read.
func (s *Store) CountUnreadMessages(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM messages WHERE is_read = 0").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count unread messages: %w", err)
	}
	return n, nil
}
