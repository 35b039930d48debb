// Package retention withdraws the photos and personal details of located
// cases from the public site once the retention period has passed
// (DESIGN.md §2: "located … photos and personal details leave the public
// page after a configurable retention period"), and deletes what is kept
// no longer than its own period: unpublished and rejected reports (with
// their photos), tips and contact messages (see Policy).
//
// Several instances may run the job at once: each pass first takes a lease
// in the database (store.AcquireLease), so only one instance works at a
// time, and another takes over when the holder stops renewing it.
package retention

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"lostinnl/internal/store"
)

// Store is what the job needs from the database; *store.Store satisfies it.
type Store interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	LocatedDueForWithdrawal(ctx context.Context, locatedBefore time.Time, limit int) ([]store.Case, error)
	LocatedDueForArchive(ctx context.Context, locatedBefore time.Time, limit int) ([]store.Case, error)
	TransitionCase(ctx context.Context, id int64, to store.Status, reason string, audit *store.AuditEntry) error
	WithdrawPersonal(ctx context.Context, id int64, audit *store.AuditEntry) ([]store.Photo, error)
	ReportsDueForDeletion(ctx context.Context, status store.Status, changedBefore time.Time, limit int) ([]int64, error)
	DeleteStaleReport(ctx context.Context, id int64, status store.Status, changedBefore time.Time) ([]store.Photo, error)
	DeleteTipsReceivedBefore(ctx context.Context, t time.Time, limit int) (int, error)
	DeleteMessagesReceivedBefore(ctx context.Context, t time.Time, limit int) (int, error)
	AppendAudit(ctx context.Context, e *store.AuditEntry) error
	DeleteExpiredHeldPhotos(ctx context.Context, at time.Time, limit int) ([]string, error)
}

// Blobs deletes a photo's stored variants; *media.Bucket satisfies it.
type Blobs interface {
	Delete(ctx context.Context, key string) error
}

// LeaseName is the lease the job holds while it works.
const LeaseName = "retention"

// AuditAction is the audit action of one withdrawal.
const AuditAction = "case.withdraw"

// ArchiveAuditAction is the audit action of a located case archived at the
// end of its public period.
const ArchiveAuditAction = "case.archive"

// PurgeAuditAction is the audit action of a pass that deleted records past
// their retention period: one entry per such pass, with counts only.
const PurgeAuditAction = "retention.delete"

// Policy says how many days each kind of record is kept before the job
// deletes it (LOSTINNL_*_RETENTION_DAYS; the defaults and why are in
// internal/config/retention.go). A zero field deletes nothing of that
// kind: configuration never gives zero (its minimum is one day), and it
// keeps a Job built for one rule from touching the others.
type Policy struct {
	PendingDays  int // unpublished reports, after their last change
	RejectedDays int // rejected reports, after the rejection (or a later change)
	TipDays      int // tips, after receipt
	MessageDays  int // contact messages, after receipt
	// LocatedPublicDays: located cases are archived this many days after
	// they were located (their page then answers 410 Gone), their photos
	// and personal details withdrawn first if still there.
	LocatedPublicDays int
}

func (p Policy) validate() error {
	for _, d := range []struct {
		name string
		v    int
	}{{"pending", p.PendingDays}, {"rejected", p.RejectedDays}, {"tip", p.TipDays}, {"message", p.MessageDays}, {"located public", p.LocatedPublicDays}} {
		if d.v < 0 {
			return fmt.Errorf("retention: %s days must not be negative, got %d", d.name, d.v)
		}
	}
	return nil
}

const (
	batchSize  = 50
	maxBatches = 200 // per pass; the rest waits for the next pass
	// rowBatch: tips or messages deleted per transaction. Small enough
	// that a transaction never holds the tables long.
	rowBatch = 500
)

// Job is one configured retention worker. Run builds one; tests use it
// directly to pin the clock and the holder.
type Job struct {
	Store Store
	Blobs Blobs
	Days  int
	// Purge is what else is deleted, and when.
	Purge  Policy
	Logger *slog.Logger
	// Holder names this instance in the lease (unique per process).
	Holder string
	// LeaseTTL: how long the lease lasts without renewal; another instance
	// takes over after it. Default: twice the interval, at least a minute.
	LeaseTTL time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Result says what one pass did.
type Result struct {
	Skipped   bool // another instance holds the lease
	Withdrawn int  // cases whose personal details were withdrawn
	Photos    int  // photos removed (rows; blobs are deleted best-effort)
	BlobFails int  // photos whose blobs could not be deleted (logged)
	Archived  int  // located cases archived at the end of their public period

	// Deleted past their retention period (Policy).
	Pending  int // unpublished reports
	Rejected int // rejected reports
	// ReportPhotos: photos of those reports (rows; blobs best-effort,
	// failures counted in BlobFails).
	ReportPhotos int
	Tips         int
	Messages     int
	// HeldPhotos: photos held for report forms never sent, deleted when
	// their hold ended (store.FormHoldLifetime; blobs best-effort).
	HeldPhotos int
}

// deleted reports whether the pass deleted anything under the Policy.
func (r Result) deleted() bool { return r.Pending+r.Rejected+r.Tips+r.Messages > 0 }

// Run withdraws due cases and deletes expired records every interval until
// ctx ends, starting with one pass right away. days is
// LOSTINNL_LOCATED_RETENTION_DAYS; 0 withdraws a located case at the first
// pass after it was marked located. purge is the rest of the policy. It
// returns nil when ctx ends, or an error at once for unusable arguments. A
// failing pass is logged and retried at the next tick: the job must not
// stop because the database blinked.
func Run(ctx context.Context, st Store, bucket Blobs, days int, purge Policy, interval time.Duration, logger *slog.Logger) error {
	if st == nil || bucket == nil {
		return errors.New("retention: store and bucket are required")
	}
	if days < 0 {
		return fmt.Errorf("retention: days must not be negative, got %d", days)
	}
	if err := purge.validate(); err != nil {
		return err
	}
	if interval <= 0 {
		return fmt.Errorf("retention: interval must be positive, got %s", interval)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	j := &Job{Store: st, Blobs: bucket, Days: days, Purge: purge, Logger: logger, Holder: NewHolder(), LeaseTTL: max(2*interval, time.Minute)}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := j.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			logger.LogAttrs(ctx, slog.LevelError, "retention pass failed", slog.String("error", err.Error()))
		case res.Withdrawn > 0 || res.Archived > 0 || res.BlobFails > 0 || res.deleted() || res.HeldPhotos > 0:
			logger.LogAttrs(ctx, slog.LevelInfo, "retention pass",
				slog.Int("withdrawn", res.Withdrawn), slog.Int("archived", res.Archived), slog.Int("photos", res.Photos), slog.Int("blob_failures", res.BlobFails),
				slog.Int("pending_deleted", res.Pending), slog.Int("rejected_deleted", res.Rejected),
				slog.Int("report_photos_deleted", res.ReportPhotos), slog.Int("tips_deleted", res.Tips),
				slog.Int("messages_deleted", res.Messages), slog.Int("held_form_photos_deleted", res.HeldPhotos))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// NewHolder returns a lease holder name unique to this process: the host
// name (for operators reading the leases table) and a random suffix (two
// processes on one host must not share a lease).
func NewHolder() string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown"
	}
	if len(host) > 100 {
		host = host[:100]
	}
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return host + "-" + hex.EncodeToString(b[:])
}

// RunOnce makes one pass: take (or renew) the lease, then withdraw every
// located case past the retention period, oldest first. Each withdrawal and
// its audit entry commit together in the store; the blobs are deleted after
// the commit, so a failure leaves an unreachable orphan blob, never a row
// pointing at nothing.
func (j *Job) RunOnce(ctx context.Context) (Result, error) {
	var res Result
	now := time.Now
	if j.Now != nil {
		now = j.Now
	}
	log := j.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ttl := j.LeaseTTL
	if ttl <= 0 {
		ttl = 2 * time.Minute
	}
	if j.Days < 0 {
		return res, fmt.Errorf("retention: days must not be negative, got %d", j.Days)
	}
	if err := j.Purge.validate(); err != nil {
		return res, err
	}
	ok, err := j.Store.AcquireLease(ctx, LeaseName, j.Holder, ttl)
	if err != nil {
		return res, fmt.Errorf("retention: lease: %w", err)
	}
	if !ok {
		res.Skipped = true
		return res, nil
	}
	if err := j.deleteHeldPhotos(ctx, now(), &res, log); err != nil {
		return res, err
	}
	cutoff := now().AddDate(0, 0, -j.Days)
	for batch := 0; batch < maxBatches; batch++ {
		cases, err := j.Store.LocatedDueForWithdrawal(ctx, cutoff, batchSize)
		if err != nil {
			return res, fmt.Errorf("retention: list due cases: %w", err)
		}
		for _, c := range cases {
			audit := &store.AuditEntry{
				Action:  AuditAction,
				Summary: fmt.Sprintf("retention: photos and personal details withdrawn from the public page %d days after the case was located", j.Days),
			}
			photos, err := j.Store.WithdrawPersonal(ctx, c.ID, audit)
			if errors.Is(err, store.ErrIllegalTransition) || errors.Is(err, store.ErrNotFound) {
				continue // re-opened or deleted since the listing: nothing to withdraw
			}
			if err != nil {
				return res, fmt.Errorf("retention: withdraw case %d: %w", c.ID, err)
			}
			res.Withdrawn++
			res.Photos += len(photos)
			for _, p := range photos {
				if err := j.Blobs.Delete(ctx, p.Key); err != nil {
					res.BlobFails++
					log.LogAttrs(ctx, slog.LevelError, "retention: photo blobs not deleted",
						slog.Int64("case_id", c.ID), slog.Int64("photo_id", p.ID), slog.String("error", err.Error()))
				}
			}
		}
		if len(cases) < batchSize {
			break
		}
	}
	if err := j.archiveLocated(ctx, now(), &res, log); err != nil {
		return res, err
	}
	return j.purge(ctx, now(), res, log)
}

// archiveLocated archives the located cases whose public period has ended
// (Policy.LocatedPublicDays), oldest first, each with its own audit entry.
// A case whose photos are still stored (a public period shorter than the
// retention period) has them withdrawn first, so no archived case keeps
// photos that nothing would ever delete. The archive bumps the content
// revision like any status change, so every instance's page cache drops
// the case at its next revision check.
func (j *Job) archiveLocated(ctx context.Context, now time.Time, res *Result, log *slog.Logger) error {
	days := j.Purge.LocatedPublicDays
	if days == 0 {
		return nil
	}
	cutoff := now.AddDate(0, 0, -days)
	for range maxBatches {
		cases, err := j.Store.LocatedDueForArchive(ctx, cutoff, batchSize)
		if err != nil {
			return fmt.Errorf("retention: list cases due for archive: %w", err)
		}
		for _, c := range cases {
			id := c.ID
			var photos []store.Photo
			if !c.PersonalWithdrawn {
				photos, err = j.Store.WithdrawPersonal(ctx, id, &store.AuditEntry{
					Action:  AuditAction,
					Summary: fmt.Sprintf("retention: photos and personal details withdrawn as the case is archived %d days after it was located", days),
				})
				if errors.Is(err, store.ErrIllegalTransition) || errors.Is(err, store.ErrNotFound) {
					continue // re-opened or deleted since the listing
				}
				if err != nil {
					return fmt.Errorf("retention: withdraw case %d before archiving: %w", id, err)
				}
			}
			res.Photos += len(photos)
			for _, p := range photos {
				if err := j.Blobs.Delete(ctx, p.Key); err != nil {
					res.BlobFails++
					log.LogAttrs(ctx, slog.LevelError, "retention: photo blobs not deleted",
						slog.Int64("case_id", id), slog.Int64("photo_id", p.ID), slog.String("error", err.Error()))
				}
			}
			err = j.Store.TransitionCase(ctx, id, store.StatusArchived, "", &store.AuditEntry{
				Action:  ArchiveAuditAction,
				Summary: fmt.Sprintf("retention: case archived %d days after it was located; its page, poster and share picture now answer 410 Gone", days),
			})
			if errors.Is(err, store.ErrIllegalTransition) || errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
				continue // re-opened or changed since the withdrawal
			}
			if err != nil {
				return fmt.Errorf("retention: archive case %d: %w", id, err)
			}
			res.Archived++
		}
		if len(cases) < batchSize {
			return nil
		}
	}
	return nil
}

// purge deletes what the Policy says has been kept long enough, then
// records one audit entry for the pass with the counts (never names or
// contents). The entry is written even when the pass stops on an error, so
// what was deleted is always on record; it is not written when nothing
// was deleted (an hourly "nothing to do" would bury the audit log).
func (j *Job) purge(ctx context.Context, now time.Time, res Result, log *slog.Logger) (Result, error) {
	cutoff := func(days int) time.Time { return now.AddDate(0, 0, -days) }
	err := func() error {
		for _, r := range []struct {
			status store.Status
			days   int
			n      *int
		}{{store.StatusPending, j.Purge.PendingDays, &res.Pending}, {store.StatusRejected, j.Purge.RejectedDays, &res.Rejected}} {
			if r.days == 0 {
				continue
			}
			if err := j.deleteReports(ctx, r.status, cutoff(r.days), r.n, &res, log); err != nil {
				return err
			}
		}
		for _, r := range []struct {
			what string
			days int
			n    *int
			del  func(context.Context, time.Time, int) (int, error)
		}{{"tips", j.Purge.TipDays, &res.Tips, j.Store.DeleteTipsReceivedBefore},
			{"messages", j.Purge.MessageDays, &res.Messages, j.Store.DeleteMessagesReceivedBefore}} {
			if r.days == 0 {
				continue
			}
			for range maxBatches {
				n, err := r.del(ctx, cutoff(r.days), rowBatch)
				*r.n += n
				if err != nil {
					return fmt.Errorf("retention: delete %s: %w", r.what, err)
				}
				if n < rowBatch {
					break
				}
			}
		}
		return nil
	}()
	if res.deleted() {
		p := j.Purge
		audit := &store.AuditEntry{
			Action: PurgeAuditAction,
			Record: "retention",
			Summary: fmt.Sprintf("retention: deleted %d unpublished reports (kept %d days after their last change), "+
				"%d rejected reports (%d days), %d photos of those reports, %d tips (%d days after receipt), "+
				"%d contact messages (%d days after receipt)",
				res.Pending, p.PendingDays, res.Rejected, p.RejectedDays, res.ReportPhotos, res.Tips, p.TipDays, res.Messages, p.MessageDays),
		}
		// On a context that outlives a cancelled pass: the deletions happened.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if aerr := j.Store.AppendAudit(actx, audit); aerr != nil {
			err = errors.Join(err, fmt.Errorf("retention: audit the deletions: %w", aerr))
		}
	}
	return res, err
}

// deleteReports deletes the reports in status unchanged since before, each
// in its own transaction with its photo rows, and then its blobs.
func (j *Job) deleteReports(ctx context.Context, status store.Status, before time.Time, n *int, res *Result, log *slog.Logger) error {
	for range maxBatches {
		ids, err := j.Store.ReportsDueForDeletion(ctx, status, before, batchSize)
		if err != nil {
			return fmt.Errorf("retention: list %s reports: %w", status, err)
		}
		for _, id := range ids {
			photos, err := j.Store.DeleteStaleReport(ctx, id, status, before)
			if errors.Is(err, store.ErrNotFound) {
				continue // published, edited or deleted since the listing
			}
			if err != nil {
				return fmt.Errorf("retention: delete %s report %d: %w", status, id, err)
			}
			*n++
			res.ReportPhotos += len(photos)
			for _, p := range photos {
				if err := j.Blobs.Delete(ctx, p.Key); err != nil {
					res.BlobFails++
					log.LogAttrs(ctx, slog.LevelError, "retention: photo blobs not deleted",
						slog.Int64("case_id", id), slog.Int64("photo_id", p.ID), slog.String("error", err.Error()))
				}
			}
		}
		if len(ids) < batchSize {
			return nil
		}
	}
	return nil
}

// deleteHeldPhotos deletes the photos of report forms that were never
// sent, once their hold has ended: the rows in one transaction per batch,
// then the blobs (a blob that cannot be deleted is an orphan the sweeper
// removes later). No audit entry: no record anyone made is lost, only
// photos their sender abandoned.
func (j *Job) deleteHeldPhotos(ctx context.Context, now time.Time, res *Result, log *slog.Logger) error {
	for range maxBatches {
		keys, err := j.Store.DeleteExpiredHeldPhotos(ctx, now, rowBatch)
		if err != nil {
			return fmt.Errorf("retention: delete expired held form photos: %w", err)
		}
		res.HeldPhotos += len(keys)
		for _, k := range keys {
			if err := j.Blobs.Delete(ctx, k); err != nil {
				res.BlobFails++
				log.LogAttrs(ctx, slog.LevelError, "retention: held form photo blobs not deleted", slog.String("error", err.Error()))
			}
		}
		if len(keys) < rowBatch {
			return nil
		}
	}
	return nil
}
