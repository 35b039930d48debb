// Package retention withdraws the photos and personal details of located
// cases from the public site once the retention period has passed
// (DESIGN.md §2: "located … photos and personal details leave the public
// page after a configurable retention period").
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
	WithdrawPersonal(ctx context.Context, id int64, audit *store.AuditEntry) ([]store.Photo, error)
}

// Blobs deletes a photo's stored variants; *media.Bucket satisfies it.
type Blobs interface {
	Delete(ctx context.Context, key string) error
}

// LeaseName is the lease the job holds while it works.
const LeaseName = "retention"

// AuditAction is the audit action of one withdrawal.
const AuditAction = "case.withdraw"

const (
	batchSize  = 50
	maxBatches = 200 // per pass; the rest waits for the next pass
)

// Job is one configured retention worker. Run builds one; tests use it
// directly to pin the clock and the holder.
type Job struct {
	Store  Store
	Blobs  Blobs
	Days   int
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
}

// Run withdraws due cases every interval until ctx ends, starting with one
// pass right away. days is LOSTINNL_LOCATED_RETENTION_DAYS; 0 withdraws a
// located case at the first pass after it was marked located. It returns nil when ctx ends, or an error at once for
// unusable arguments. A failing pass is logged and retried at the next
// tick: the job must not stop because the database blinked.
func Run(ctx context.Context, st Store, bucket Blobs, days int, interval time.Duration, logger *slog.Logger) error {
	if st == nil || bucket == nil {
		return errors.New("retention: store and bucket are required")
	}
	if days < 0 {
		return fmt.Errorf("retention: days must not be negative, got %d", days)
	}
	if interval <= 0 {
		return fmt.Errorf("retention: interval must be positive, got %s", interval)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	j := &Job{Store: st, Blobs: bucket, Days: days, Logger: logger, Holder: NewHolder(), LeaseTTL: max(2*interval, time.Minute)}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := j.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			logger.LogAttrs(ctx, slog.LevelError, "retention pass failed", slog.String("error", err.Error()))
		case res.Withdrawn > 0 || res.BlobFails > 0:
			logger.LogAttrs(ctx, slog.LevelInfo, "retention pass",
				slog.Int("withdrawn", res.Withdrawn), slog.Int("photos", res.Photos), slog.Int("blob_failures", res.BlobFails))
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
	ok, err := j.Store.AcquireLease(ctx, LeaseName, j.Holder, ttl)
	if err != nil {
		return res, fmt.Errorf("retention: lease: %w", err)
	}
	if !ok {
		res.Skipped = true
		return res, nil
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
	return res, nil
}
