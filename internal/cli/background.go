package cli

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"lostinnl/internal/config"
	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/retention"
	"lostinnl/internal/store"
)

// Intervals of the background jobs. Both are safe when several instances
// run them at once: retention holds a database lease, and the clean-ups are
// idempotent deletes of expired rows.
const (
	retentionInterval = time.Hour
	cleanupInterval   = time.Minute
	// sweepInterval: how often orphan photo blobs are looked for (see
	// media.Sweeper; a blob must also be an hour old to go).
	sweepInterval = time.Hour
	// loginFailureWindow: failures older than this no longer count for
	// throttling (auth looks back 15 minutes per account, and at most 24 h,
	// the largest LOSTINNL_LOGIN_IP_WINDOW, per address), so they can go.
	loginFailureWindow = 24 * time.Hour
)

// startBackground runs the retention job (photos and personal details of
// located cases leave the public page after LOSTINNL_LOCATED_RETENTION_DAYS;
// unpublished and rejected reports, tips and messages are deleted after
// their own days, see retentionPolicy), the orphan photo blob sweeper
// (blobs a crash left without a row), and the clean-up of expired sessions
// and old login failures. The returned stop cancels them and waits until
// they have finished, so the database is closed only after the last of
// their queries.
func startBackground(st *store.Store, bucket *media.Bucket, model *readmodel.Model, cache *pagecache.Cache, retentionDays int, purge retention.Policy, idle time.Duration, sessions *atomic.Int64, orphansRemoved func(int), logger *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := retention.Run(ctx, st, bucket, retentionDays, purge, retentionInterval, logger); err != nil {
			logger.Error("retention job", slog.String("error", err.Error()))
		}
	})
	wg.Go(func() {
		media.RunSweeper(ctx, &media.Sweeper{
			Store: st, Bucket: bucket, Holder: retention.NewHolder(),
			LeaseTTL: 10 * time.Minute, Removed: orphansRemoved, Logger: logger,
		}, sweepInterval)
	})
	wg.Go(func() {
		t := time.NewTicker(cleanupInterval)
		defer t.Stop()
		for {
			cleanup(ctx, st, idle, logger)
			// The sessions gauge reads this cached count: a scrape must
			// never cost a query.
			if n, err := st.CountSessions(ctx); err == nil {
				sessions.Store(int64(n))
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	// The read model is the only poller of the content revision, on a
	// connection of its own (store.RevisionReader): behind page builds
	// queued for the pool, a slow database would otherwise leave the
	// model (and the page cache behind it) unconfirmed exactly when the
	// database most needs the cache.
	wg.Go(func() {
		reader := st.NewRevisionReader()
		defer reader.Close()
		model.Watch(ctx, reader.Read, contentPollInterval)
	})
	if cache != nil {
		// Pages are confirmed against the model, not the database: a page
		// built from the previous snapshot while the model rebuilds is
		// then never kept as current, and when the database cannot be
		// read the model stops being confirmed and the cache stops
		// serving, as before.
		wg.Go(func() {
			confirmed := func(context.Context) (int64, error) {
				return model.ConfirmedRevision(modelCacheConfirm)
			}
			cache.Watch(ctx, confirmed, contentPollInterval, logger)
		})
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

func cleanup(ctx context.Context, st *store.Store, idle time.Duration, logger *slog.Logger) {
	now := time.Now()
	if n, err := st.DeleteExpiredSessions(ctx, now.Add(-idle), now); err != nil && ctx.Err() == nil {
		logger.Warn("delete expired sessions", slog.String("error", err.Error()))
	} else if n > 0 {
		logger.Debug("deleted expired sessions", slog.Int64("count", n))
	}
	if _, err := st.PruneLoginFailures(ctx, now.Add(-loginFailureWindow)); err != nil && ctx.Err() == nil {
		logger.Warn("prune login failures", slog.String("error", err.Error()))
	}
}

// retentionPolicy is what the retention job deletes, from the
// LOSTINNL_*_RETENTION_DAYS settings.
func retentionPolicy(cfg *config.Config) retention.Policy {
	return retention.Policy{
		PendingDays:       cfg.PendingRetentionDays,
		RejectedDays:      cfg.RejectedRetentionDays,
		TipDays:           cfg.TipRetentionDays,
		MessageDays:       cfg.MessageRetentionDays,
		LocatedPublicDays: cfg.LocatedPublicDays,
	}
}
