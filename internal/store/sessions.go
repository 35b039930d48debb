package store

import (
	"context"
	"fmt"
	"time"
)

func checkIDHash(h []byte) error {
	if len(h) == 0 || len(h) > 64 {
		return fmt.Errorf("%w: session id hash must be 1..64 bytes", ErrInvalid)
	}
	return nil
}

// CreateSession stores a new session (CreatedAt/LastSeenAt default to now).
func (s *Store) CreateSession(ctx context.Context, sess *Session) error {
	if err := checkIDHash(sess.IDHash); err != nil {
		return fmt.Errorf("store: create session: %w", err)
	}
	if sess.ExpiresAt.IsZero() {
		return fmt.Errorf("store: create session: %w: ExpiresAt required", ErrInvalid)
	}
	t := now()
	if sess.CreatedAt.IsZero() {
		sess.CreatedAt = t
	}
	if sess.LastSeenAt.IsZero() {
		sess.LastSeenAt = t
	}
	sess.CreatedAt = sess.CreatedAt.UTC().Truncate(time.Microsecond)
	sess.LastSeenAt = sess.LastSeenAt.UTC().Truncate(time.Microsecond)
	sess.ExpiresAt = sess.ExpiresAt.UTC().Truncate(time.Microsecond)
	_, err := s.wdb.ExecContext(ctx, "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, data) VALUES (?, ?, ?, ?, ?, ?)",
		sess.IDHash, sess.UserID, dbTime(sess.CreatedAt), dbTime(sess.LastSeenAt), dbTime(sess.ExpiresAt), nullBytes(sess.Data))
	if err != nil {
		if s.d.isUniqueViolation(err) {
			return fmt.Errorf("store: create session: %w", ErrConflict)
		}
		return fmt.Errorf("store: create session: %w", err)
	}
	return nil
}

// GetSession returns a session by the hash of its id, expired or not: the
// caller (internal/auth) decides about idle and absolute expiry.
func (s *Store) GetSession(ctx context.Context, idHash []byte) (*Session, error) {
	defer s.observe("get_session", time.Now())
	var sess Session
	err := s.db.QueryRowContext(ctx, "SELECT id_hash, user_id, created_at, last_seen_at, expires_at, data FROM sessions WHERE id_hash = ?", idHash).
		Scan(&sess.IDHash, &sess.UserID, timeDest{&sess.CreatedAt}, timeDest{&sess.LastSeenAt}, timeDest{&sess.ExpiresAt}, &sess.Data)
	if err != nil {
		return nil, fmt.Errorf("store: get session: %w", notFound(err))
	}
	return &sess, nil
}

// TouchSession records activity (the idle clock restarts).
func (s *Store) TouchSession(ctx context.Context, idHash []byte, at time.Time) error {
	if err := mustAffect(s.wdb.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", dbTime(at), idHash)); err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

// SetSessionData replaces the session's small state (JSON).
func (s *Store) SetSessionData(ctx context.Context, idHash []byte, data []byte) error {
	if len(data) > maxTextBytes {
		return fmt.Errorf("store: set session data: %w: more than %d bytes", ErrInvalid, maxTextBytes)
	}
	if err := mustAffect(s.wdb.ExecContext(ctx, "UPDATE sessions SET data = ? WHERE id_hash = ?", nullBytes(data), idHash)); err != nil {
		return fmt.Errorf("store: set session data: %w", err)
	}
	return nil
}

// DeleteSession removes one session; deleting a missing one is not an error
// (logging out twice is fine).
func (s *Store) DeleteSession(ctx context.Context, idHash []byte) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM sessions WHERE id_hash = ?", idHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions signs a user out everywhere.
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID); err != nil {
		return fmt.Errorf("store: delete sessions of user %d: %w", userID, err)
	}
	return nil
}

// DeleteExpiredSessions removes sessions idle since before idleBefore or
// past their absolute expiry at now; it returns how many.
func (s *Store) DeleteExpiredSessions(ctx context.Context, idleBefore, now time.Time) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM sessions WHERE last_seen_at < ? OR expires_at <= ?", dbTime(idleBefore), dbTime(now))
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return n, nil
}

// CountSessions counts stored sessions (for metrics).
func (s *Store) CountSessions(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM sessions").Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count sessions: %w", err)
	}
	return n, nil
}
