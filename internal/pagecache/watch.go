package pagecache

import (
	"context"
	"log/slog"
	"time"
)

// Watch confirms the cache with the content revision every interval,
// starting at once, until ctx ends: read returns the database's revision
// (store.RevisionReader.Read). A change made by any instance sharing the
// database then drops this instance's pages within about one interval,
// without messages between instances. A failure is logged when it starts
// and when it ends, not every interval; while it lasts, the cache stops
// serving once ConfirmWithin has passed (pages are built for each request).
func (c *Cache) Watch(ctx context.Context, read func(context.Context) (int64, error), interval time.Duration, logger *slog.Logger) {
	if c == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		rctx, cancel := context.WithTimeout(ctx, 2*interval)
		rev, err := read(rctx)
		cancel()
		switch {
		case err == nil:
			c.Confirm(rev)
			if failing {
				logger.Info("page cache: content revision readable again")
				failing = false
			}
		case ctx.Err() == nil && !failing:
			logger.Warn("page cache: cannot read the content revision; pages are built for each request until it can",
				slog.String("error", err.Error()))
			failing = true
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
