package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Subscription kinds.
const (
	SubscribeCase = "case" // follow one case
	SubscribeArea = "area" // new cases in a region
)

// AllRegions is the area subscription to every region of NL.
const AllRegions = "all"

// ConfirmTTL is how long a confirmation link works; unconfirmed
// subscriptions are deleted after it.
const ConfirmTTL = 48 * time.Hour

// MaxConfirmationsPerDay is how many confirmation emails one address
// receives per UTC day at most, whatever is asked.
const MaxConfirmationsPerDay = 3

// Subscription is one stored subscription. Email is sealed (table
// "subscriptions", column "email", bound to SealToken).
type Subscription struct {
	ID          int64
	Email       Sealed
	SealToken   []byte
	EmailIndex  []byte
	Kind        string
	CaseID      int64  // SubscribeCase
	Region      string // SubscribeArea: a region or AllRegions
	Confirmed   bool
	CreatedAt   time.Time
	ConfirmedAt *time.Time
	// Lang is the language the address signed up in (issue 18): its
	// confirmation, alerts and manage links come in it. "en-CA" or "fr-CA".
	Lang string
}

// SubscribeRequest asks for subscriptions of one address, all confirmed by
// one mailed link. The caller (internal/mail) normalises the address,
// computes its blind index, draws the confirmation token and renders the
// confirmation mail with the token's link; the store keeps only the
// token's SHA-256.
type SubscribeRequest struct {
	Email      string
	EmailIndex []byte // HMAC-SHA256 of the normalised address: 32 bytes
	CaseID     int64  // follow this case; or
	Regions    []string
	// Lang is the language of the form the request came from ("" is
	// English); the subscriptions keep it for their alerts.
	Lang string
	// ConfirmToken is the single-use token in the confirmation link.
	ConfirmToken string
	Confirm      Mail
	At           time.Time
}

// SubscribeResult says what Subscribe did. The public answer must be the
// same for all of them (no enumeration of who is subscribed).
type SubscribeResult int

const (
	SubscribeMailed  SubscribeResult = iota + 1 // a confirmation mail is queued
	SubscribeLimited                            // the address had its confirmation mails for today: nothing sent
	SubscribeAlready                            // every asked subscription is already confirmed: nothing sent
)

func scopeOf(kind string, caseID int64, region string) string {
	if kind == SubscribeCase {
		return "case:" + strconv.FormatInt(caseID, 10)
	}
	return "region:" + region
}

func checkSubscribe(r *SubscribeRequest) error {
	var k checker
	k.require("email", r.Email)
	k.text("email", r.Email, maxEmail)
	if strings.ContainsAny(r.Email, "\r\n\x00") {
		k.add("email: contains a line break")
	}
	if len(r.EmailIndex) != sha256.Size {
		k.add("email_index: must be 32 bytes")
	}
	if len(r.ConfirmToken) < 16 {
		k.add("confirm token: too short")
	}
	if (r.CaseID != 0) == (len(r.Regions) != 0) {
		k.add("either a case or regions")
	}
	for _, reg := range r.Regions {
		if reg != AllRegions && !slices.Contains(Regions, reg) {
			k.add("region: unknown " + strconv.Quote(reg))
		}
	}
	if r.At.IsZero() {
		k.add("at: required")
	}
	// The languages of migration 021's column (the store does not know
	// internal/i18n, which sits above it).
	switch r.Lang {
	case "":
		r.Lang = "en-CA"
	case "en-CA", "fr-CA":
	default:
		k.add("lang: unknown " + strconv.Quote(r.Lang))
	}
	return k.err()
}

type wantedScope struct {
	scope, region string
	sealed        Sealed
	token         []byte
}

// Subscribe records subscriptions waiting for confirmation and queues the
// confirmation mail, in one transaction. Asking for "all" regions replaces
// the address's single regions (one alert per case, not two). A case to
// follow must be published and still missing (ErrCaseClosed for a closed
// one, ErrNotFound for any other). At most MaxConfirmationsPerDay
// confirmation mails go to one address per UTC day: the count is taken
// with a conditional UPDATE (or the day's first INSERT), which holds under
// concurrent requests on both dialects.
func (s *Store) Subscribe(ctx context.Context, r SubscribeRequest) (SubscribeResult, error) {
	defer s.observe("subscribe", time.Now())
	if err := checkSubscribe(&r); err != nil {
		return 0, fmt.Errorf("store: subscribe: %w", err)
	}
	kind, regions := SubscribeCase, []string{""}
	if r.CaseID == 0 {
		kind, regions = SubscribeArea, slices.Compact(slices.Sorted(slices.Values(r.Regions)))
		if slices.Contains(regions, AllRegions) {
			regions = []string{AllRegions}
		}
	}
	// Sealed before the transaction (each row its own token); a row that
	// turns out to exist already keeps its own sealed address.
	c := s.fieldCipher()
	wanted := make([]wantedScope, 0, len(regions))
	for _, reg := range regions {
		token, err := newSealToken()
		if err != nil {
			return 0, fmt.Errorf("store: subscribe: %w", err)
		}
		vals, err := sealRow(ctx, c, "subscriptions", 0, token, []sealField{{"email", r.Email}})
		if err != nil {
			return 0, fmt.Errorf("store: subscribe: %w", err)
		}
		wanted = append(wanted, wantedScope{scopeOf(kind, r.CaseID, reg), reg, vals[0], token})
	}
	mail, err := s.PrepareMail(ctx, r.Confirm)
	if err != nil {
		return 0, fmt.Errorf("store: subscribe: %w", err)
	}
	hash := tokenHash(r.ConfirmToken)
	at := r.At.UTC().Truncate(time.Microsecond)
	expires := dbTime(at.Add(ConfirmTTL))
	var result SubscribeResult
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if kind == SubscribeCase {
			// Locks the case row like CreateTip: a follow racing the
			// case's closing commits before it (and is deleted with the
			// followers) or is refused after it.
			err := mustAffect(tx.ExecContext(ctx, "UPDATE cases SET status = status WHERE id = ? AND status = 'missing'", r.CaseID))
			if errors.Is(err, ErrNotFound) {
				return closedOrMissing(ctx, tx, r.CaseID)
			}
			if err != nil {
				return err
			}
		}
		var todo []wantedScope
		for _, w := range wanted {
			var confirmed bool
			err := tx.QueryRowContext(ctx, "SELECT confirmed FROM subscriptions WHERE email_index = ? AND scope = ?", r.EmailIndex, w.scope).Scan(&confirmed)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err == nil && confirmed {
				continue
			}
			todo = append(todo, w)
		}
		if len(todo) == 0 {
			result = SubscribeAlready
			return nil
		}
		ok, err := s.takeConfirmQuota(ctx, tx, r.EmailIndex, at)
		if err != nil {
			return err
		}
		if !ok {
			result = SubscribeLimited
			return nil
		}
		for _, w := range todo {
			if err := upsertPending(ctx, tx, s.d, r, kind, w, hash, expires, at); err != nil {
				return err
			}
		}
		// Confirming "all" makes the single regions redundant; they go
		// when the link is used (ConfirmSubscription), not now, so an
		// unconfirmed "all" cannot remove anything.
		if _, err := enqueueTx(ctx, tx, s.d, at, mail); err != nil {
			return err
		}
		result = SubscribeMailed
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: subscribe: %w", err)
	}
	return result, nil
}

// upsertPending inserts an unconfirmed subscription, or gives an existing
// unconfirmed one the new confirmation token.
func upsertPending(ctx context.Context, tx *sql.Tx, d dialect, r SubscribeRequest, kind string, w wantedScope, hash []byte, expires string, at time.Time) error {
	var caseID any
	if kind == SubscribeCase {
		caseID = r.CaseID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO subscriptions (email, seal_token, email_index, kind, scope, case_id, region, confirmed, confirm_hash, confirm_expires_at, created_at, confirmed_at, lang)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, NULL, ?)`, []byte(w.sealed), w.token, r.EmailIndex, kind, w.scope, caseID, w.region, hash, expires, dbTime(at), r.Lang)
	if err == nil {
		return nil
	}
	if !d.isUniqueViolation(err) {
		return err
	}
	// The new link's mail is in the language of this request, so the
	// subscription takes it too. A confirmed subscription is never
	// changed here: anyone may type an address into the form.
	_, err = tx.ExecContext(ctx, "UPDATE subscriptions SET confirm_hash = ?, confirm_expires_at = ?, lang = ? WHERE email_index = ? AND scope = ? AND confirmed = 0",
		hash, expires, r.Lang, r.EmailIndex, w.scope)
	return err
}

// takeConfirmQuota counts one confirmation mail for the address today and
// reports whether it was within the limit. The UPDATE only succeeds below
// the limit, and it reads the latest committed count under a row lock
// (MySQL) or as the only writer (SQLite); the first mail of the day
// INSERTs, and an INSERT losing a race to another request's INSERT tries
// the UPDATE again.
func (s *Store) takeConfirmQuota(ctx context.Context, tx *sql.Tx, index []byte, at time.Time) (bool, error) {
	day := dbDate(at.UTC())
	bump := func() (bool, error) {
		res, err := tx.ExecContext(ctx, "UPDATE subscription_confirm_counts SET sent = sent + 1 WHERE email_index = ? AND day = ? AND sent < ?", index, day, MaxConfirmationsPerDay)
		if err != nil {
			return false, err
		}
		n, err := res.RowsAffected()
		return n == 1, err
	}
	if ok, err := bump(); err != nil || ok {
		return ok, err
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO subscription_confirm_counts (email_index, day, sent) VALUES (?, ?, 1)", index, day)
	if err == nil {
		return true, nil
	}
	if !s.d.isUniqueViolation(err) {
		return false, err
	}
	return bump()
}

// ConfirmSubscription confirms every subscription the token was mailed
// for, once: the token is cleared (single use). An unknown, used or
// expired token is ErrNotFound. It returns the confirmed subscriptions'
// email index (to sign a manage link with) and how many it confirmed.
func (s *Store) ConfirmSubscription(ctx context.Context, token string, at time.Time) ([]byte, int, error) {
	if token == "" || len(token) > 200 {
		return nil, 0, fmt.Errorf("store: confirm subscription: %w", ErrNotFound)
	}
	hash := tokenHash(token)
	var index []byte
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ts := dbTime(at.UTC())
		err := tx.QueryRowContext(ctx, "SELECT email_index FROM subscriptions WHERE confirm_hash = ? AND confirmed = 0 AND confirm_expires_at > ? LIMIT 1", hash, ts).Scan(&index)
		if err != nil {
			return notFound(err)
		}
		res, err := tx.ExecContext(ctx, "UPDATE subscriptions SET confirmed = 1, confirmed_at = ?, confirm_hash = NULL, confirm_expires_at = NULL WHERE confirm_hash = ? AND confirmed = 0 AND confirm_expires_at > ?",
			ts, hash, ts)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		// "All regions" confirmed: the single regions are redundant.
		var all int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM subscriptions WHERE email_index = ? AND scope = ? AND confirmed = 1", index, scopeOf(SubscribeArea, 0, AllRegions)).Scan(&all); err != nil {
			return err
		}
		if all > 0 {
			_, err = tx.ExecContext(ctx, "DELETE FROM subscriptions WHERE email_index = ? AND kind = 'area' AND region <> ?", index, AllRegions)
		}
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("store: confirm subscription: %w", err)
	}
	return index, int(n), nil
}

const subscriptionColumns = "id, email, seal_token, email_index, kind, case_id, region, confirmed, created_at, confirmed_at, lang"

func scanSubscription(r rowScanner) (*Subscription, error) {
	var x Subscription
	var caseID sql.NullInt64
	if err := r.Scan(&x.ID, (*[]byte)(&x.Email), &x.SealToken, &x.EmailIndex, &x.Kind, &caseID, &x.Region, &x.Confirmed, timeDest{&x.CreatedAt}, nullTimeDest{&x.ConfirmedAt}, &x.Lang); err != nil {
		return nil, err
	}
	x.CaseID = caseID.Int64
	return &x, nil
}

func (s *Store) listSubscriptions(ctx context.Context, op, where string, args ...any) ([]Subscription, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+subscriptionColumns+" FROM subscriptions WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	defer rows.Close()
	var out []Subscription
	for rows.Next() {
		x, err := scanSubscription(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", op, err)
		}
		out = append(out, *x)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", op, err)
	}
	return out, nil
}

// SubscriptionsOf lists an address's subscriptions (by blind index), for
// the manage page.
func (s *Store) SubscriptionsOf(ctx context.Context, index []byte) ([]Subscription, error) {
	return s.listSubscriptions(ctx, "list subscriptions", "email_index = ? ORDER BY id", index)
}

// Unsubscribe ends one subscription of an address. Idempotent: a
// subscription already gone (or another address's) is no error.
func (s *Store) Unsubscribe(ctx context.Context, index []byte, id int64) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM subscriptions WHERE email_index = ? AND id = ?", index, id); err != nil {
		return fmt.Errorf("store: unsubscribe: %w", err)
	}
	return nil
}

// UnsubscribeAll ends every subscription of an address (idempotent).
func (s *Store) UnsubscribeAll(ctx context.Context, index []byte) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM subscriptions WHERE email_index = ?", index)
	if err != nil {
		return 0, fmt.Errorf("store: unsubscribe all: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: unsubscribe all: %w", err)
	}
	return n, nil
}

// DeleteUnconfirmedSubscriptions deletes subscriptions whose confirmation
// link expired before at, and confirmation counts of past days.
func (s *Store) DeleteUnconfirmedSubscriptions(ctx context.Context, at time.Time) (int64, error) {
	res, err := s.wdb.ExecContext(ctx, "DELETE FROM subscriptions WHERE confirmed = 0 AND confirm_expires_at <= ?", dbTime(at))
	if err != nil {
		return 0, fmt.Errorf("store: delete unconfirmed subscriptions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: delete unconfirmed subscriptions: %w", err)
	}
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM subscription_confirm_counts WHERE day < ?", dbDate(at.UTC())); err != nil {
		return n, fmt.Errorf("store: delete confirmation counts: %w", err)
	}
	return n, nil
}

// DeleteFollowers deletes every subscription to a case (when it closes;
// the fan-out of its closing notice does this once the notices are queued).
func (s *Store) DeleteFollowers(ctx context.Context, caseID int64) error {
	if _, err := s.wdb.ExecContext(ctx, "DELETE FROM subscriptions WHERE case_id = ?", caseID); err != nil {
		return fmt.Errorf("store: delete followers of case %d: %w", caseID, err)
	}
	return nil
}

// Followers returns confirmed followers of a case with id > afterID, by
// id, at most limit (for a fan-out).
func (s *Store) Followers(ctx context.Context, caseID, afterID int64, limit int) ([]Subscription, error) {
	return s.listSubscriptions(ctx, "list followers", "case_id = ? AND confirmed = 1 AND id > ? ORDER BY id LIMIT ?", caseID, afterID, limit)
}

// AreaSubscribers returns confirmed area subscriptions of region (and of
// all regions) with id > afterID, by id, at most limit.
func (s *Store) AreaSubscribers(ctx context.Context, region string, afterID int64, limit int) ([]Subscription, error) {
	return s.listSubscriptions(ctx, "list area subscribers", "kind = 'area' AND region IN (?, ?) AND confirmed = 1 AND id > ? ORDER BY id LIMIT ?", region, AllRegions, afterID, limit)
}
