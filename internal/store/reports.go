package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ReportLinkLifetime is how long a reporter's private link works after the
// report is sent. Sixty days covers the usual review and the first weeks of
// a published case, when families have most to add; after that they reach
// the team through the contact form, and a link found much later in an old
// email or browser history can no longer act on the report.
const ReportLinkLifetime = 60 * 24 * time.Hour

// ErrReportClosed: the reporter's link exists but can no longer act: it
// expired, the report was withdrawn, or the case was rejected or archived.
var ErrReportClosed = errors.New("report link closed")

// Kinds of report additions.
const (
	AdditionInfo     = "info"     // more information and/or photos
	AdditionWithdraw = "withdraw" // a request to withdraw a published case
)

// WithdrawnByReporter is the reject reason of a pending report its
// reporter withdrew.
const WithdrawnByReporter = "Withdrawn by the reporter"

// refAlphabet has no look-alikes (0/O, 1/I/L) and no U (no accidental
// words): what is read out over the phone is what is typed.
const refAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// newReference returns a random reference like NL-7KQ4-2M: 30^6 ≈ 729
// million values, drawn uniformly (bytes ≥ 240 are redrawn so every symbol
// is equally likely). Uniqueness is the database's (unique index).
func newReference() (string, error) {
	out := []byte("NL-....-..")
	pos := []int{3, 4, 5, 6, 8, 9}
	var buf [16]byte
	for i := 0; i < len(pos); {
		if _, err := rand.Read(buf[:]); err != nil {
			return "", fmt.Errorf("reference: %w", err)
		}
		for _, b := range buf {
			if i == len(pos) {
				break
			}
			if b >= 240 { // 240 = 8 × 30
				continue
			}
			out[pos[i]] = refAlphabet[int(b)%len(refAlphabet)]
			i++
		}
	}
	return string(out), nil
}

// newReportToken returns a private link token: 256 random bits, base64url
// without padding (43 characters).
func newReportToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("report token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is what the database keeps of a token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// ReportReceipt is what the reporter is given once: the reference to quote
// and the raw token of their private link (never stored).
type ReportReceipt struct {
	CaseID    int64
	Reference string
	Token     string
	ExpiresAt time.Time
}

// ReportAccess is the state of a reporter's link and of its case.
type ReportAccess struct {
	CaseID      int64
	Reference   string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	WithdrawnAt *time.Time
	Status      Status // the case's
}

// Expired reports whether the link's lifetime is over at at.
func (a *ReportAccess) Expired(at time.Time) bool { return !at.Before(a.ExpiresAt) }

// Open reports whether the link may still add to or withdraw the report.
func (a *ReportAccess) Open(at time.Time) bool {
	return a.WithdrawnAt == nil && !a.Expired(at) && a.Status != StatusRejected && a.Status != StatusArchived
}

// ReportAddition is something the reporter sent through their link.
type ReportAddition struct {
	ID        int64
	CaseID    int64
	Kind      string
	Message   string
	CreatedAt time.Time
	HandledAt *time.Time
	Photos    []AdditionPhoto
}

// AdditionPhoto is a photo sent with an addition (its blob key and size).
type AdditionPhoto struct {
	ID         int64
	AdditionID int64
	Key        string
	Width      int
	Height     int
}

// CreateReport stores a report from the public form: the pending case (as
// CreateCase does) and the reporter's reference and private link, in one
// transaction. at is the caller's clock, from which the link expires. The
// audit entry's summary gets the reference appended.
func (s *Store) CreateReport(ctx context.Context, c *Case, contact ReporterContact, photos []Photo, audit *AuditEntry, at time.Time) (ReportReceipt, error) {
	return s.createReport(ctx, c, contact, photos, audit, at, nil)
}

// createReport is CreateReport with more to do in its transaction (also,
// run after the case's rows are written; may be nil).
func (s *Store) createReport(ctx context.Context, c *Case, contact ReporterContact, photos []Photo, audit *AuditEntry, at time.Time, also func(tx *sql.Tx, id int64) error) (ReportReceipt, error) {
	defer s.observe("create_report", time.Now())
	if c.Status != "" && c.Status != StatusPending {
		return ReportReceipt{}, fmt.Errorf("store: create report: %w: a report starts pending, not %q", ErrIllegalTransition, c.Status)
	}
	c.Status = StatusPending
	var rc ReportReceipt
	id, err := s.createCase(ctx, c, contact, photos, audit, func(tx *sql.Tx, id int64) error {
		var err error
		if also != nil {
			if err := also(tx, id); err != nil {
				return err
			}
		}
		if rc, err = s.insertReportAccess(ctx, tx, id, at); err != nil {
			return err
		}
		if err := insertFanout(ctx, tx, FanoutReportSubmitted, id, 0, at); err != nil {
			return err
		}
		if audit != nil {
			audit.Summary = joinSummary(audit.Summary, "reference "+rc.Reference)
		}
		return nil
	})
	if err != nil {
		return ReportReceipt{}, fmt.Errorf("store: create report: %w", err)
	}
	rc.CaseID = id
	return rc, nil
}

func joinSummary(a, b string) string {
	if a == "" {
		return b
	}
	return a + " (" + b + ")"
}

// insertReportAccess draws a reference and a token and inserts them,
// drawing again on the rare duplicate reference. A failed INSERT leaves the
// transaction usable on both dialects (the statement alone is undone).
func (s *Store) insertReportAccess(ctx context.Context, tx *sql.Tx, caseID int64, at time.Time) (ReportReceipt, error) {
	gen := s.refGen
	if gen == nil {
		gen = newReference
	}
	at = at.UTC().Truncate(time.Microsecond)
	rc := ReportReceipt{ExpiresAt: at.Add(ReportLinkLifetime)}
	const attempts = 8
	for i := 1; ; i++ {
		ref, err := gen()
		if err != nil {
			return rc, err
		}
		token, err := newReportToken()
		if err != nil {
			return rc, err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO report_access (case_id, reference, token_hash, created_at, expires_at, withdrawn_at)
			VALUES (?, ?, ?, ?, ?, NULL)`, caseID, ref, tokenHash(token), dbTime(at), dbTime(rc.ExpiresAt))
		if err == nil {
			rc.Reference, rc.Token = ref, token
			return rc, nil
		}
		if !s.d.isUniqueViolation(err) || i == attempts {
			return rc, fmt.Errorf("report access: %w", err)
		}
	}
}

const accessColumns = "a.case_id, a.reference, a.created_at, a.expires_at, a.withdrawn_at, c.status"

func scanAccess(r rowScanner) (*ReportAccess, error) {
	var a ReportAccess
	var st string
	if err := r.Scan(&a.CaseID, &a.Reference, timeDest{&a.CreatedAt}, timeDest{&a.ExpiresAt}, nullTimeDest{&a.WithdrawnAt}, &st); err != nil {
		return nil, err
	}
	a.Status = Status(st)
	return &a, nil
}

// ReportAccessByToken finds the link of a raw token (ErrNotFound for an
// unknown one). It does not judge expiry: see ReportAccess.Open.
func (s *Store) ReportAccessByToken(ctx context.Context, token string) (*ReportAccess, error) {
	defer s.observe("report_access", time.Now())
	a, err := scanAccess(s.db.QueryRowContext(ctx, "SELECT "+accessColumns+
		" FROM report_access a JOIN cases c ON c.id = a.case_id WHERE a.token_hash = ?", tokenHash(token)))
	if err != nil {
		return nil, fmt.Errorf("store: report access: %w", notFound(err))
	}
	return a, nil
}

// ReportAccessForCase returns the reporter link state of a case (for the
// staff pages); ErrNotFound when the case did not come from the public form.
func (s *Store) ReportAccessForCase(ctx context.Context, caseID int64) (*ReportAccess, error) {
	a, err := scanAccess(s.db.QueryRowContext(ctx, "SELECT "+accessColumns+
		" FROM report_access a JOIN cases c ON c.id = a.case_id WHERE a.case_id = ?", caseID))
	if err != nil {
		return nil, fmt.Errorf("store: report access of case %d: %w", caseID, notFound(err))
	}
	return a, nil
}

// CaseIDByReference finds the case of a reporter's reference, as people
// read it out (case and surrounding spaces do not matter); ErrNotFound
// otherwise.
func (s *Store) CaseIDByReference(ctx context.Context, ref string) (int64, error) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	var id int64
	if err := s.db.QueryRowContext(ctx, "SELECT case_id FROM report_access WHERE reference = ?", ref).Scan(&id); err != nil {
		return 0, fmt.Errorf("store: case by reference: %w", notFound(err))
	}
	return id, nil
}

// claimOpenLink checks, inside tx, that the token's link can still act at
// at and returns it. The guard UPDATE writes nothing new but takes the
// row's write lock (MySQL), so a concurrent withdrawal waits for this
// transaction or wins before it; on SQLite writers are serialised anyway.
// withdraw sets withdrawn_at instead: the compare-and-set that lets exactly
// one withdrawal through.
func claimOpenLink(ctx context.Context, tx *sql.Tx, token string, at time.Time, withdraw bool) (*ReportAccess, error) {
	h := tokenHash(token)
	set := "expires_at = expires_at"
	args := []any{}
	if withdraw {
		set = "withdrawn_at = ?"
		args = append(args, dbTime(at))
	}
	err := mustAffect(tx.ExecContext(ctx, "UPDATE report_access SET "+set+" WHERE token_hash = ? AND withdrawn_at IS NULL AND expires_at > ?",
		append(args, h, dbTime(at))...))
	a, qerr := scanAccess(tx.QueryRowContext(ctx, "SELECT "+accessColumns+
		" FROM report_access a JOIN cases c ON c.id = a.case_id WHERE a.token_hash = ?", h))
	if qerr != nil {
		return nil, notFound(qerr)
	}
	if errors.Is(err, ErrNotFound) {
		return nil, ErrReportClosed // it exists, so it was withdrawn or expired
	}
	if err != nil {
		return nil, err
	}
	if a.Status == StatusRejected || a.Status == StatusArchived {
		return nil, ErrReportClosed // the caller's rollback undoes the claim
	}
	return a, nil
}

// checkAddition validates an addition before it is written.
func checkAddition(message string, photos []AdditionPhoto) error {
	var k checker
	k.long("message", message)
	for i, p := range photos {
		f := fmt.Sprintf("photo %d ", i)
		k.require(f+"key", p.Key)
		k.text(f+"key", p.Key, maxShort)
		if p.Width < 0 || p.Height < 0 {
			k.add(f + "size: negative")
		}
	}
	if message == "" && len(photos) == 0 {
		k.add("message: required without photos")
	}
	return k.err()
}

func insertAddition(ctx context.Context, tx *sql.Tx, caseID int64, kind, message string, photos []AdditionPhoto, handled *time.Time) (int64, error) {
	var h any
	if handled != nil {
		h = dbTime(*handled)
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO report_additions (case_id, kind, message, created_at, handled_at) VALUES (?, ?, ?, ?, ?)",
		caseID, kind, message, dbTime(now()), h)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	for _, p := range photos {
		if _, err := tx.ExecContext(ctx, "INSERT INTO report_addition_photos (addition_id, photo_key, width, height) VALUES (?, ?, ?, ?)",
			id, p.Key, p.Width, p.Height); err != nil {
			return 0, fmt.Errorf("addition photo %q: %w", p.Key, err)
		}
	}
	return id, nil
}

// AddReportInfo stores more information (and photos whose blobs are
// already written) from the reporter's link, for the moderators only.
// ErrNotFound for an unknown token; ErrReportClosed when the link can no
// longer act at at. The audit summary names the reference.
func (s *Store) AddReportInfo(ctx context.Context, token, message string, photos []AdditionPhoto, at time.Time, audit *AuditEntry) (int64, error) {
	defer s.observe("add_report_info", time.Now())
	if err := checkAddition(message, photos); err != nil {
		return 0, fmt.Errorf("store: add report info: %w", err)
	}
	reset := auditReset(audit)
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		a, err := claimOpenLink(ctx, tx, token, at, false)
		if err != nil {
			return err
		}
		if id, err = insertAddition(ctx, tx, a.CaseID, AdditionInfo, message, photos, nil); err != nil {
			return err
		}
		if audit != nil && audit.Summary == "" {
			audit.Summary = fmt.Sprintf("reporter added information to report %s (%d photos)", a.Reference, len(photos))
		}
		return insertAudit(ctx, tx, audit, caseRecord(a.CaseID))
	})
	if err != nil {
		return 0, fmt.Errorf("store: add report info: %w", err)
	}
	return id, nil
}

// WithdrawResult says what a withdrawal did.
type WithdrawResult struct {
	CaseID    int64
	Reference string
	// Immediate: the report was still pending and is now rejected
	// (WithdrawnByReporter). Otherwise the case is public and a 'withdraw'
	// addition asks the moderators to act.
	Immediate bool
}

// WithdrawReport acts on the reporter's request to withdraw their report.
// The link is marked withdrawn by a compare-and-set in the same
// transaction, so a replay or a concurrent second request gets
// ErrReportClosed and changes nothing. A pending report becomes rejected
// at once (the lifecycle's pending → rejected); a published one gets a
// 'withdraw' addition for the moderators. The optional reason is kept as
// that addition's message (marked handled when nothing is left to do).
func (s *Store) WithdrawReport(ctx context.Context, token, reason string, at time.Time, audit *AuditEntry) (WithdrawResult, error) {
	defer s.observe("withdraw_report", time.Now())
	var k checker
	k.long("reason", reason)
	if err := k.err(); err != nil {
		return WithdrawResult{}, fmt.Errorf("store: withdraw report: %w", err)
	}
	reset := auditReset(audit)
	var res WithdrawResult
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		reset()
		res = WithdrawResult{}
		a, err := claimOpenLink(ctx, tx, token, at, true)
		if err != nil {
			return err
		}
		res.CaseID, res.Reference = a.CaseID, a.Reference
		var handled *time.Time
		summary := fmt.Sprintf("reporter asked for the published report %s to be withdrawn", a.Reference)
		if a.Status == StatusPending {
			// Nothing public changes (a pending case is on no public
			// page), so the content revision stays.
			if _, err := transitionTx(ctx, tx, a.CaseID, StatusRejected, WithdrawnByReporter, now()); err != nil {
				return err
			}
			t := now()
			handled, res.Immediate = &t, true
			summary = fmt.Sprintf("reporter withdrew report %s: status pending → rejected", a.Reference)
		}
		if _, err := insertAddition(ctx, tx, a.CaseID, AdditionWithdraw, reason, nil, handled); err != nil {
			return err
		}
		if audit != nil && audit.Summary == "" {
			audit.Summary = summary
		}
		return insertAudit(ctx, tx, audit, caseRecord(a.CaseID))
	})
	if err != nil {
		return WithdrawResult{}, fmt.Errorf("store: withdraw report: %w", err)
	}
	return res, nil
}

// ListReportAdditions returns a case's additions, newest first, with their
// photos.
func (s *Store) ListReportAdditions(ctx context.Context, caseID int64) ([]ReportAddition, error) {
	defer s.observe("list_report_additions", time.Now())
	rows, err := s.db.QueryContext(ctx, `SELECT id, case_id, kind, message, created_at, handled_at
		FROM report_additions WHERE case_id = ? ORDER BY created_at DESC, id DESC`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: list report additions of case %d: %w", caseID, err)
	}
	var out []ReportAddition
	idx := map[int64]int{}
	for rows.Next() {
		var a ReportAddition
		if err := rows.Scan(&a.ID, &a.CaseID, &a.Kind, &a.Message, timeDest{&a.CreatedAt}, nullTimeDest{&a.HandledAt}); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list report additions of case %d: %w", caseID, err)
		}
		idx[a.ID] = len(out)
		out = append(out, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list report additions of case %d: %w", caseID, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	prows, err := s.db.QueryContext(ctx, `SELECT p.id, p.addition_id, p.photo_key, p.width, p.height
		FROM report_addition_photos p JOIN report_additions a ON a.id = p.addition_id WHERE a.case_id = ? ORDER BY p.id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: list report additions of case %d: %w", caseID, err)
	}
	defer prows.Close()
	for prows.Next() {
		var p AdditionPhoto
		if err := prows.Scan(&p.ID, &p.AdditionID, &p.Key, &p.Width, &p.Height); err != nil {
			return nil, fmt.Errorf("store: list report additions of case %d: %w", caseID, err)
		}
		if i, ok := idx[p.AdditionID]; ok {
			out[i].Photos = append(out[i].Photos, p)
		}
	}
	if err := prows.Err(); err != nil {
		return nil, fmt.Errorf("store: list report additions of case %d: %w", caseID, err)
	}
	return out, nil
}

// CountOpenAdditions counts additions no moderator has handled yet: more
// information, and withdrawal requests.
func (s *Store) CountOpenAdditions(ctx context.Context) (info, withdraw int, err error) {
	rows, err := s.db.QueryContext(ctx, "SELECT kind, COUNT(*) FROM report_additions WHERE handled_at IS NULL GROUP BY kind")
	if err != nil {
		return 0, 0, fmt.Errorf("store: count open additions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int
		if err := rows.Scan(&kind, &n); err != nil {
			return 0, 0, fmt.Errorf("store: count open additions: %w", err)
		}
		switch kind {
		case AdditionInfo:
			info = n
		case AdditionWithdraw:
			withdraw = n
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("store: count open additions: %w", err)
	}
	return info, withdraw, nil
}

// AdditionPhotoByKey finds an addition photo by its blob key (for the
// staff-only media handler).
func (s *Store) AdditionPhotoByKey(ctx context.Context, key string) (AdditionPhoto, error) {
	var p AdditionPhoto
	err := s.db.QueryRowContext(ctx, "SELECT id, addition_id, photo_key, width, height FROM report_addition_photos WHERE photo_key = ?", key).
		Scan(&p.ID, &p.AdditionID, &p.Key, &p.Width, &p.Height)
	if err != nil {
		return AdditionPhoto{}, fmt.Errorf("store: addition photo by key: %w", notFound(err))
	}
	return p, nil
}

// MarkAdditionHandled records that a moderator dealt with an addition of
// the case. ErrNotFound when the addition is not that case's; marking it
// again changes nothing.
func (s *Store) MarkAdditionHandled(ctx context.Context, caseID, additionID int64, audit *AuditEntry) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var handled *time.Time
		if err := tx.QueryRowContext(ctx, "SELECT handled_at FROM report_additions WHERE id = ? AND case_id = ?", additionID, caseID).
			Scan(nullTimeDest{&handled}); err != nil {
			return notFound(err)
		}
		if handled != nil {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE report_additions SET handled_at = ? WHERE id = ? AND handled_at IS NULL", dbTime(now()), additionID); err != nil {
			return err
		}
		return insertAudit(ctx, tx, audit, caseRecord(caseID))
	})
	if err != nil {
		return fmt.Errorf("store: mark addition %d of case %d handled: %w", additionID, caseID, err)
	}
	return nil
}

// AdoptAdditionPhoto moves a photo the reporter sent into the case's
// photos (after the existing ones; same blob, same key) in one
// transaction. The content revision moves only when the case is public.
// ErrNotFound when the photo is not one of that case's additions.
func (s *Store) AdoptAdditionPhoto(ctx context.Context, caseID, photoID int64, audit *AuditEntry) (Photo, error) {
	var out Photo
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var p AdditionPhoto
		var status string
		err := tx.QueryRowContext(ctx, `SELECT p.id, p.addition_id, p.photo_key, p.width, p.height, c.status
			FROM report_addition_photos p JOIN report_additions a ON a.id = p.addition_id JOIN cases c ON c.id = a.case_id
			WHERE p.id = ? AND a.case_id = ?`, photoID, caseID).Scan(&p.ID, &p.AdditionID, &p.Key, &p.Width, &p.Height, &status)
		if err != nil {
			return notFound(err)
		}
		if err := mustAffect(tx.ExecContext(ctx, "DELETE FROM report_addition_photos WHERE id = ?", p.ID)); err != nil {
			return err
		}
		photos := []Photo{{Key: p.Key, Width: p.Width, Height: p.Height}}
		if err := insertPhotos(ctx, tx, caseID, photos, now()); err != nil {
			return err
		}
		out = photos[0]
		if err := insertAudit(ctx, tx, audit, caseRecord(caseID)); err != nil {
			return err
		}
		if Status(status).Public() {
			return bumpContent(ctx, tx, caseID)
		}
		return nil
	})
	if err != nil {
		return Photo{}, fmt.Errorf("store: adopt addition photo %d into case %d: %w", photoID, caseID, err)
	}
	return out, nil
}

// takeAdditionPhotos deletes the rows of a case's addition photos inside
// tx and returns them as Photos (key only) so their blobs can be deleted.
func takeAdditionPhotos(ctx context.Context, tx *sql.Tx, caseID int64) ([]Photo, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.photo_key FROM report_addition_photos p
		JOIN report_additions a ON a.id = p.addition_id WHERE a.case_id = ? ORDER BY p.id`, caseID)
	if err != nil {
		return nil, err
	}
	var out []Photo
	var ids []any
	for rows.Next() {
		var p Photo
		if err := rows.Scan(&p.ID, &p.Key); err != nil {
			rows.Close()
			return nil, err
		}
		p.CaseID = caseID
		out = append(out, p)
		ids = append(ids, p.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM report_addition_photos WHERE id IN ("+placeholders(len(ids))+")", ids...); err != nil {
		return nil, err
	}
	return out, nil
}

// OpenAdditionCase is a case with reporter additions waiting for a moderator.
type OpenAdditionCase struct {
	CaseID   int64
	FullName string
	Info     int // more information waiting
	Withdraw int // withdrawal requests waiting
}

// CasesWithOpenAdditions lists cases with unhandled additions, withdrawal
// requests first, then the oldest waiting first.
func (s *Store) CasesWithOpenAdditions(ctx context.Context, limit int) ([]OpenAdditionCase, error) {
	if limit < 1 {
		limit = 50
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.id, c.full_name,
			SUM(CASE WHEN a.kind = 'info' THEN 1 ELSE 0 END), SUM(CASE WHEN a.kind = 'withdraw' THEN 1 ELSE 0 END)
		FROM report_additions a JOIN cases c ON c.id = a.case_id
		WHERE a.handled_at IS NULL GROUP BY c.id, c.full_name
		ORDER BY SUM(CASE WHEN a.kind = 'withdraw' THEN 1 ELSE 0 END) DESC, MIN(a.created_at), c.id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: cases with open additions: %w", err)
	}
	defer rows.Close()
	var out []OpenAdditionCase
	for rows.Next() {
		var o OpenAdditionCase
		if err := rows.Scan(&o.CaseID, &o.FullName, &o.Info, &o.Withdraw); err != nil {
			return nil, fmt.Errorf("store: cases with open additions: %w", err)
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: cases with open additions: %w", err)
	}
	return out, nil
}
