package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"gocloud.dev/gcerrors"
)

// Orphan blobs: an upload stores its variants first and commits the photo
// row after (PutAndCommit). When the process dies between the two (kill -9,
// OOM, power loss), nothing runs the cleanup, and the variants stay in the
// bucket with no row pointing at them. The sweeper finds and deletes them.
//
// It deletes a key's blobs only when both hold:
//   - no photo row references the key (asked of the database after listing),
//   - every blob of the key is older than MinAge (default one hour). An
//     upload in progress has written its blobs seconds before its row
//     commits; an hour is far beyond any request's lifetime, so a fresh
//     blob of an upload still running is never taken for an orphan.
//
// Names it does not recognise (not "<key>_<variant>.jpg", nor a temporary
// file fileblob left behind while writing one) are never touched.

// DefaultOrphanAge is how old every blob of a key must be before the
// sweeper may delete it.
const DefaultOrphanAge = time.Hour

// SweepLeaseName is the database lease a sweep pass holds, so that of
// several instances sharing one bucket only one sweeps at a time.
const SweepLeaseName = "media-sweep"

// sweepBatch is how many candidate keys are checked against the database
// per query.
const sweepBatch = 200

// SweepStore is what the sweeper needs from the database; *store.Store
// satisfies it.
type SweepStore interface {
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
	ReferencedPhotoKeys(ctx context.Context, keys []string) (map[string]bool, error)
}

// Sweeper deletes orphan variant blobs. Fields other than Store and Bucket
// are optional.
type Sweeper struct {
	Store  SweepStore
	Bucket *Bucket
	// Holder names this instance in the lease; unique per process.
	Holder string
	// LeaseTTL: how long the lease lasts; default 10 minutes.
	LeaseTTL time.Duration
	// MinAge: blobs younger than this are never deleted (default
	// DefaultOrphanAge). Only tests lower it.
	MinAge time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Removed, if set, is called with the number of blobs each pass
	// deleted (for the Prometheus counter).
	Removed func(n int)
	Logger  *slog.Logger
}

// SweepResult says what one pass did.
type SweepResult struct {
	Skipped bool // another instance holds the lease
	Keys    int  // orphan keys whose blobs were deleted
	Blobs   int  // blobs deleted (variants and leftover temporary files)
	Kept    int  // keys seen that were referenced or too young
}

// candidate is one key whose blobs are all old enough, with the names to
// delete if no row references it.
type candidate struct {
	key   string
	names []string
}

// RunOnce makes one pass over the whole bucket.
func (s *Sweeper) RunOnce(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	if s.Store == nil || s.Bucket == nil {
		return res, errors.New("media: sweep: store and bucket are required")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	minAge := s.MinAge
	if minAge <= 0 {
		minAge = DefaultOrphanAge
	}
	ttl := s.LeaseTTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	ok, err := s.Store.AcquireLease(ctx, SweepLeaseName, s.Holder, ttl)
	if err != nil {
		return res, fmt.Errorf("media: sweep: lease: %w", err)
	}
	if !ok {
		res.Skipped = true
		return res, nil
	}
	defer func() {
		// Held for the pass only: a process restarted after a crash (a new
		// holder) must not wait out the dead one's lease to sweep what
		// the crash left. Released on a context of its own, so it also
		// happens when ctx ended the pass; if it fails, the lease expires.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		_ = s.Store.ReleaseLease(rctx, SweepLeaseName, s.Holder)
		cancel()
		if s.Removed != nil && res.Blobs > 0 {
			s.Removed(res.Blobs)
		}
	}()
	cutoff := now().Add(-minAge)

	var pending []candidate
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		keys := make([]string, len(pending))
		for i, c := range pending {
			keys[i] = c.key
		}
		refs, err := s.Store.ReferencedPhotoKeys(ctx, keys)
		if err != nil {
			return fmt.Errorf("media: sweep: %w", err)
		}
		for _, c := range pending {
			if refs[c.key] {
				res.Kept++
				continue
			}
			n, err := s.Bucket.deleteNames(ctx, c.names)
			res.Blobs += n
			if err != nil {
				return fmt.Errorf("media: sweep: key %s: %w", c.key, err)
			}
			res.Keys++
		}
		pending = pending[:0]
		return nil
	}

	// The listing is in name order and every name of a key starts with
	// "<key>_", so a key's variants (and temporary files) arrive together.
	var cur candidate
	fresh := false
	end := func() error {
		if cur.key == "" {
			return nil
		}
		if fresh {
			res.Kept++
		} else {
			pending = append(pending, cur)
		}
		cur, fresh = candidate{}, false
		if len(pending) >= sweepBatch {
			return flush()
		}
		return nil
	}
	it := s.Bucket.b.List(nil)
	for {
		obj, err := it.Next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return res, fmt.Errorf("media: sweep: list: %w", err)
		}
		if obj.IsDir {
			continue
		}
		key, ok := sweepKey(obj.Key)
		if !ok {
			continue
		}
		if key != cur.key {
			if err := end(); err != nil {
				return res, err
			}
			cur.key = key
		}
		cur.names = append(cur.names, obj.Key)
		if !obj.ModTime.Before(cutoff) {
			fresh = true
		}
	}
	if err := end(); err != nil {
		return res, err
	}
	return res, flush()
}

// sweepKey returns the photo key a blob name belongs to: a variant
// "<key>_<variant>.jpg", or a temporary file fileblob writes beside it
// ("<key>_<variant>.jpg.<hex>.tmp") and leaves when the process dies
// mid-write. Anything else is not ours to delete.
func sweepKey(name string) (string, bool) {
	if key, _, ok := ParseName(name); ok {
		return key, true
	}
	base, rest, found := strings.Cut(name, ext+".")
	if !found || !strings.HasSuffix(rest, ".tmp") {
		return "", false
	}
	hexPart := strings.TrimSuffix(rest, ".tmp")
	if hexPart == "" || strings.Trim(hexPart, "0123456789abcdef") != "" {
		return "", false
	}
	key, _, ok := ParseName(base + ext)
	return key, ok
}

// deleteNames deletes the named blobs, counting those it removed (already
// gone is not an error: another pass or a retried delete got there first).
func (b *Bucket) deleteNames(ctx context.Context, names []string) (int, error) {
	n := 0
	var errs []error
	for _, name := range names {
		err := b.b.Delete(ctx, name)
		switch {
		case err == nil:
			n++
		case gcerrors.Code(err) == gcerrors.NotFound:
		default:
			errs = append(errs, fmt.Errorf("delete %s: %w", name, err))
		}
	}
	return n, errors.Join(errs...)
}

// RunSweeper sweeps at once and then every interval until ctx ends. A
// failing pass is logged and retried at the next tick.
func RunSweeper(ctx context.Context, s *Sweeper, interval time.Duration) {
	log := s.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		res, err := s.RunOnce(ctx)
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			log.LogAttrs(ctx, slog.LevelError, "orphan photo sweep failed",
				slog.Int("blobs_removed", res.Blobs), slog.String("error", err.Error()))
		case res.Blobs > 0:
			log.LogAttrs(ctx, slog.LevelInfo, "orphan photo blobs removed",
				slog.Int("keys", res.Keys), slog.Int("blobs", res.Blobs))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
