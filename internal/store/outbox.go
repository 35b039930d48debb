package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// MailState is where an outbox message is on its way out.
type MailState string

const (
	MailQueued  MailState = "queued"  // waiting for its next attempt
	MailSending MailState = "sending" // leased by a sender (or its sender crashed; the lease then runs out)
	MailSent    MailState = "sent"
	MailFailed  MailState = "failed" // refused for good, or out of attempts: for an admin to look at
)

// MailStates lists every state, in the order an admin page shows them.
var MailStates = []MailState{MailQueued, MailSending, MailSent, MailFailed}

// Mail is one message to queue. The body is already rendered (internal/mail
// renders it); the store only checks sizes and keeps it.
type Mail struct {
	// MessageID is the RFC 5322 Message-ID without angle brackets, made
	// once by the caller: a message that has to be sent again after a
	// crash carries the same id, and a second Enqueue with the same id
	// queues nothing (so a fan-out that runs again is harmless).
	MessageID string
	Kind      string // template name, e.g. "subscription_confirm"; for admins and metrics
	To        string // recipient address: personal data, sealed in the row
	Subject   string
	Text      string
	HTML      string
	// UnsubscribeURL is the https link of List-Unsubscribe ("" for mail
	// that nobody subscribed to, such as a reporter's confirmation).
	UnsubscribeURL string
	// Bulk marks one of many copies (an area alert, a case's update to
	// its followers): the sender takes every due one-person message (a
	// confirmation link someone is waiting for) before any bulk one.
	Bulk bool
}

// PreparedMail is a Mail checked and with its recipient sealed, ready to
// be written inside a transaction without a keeper call there.
type PreparedMail struct {
	m         Mail
	token     []byte
	recipient Sealed
}

// OutboxMessage is one row of the outbox. Recipient is sealed (table
// "outbox", column "recipient", bound to SealToken).
type OutboxMessage struct {
	ID             int64
	MessageID      string
	Kind           string
	Recipient      Sealed
	SealToken      []byte
	Subject        string
	Text           string
	HTML           string
	UnsubscribeURL string
	State          MailState
	Attempts       int
	NextAttemptAt  time.Time
	LeaseOwner     string
	LeaseUntil     *time.Time
	LastError      string
	CreatedAt      time.Time
	SentAt         *time.Time
	Bulk           bool // one of many copies: sent after one-person mail
}

const (
	maxMessageID = 200
	maxSubject   = 300
	// maxMailBody bounds each body (MEDIUMTEXT holds 16 MB; a message of
	// ours is a few KB, so anything near this is a bug, not a message).
	maxMailBody = 1 << 20
	// maxMailError is how much of an SMTP error is kept.
	maxMailError = 1000
)

// checkMail refuses what could not be stored the same way on both
// dialects, and CR/LF in anything that becomes a header: the sender
// refuses them too, but a message that can never be sent should fail
// when it is made, where the caller can see it.
func checkMail(m Mail) error {
	var k checker
	k.require("message_id", m.MessageID)
	k.text("message_id", m.MessageID, maxMessageID)
	k.require("kind", m.Kind)
	k.text("kind", m.Kind, 50)
	k.require("to", m.To)
	k.text("to", m.To, maxEmail)
	k.require("subject", m.Subject)
	k.text("subject", m.Subject, maxSubject)
	k.text("unsubscribe_url", m.UnsubscribeURL, 2000)
	for _, f := range []struct{ name, v string }{{"message_id", m.MessageID}, {"kind", m.Kind}, {"to", m.To}, {"subject", m.Subject}, {"unsubscribe_url", m.UnsubscribeURL}} {
		if strings.ContainsAny(f.v, "\r\n\x00") {
			k.add(f.name + ": contains a line break")
		}
	}
	if len(m.Text) > maxMailBody || len(m.HTML) > maxMailBody {
		k.add("body: too long")
	}
	if m.Text == "" {
		k.add("text: required")
	}
	return k.err()
}

// PrepareMail checks messages and seals their recipients (one keeper call
// each), before the transaction that will queue them.
func (s *Store) PrepareMail(ctx context.Context, msgs ...Mail) ([]PreparedMail, error) {
	out := make([]PreparedMail, 0, len(msgs))
	c := s.fieldCipher()
	for _, m := range msgs {
		if err := checkMail(m); err != nil {
			return nil, fmt.Errorf("store: prepare mail %s: %w", m.Kind, err)
		}
		token, err := newSealToken()
		if err != nil {
			return nil, fmt.Errorf("store: prepare mail: %w", err)
		}
		vals, err := sealRow(ctx, c, "outbox", 0, token, []sealField{{"recipient", m.To}})
		if err != nil {
			return nil, fmt.Errorf("store: prepare mail: %w", err)
		}
		out = append(out, PreparedMail{m: m, token: token, recipient: vals[0]})
	}
	return out, nil
}

// enqueueTx writes prepared messages in the caller's transaction (the
// transaction of the event that causes them). A message whose MessageID
// is already queued is skipped. It returns how many rows it wrote.
func enqueueTx(ctx context.Context, tx *sql.Tx, d dialect, at time.Time, msgs []PreparedMail) (int, error) {
	n := 0
	for _, p := range msgs {
		if len(p.recipient) == 0 {
			return n, fmt.Errorf("enqueue mail: %w: not prepared", ErrInvalid)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox (message_id, kind, recipient, seal_token, subject, body_text, body_html, unsubscribe_url,
			state, attempts, next_attempt_at, lease_owner, lease_until, last_error, created_at, sent_at, bulk)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, NULL, NULL, '', ?, NULL, ?)`,
			p.m.MessageID, p.m.Kind, []byte(p.recipient), p.token, p.m.Subject, p.m.Text, p.m.HTML, p.m.UnsubscribeURL, dbTime(at), dbTime(at), p.m.Bulk)
		if d.isUniqueViolation(err) {
			// The same Message-ID: this message is already queued (a
			// fan-out resumed after a crash). A seal-token clash cannot
			// happen with 128 random bits.
			continue
		}
		if err != nil {
			return n, fmt.Errorf("enqueue mail %s: %w", p.m.Kind, err)
		}
		n++
	}
	return n, nil
}

// Enqueue queues messages on their own (one transaction for all). Events
// that cause mail use the store method of that event instead, so the
// message and the event commit together.
func (s *Store) Enqueue(ctx context.Context, msgs ...Mail) (int, error) {
	prepared, err := s.PrepareMail(ctx, msgs...)
	if err != nil {
		return 0, err
	}
	return s.EnqueuePrepared(ctx, prepared)
}

// EnqueuePrepared queues already prepared messages in one transaction.
func (s *Store) EnqueuePrepared(ctx context.Context, prepared []PreparedMail) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = enqueueTx(ctx, tx, s.d, now(), prepared)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: enqueue: %w", err)
	}
	return n, nil
}

const outboxColumns = `id, message_id, kind, recipient, seal_token, subject, body_text, body_html, unsubscribe_url,
	state, attempts, next_attempt_at, lease_owner, lease_until, last_error, created_at, sent_at, bulk`

func scanOutbox(r rowScanner) (*OutboxMessage, error) {
	var m OutboxMessage
	var st string
	var owner sql.NullString
	if err := r.Scan(&m.ID, &m.MessageID, &m.Kind, (*[]byte)(&m.Recipient), &m.SealToken, &m.Subject, &m.Text, &m.HTML, &m.UnsubscribeURL,
		&st, &m.Attempts, timeDest{&m.NextAttemptAt}, &owner, nullTimeDest{&m.LeaseUntil}, &m.LastError, timeDest{&m.CreatedAt}, nullTimeDest{&m.SentAt}, &m.Bulk); err != nil {
		return nil, err
	}
	m.State = MailState(st)
	m.LeaseOwner = owner.String
	return &m, nil
}

// dueCondition selects messages a sender may take: queued ones whose time
// has come, and ones whose sender's lease ran out (it crashed or hung
// mid-send; the message may have gone out, hence "at most a duplicate").
const dueCondition = "((state = 'queued' AND next_attempt_at <= ?) OR (state = 'sending' AND lease_until <= ?))"

// ClaimOutbox leases up to limit due messages to owner for lease, counts
// an attempt on each, and returns them one-person mail first (see
// Mail.Bulk), then oldest first. Safe with several
// senders on one database: the candidates are read (on MySQL ≥ 8 /
// MariaDB ≥ 10.6 with SKIP LOCKED, so concurrent claims pick different
// rows without waiting), then taken with an UPDATE that repeats the due
// condition, so a row another sender took in between is not taken again;
// only rows this UPDATE leased to owner (owner + lease expiry, which is
// unique per claim) are returned. On SQLite the claim runs on the one
// writer connection, so claims cannot interleave at all.
//
// The attempt is counted at claim time, not after the send: a message that
// crashes its sender every time still reaches its attempt limit.
func (s *Store) ClaimOutbox(ctx context.Context, owner string, limit int, lease time.Duration) ([]OutboxMessage, error) {
	defer s.observe("claim_outbox", time.Now())
	if owner == "" || lease <= 0 {
		return nil, fmt.Errorf("store: claim outbox: %w: owner and lease required", ErrInvalid)
	}
	if limit < 1 || limit > 1000 {
		limit = 100
	}
	var out []OutboxMessage
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		t := now()
		ts := dbTime(t)
		rows, err := tx.QueryContext(ctx, "SELECT id FROM outbox WHERE "+dueCondition+" ORDER BY bulk, next_attempt_at, id LIMIT ?"+s.d.lockSkipping(), ts, ts, limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		until := dbTime(t.Add(lease))
		args := append([]any{owner, until, ts, ts}, ids...)
		if _, err := tx.ExecContext(ctx, "UPDATE outbox SET state = 'sending', lease_owner = ?, lease_until = ?, attempts = attempts + 1 WHERE "+
			dueCondition+" AND id IN ("+placeholders(len(ids))+")", args...); err != nil {
			return err
		}
		args = append([]any{owner, until}, ids...)
		rows, err = tx.QueryContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE state = 'sending' AND lease_owner = ? AND lease_until = ? AND id IN ("+
			placeholders(len(ids))+") ORDER BY bulk, next_attempt_at, id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanOutbox(rows)
			if err != nil {
				return err
			}
			out = append(out, *m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim outbox: %w", err)
	}
	return out, nil
}

// MarkMailSent records a delivery. Whoever holds the lease now: the server
// accepted the message, so it is sent, even if a slow send outlived the
// lease and another sender took the row meanwhile (that sender's copy is
// the duplicate a stable Message-ID lets mail clients fold away).
func (s *Store) MarkMailSent(ctx context.Context, id int64) error {
	t := dbTime(now())
	if err := mustAffect(s.wdb.ExecContext(ctx, "UPDATE outbox SET state = 'sent', sent_at = ?, lease_owner = NULL, lease_until = NULL, last_error = '' WHERE id = ?", t, id)); err != nil {
		return fmt.Errorf("store: mark mail %d sent: %w", id, err)
	}
	return nil
}

// MarkMailsSent records several deliveries in one statement, on the same
// terms as MarkMailSent. A paced sender marks a burst at a time: one
// write instead of one per message, which matters on SQLite, where every
// write makes each reading connection drop its page cache, so the public
// pages read their data afresh for as long as an alert goes out.
func (s *Store) MarkMailsSent(ctx context.Context, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, dbTime(now()))
	for _, id := range ids {
		args = append(args, id)
	}
	if _, err := s.wdb.ExecContext(ctx, "UPDATE outbox SET state = 'sent', sent_at = ?, lease_owner = NULL, lease_until = NULL, last_error = '' WHERE id IN ("+
		placeholders(len(ids))+")", args...); err != nil {
		return fmt.Errorf("store: mark %d mails sent: %w", len(ids), err)
	}
	return nil
}

// RetryMail puts a message back in the queue for another attempt at at,
// if owner still holds it (false when the lease was lost: the new holder
// decides). A message already marked sent is never put back.
func (s *Store) RetryMail(ctx context.Context, id int64, owner string, at time.Time, reason string) (bool, error) {
	return s.releaseMail(ctx, "retry", "UPDATE outbox SET state = 'queued', next_attempt_at = ?, lease_owner = NULL, lease_until = NULL, last_error = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?",
		id, dbTime(at.UTC()), clip(reason, maxMailError), id, owner)
}

// FailMail gives a message up for good (refused by the server, or out of
// attempts), if owner still holds it.
func (s *Store) FailMail(ctx context.Context, id int64, owner, reason string) (bool, error) {
	return s.releaseMail(ctx, "fail", "UPDATE outbox SET state = 'failed', lease_owner = NULL, lease_until = NULL, last_error = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?",
		id, clip(reason, maxMailError), id, owner)
}

func (s *Store) releaseMail(ctx context.Context, op, q string, id int64, args ...any) (bool, error) {
	res, err := s.wdb.ExecContext(ctx, q, args...)
	if err != nil {
		return false, fmt.Errorf("store: %s mail %d: %w", op, id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: %s mail %d: %w", op, id, err)
	}
	return n == 1, nil
}

// RequeueMail puts a failed message back in the queue (an admin's retry),
// with its attempts reset.
func (s *Store) RequeueMail(ctx context.Context, id int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustAffect(tx.ExecContext(ctx, "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, last_error = '' WHERE id = ? AND state = 'failed'", dbTime(now()), id)); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, fmt.Sprintf("outbox:%d", id))
	})
	if err != nil {
		return fmt.Errorf("store: requeue mail %d: %w", id, err)
	}
	return nil
}

// clip cuts s to at most n bytes on a rune boundary and makes it valid UTF-8
// (SMTP replies are not promised to be).
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// OutboxStats is what the metrics report about the outbox.
type OutboxStats struct {
	ByState map[MailState]int // every state present
	// OldestQueued is the creation time of the oldest message not yet
	// sent or failed (zero when there is none).
	OldestQueued time.Time
}

// OutboxStats counts messages by state and finds the oldest unsent one.
func (s *Store) OutboxStats(ctx context.Context) (OutboxStats, error) {
	st := OutboxStats{ByState: map[MailState]int{}}
	for _, m := range MailStates {
		st.ByState[m] = 0
	}
	rows, err := s.db.QueryContext(ctx, "SELECT state, COUNT(*) FROM outbox GROUP BY state")
	if err != nil {
		return st, fmt.Errorf("store: outbox stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return st, fmt.Errorf("store: outbox stats: %w", err)
		}
		st.ByState[MailState(state)] = n
	}
	if err := rows.Err(); err != nil {
		return st, fmt.Errorf("store: outbox stats: %w", err)
	}
	var oldest *time.Time
	// The (state, next_attempt_at) index serves both halves.
	if err := s.db.QueryRowContext(ctx, "SELECT MIN(created_at) FROM outbox WHERE state IN ('queued', 'sending')").Scan(nullTimeDest{&oldest}); err != nil {
		return st, fmt.Errorf("store: outbox stats: %w", err)
	}
	if oldest != nil {
		st.OldestQueued = *oldest
	}
	return st, nil
}

// OutboxFilter selects outbox messages for the admin page.
type OutboxFilter struct {
	State   MailState // "" = any
	Page    int
	PerPage int // default 50, max 200
}

// ListOutbox returns one page of messages, newest first, and the total.
func (s *Store) ListOutbox(ctx context.Context, f OutboxFilter) ([]OutboxMessage, int, error) {
	cond, args := "", []any{}
	if f.State != "" {
		cond, args = " WHERE state = ?", append(args, string(f.State))
	}
	_, per, off := page(f.Page, f.PerPage, 50, 200)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM outbox"+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: list outbox: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+outboxColumns+" FROM outbox"+cond+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, per, off)...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list outbox: %w", err)
	}
	defer rows.Close()
	var out []OutboxMessage
	for rows.Next() {
		m, err := scanOutbox(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: list outbox: %w", err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list outbox: %w", err)
	}
	return out, total, nil
}

// GetOutboxMessage returns one message.
func (s *Store) GetOutboxMessage(ctx context.Context, id int64) (*OutboxMessage, error) {
	m, err := scanOutbox(s.db.QueryRowContext(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
	if err != nil {
		return nil, fmt.Errorf("store: get outbox message %d: %w", id, notFound(err))
	}
	return m, nil
}

// DeleteSentMail deletes messages sent before cutoff (the retention of
// what was mailed: the recipient is personal data).
func (s *Store) DeleteSentMail(ctx context.Context, cutoff time.Time) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM outbox WHERE state IN ('sent', 'failed') AND created_at < ?", dbTime(cutoff))
	if err != nil {
		return 0, fmt.Errorf("store: delete sent mail: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete sent mail: %w", err)
	}
	return n, nil
}
