package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/demo"
	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/web"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/site"
	"lostinnl/internal/web/staff"
)

// The public page cache (internal/pagecache) keeps rendered pages until the
// content changes: a burst on a shared case, and crawlers walking every
// case page, then cost no query and no template. Every instance reads the
// database's content revision each contentPollInterval and drops its pages
// when it changed, so a moderator's change shows everywhere within about a
// second (at once on the instance that made it). Pages are served from the
// cache only while the revision was read within ConfirmWithin, so when the
// database is out of reach visitors get fresh answers (or the outage page)
// rather than pages that may be stale. The TTL is only a safety net for
// writes made outside the application (an operator's SQL that forgets to
// bump content_revision, see docs/operations.md); it is not what keeps
// pages fresh, and a short one would rebuild every page again and again
// for nothing. MaxBytes comes from LOSTINNL_PAGE_CACHE_MB.
var pageCacheOptions = pagecache.Options{
	TTL:           10 * time.Minute,
	ConfirmWithin: 5 * time.Second,
}

const contentPollInterval = time.Second

// The read model is polled like the page cache was (its Watch reads the
// content revision each contentPollInterval). Pages are kept in the page
// cache only while the model was confirmed current within
// modelCacheConfirm, so an outage stops cached pages within about
// ConfirmWithin plus this; pages are answered from the model at all only
// while it was confirmed within modelServeConfirm (else 503, as when the
// database is down), which must also cover a rebuild: about 2 s at
// 100,000 cases on an idle machine, 5 s on a busy one.
const (
	modelCacheConfirm = 5 * contentPollInterval
	modelServeConfirm = 10 * contentPollInterval
)

// openMedia opens the photo pipeline and its bucket (LOSTINNL_MEDIA_URL;
// default a folder in the data directory), reporting photo outcomes to the
// metrics.
func openMedia(ctx context.Context, a *app, metrics *telemetry.Metrics) (*media.Pipeline, *media.Bucket, error) {
	cfg := a.cfg
	pipeline := media.NewPipeline(media.Config{
		MaxFileBytes: int64(cfg.MaxUploadMB) << 20,
		Concurrency:  cfg.ImageConcurrency,
	}, func(o media.Outcome) {
		if o.Result == "ok" {
			metrics.ObservePhoto(o.Total)
			return
		}
		metrics.PhotoRejected(o.Result)
	})
	// A local media folder is created like the data directory itself;
	// object storage buckets must exist already (Terraform makes them).
	if u, perr := url.Parse(cfg.MediaURL); perr == nil && u.Scheme == "file" && u.Path != "" {
		if err := os.MkdirAll(u.Path, 0o750); err != nil {
			return nil, nil, fmt.Errorf("create media directory (LOSTINNL_MEDIA_URL): %w", err)
		}
	}
	bucket, err := media.OpenBucket(ctx, cfg.MediaURL, cfg.DataDir)
	if err != nil {
		// The URL may hold credentials: name the key, not the value.
		return nil, nil, &configError{fmt.Errorf("LOSTINNL_MEDIA_URL: cannot open media storage: %w", err)}
	}
	return pipeline, bucket, nil
}

// siteHandler builds the public site and the admin area with every seam
// filled: telemetry's request ids, access log and client IP rules, the
// database-outage classifier, photos, sessions, field decryption and the
// mail keys of the alert forms.
func siteHandler(a *app, st *store.Store, metrics *telemetry.Metrics, cipher *secrets.FieldCipher, pipeline *media.Pipeline, bucket *media.Bucket, uploads *kit.UploadSpool, model *readmodel.Model, cache *pagecache.Cache, demoMode bool, loginKey []byte, m *mailer) (http.Handler, error) {
	cfg := a.cfg
	proxies := cfg.TrustedProxies
	// Built here (not by web's default) so the number of passwords checked
	// is a metric: what the sign-in throttle exists to bound.
	hasher := auth.NewHasher(auth.DefaultParams(), 2)
	if err := metrics.RegisterPasswordChecks(func() float64 { return float64(hasher.Checks()) }); err != nil {
		return nil, err
	}
	mediaOrigin, err := presignOrigin(cfg.MediaPresign, bucket)
	if err != nil {
		return nil, err
	}
	h, err := web.New(web.Deps{
		Store:          st,
		Logger:         a.logger,
		BaseURL:        cfg.BaseURL,
		TrustedProxies: proxies,
		FormRateLimit:  float64(cfg.FormRateLimit),
		FormRateBurst:  cfg.FormRateBurst,
		Demo:           demoMode,
		AccessLog:      telemetry.AccessLog(a.logger, proxies),
		CaptureRoute:   telemetry.CaptureRoute,
		FormRejected:   metrics.FormRejected,
		MediaPresign:   cfg.MediaPresign,
		MediaOrigin:    mediaOrigin,
		MapTiles:       cfg.MapTiles,
		RateLimited:    metrics.RateLimited,
		IsUnavailable:  store.IsUnavailable,
		Pipeline:       pipeline,
		Bucket:         bucket,
		// 5 photos plus the text fields.
		MaxUploadBytes:     5*(int64(cfg.MaxUploadMB)<<20) + 1<<20,
		Uploads:            uploads,
		PageCache:          cache,
		BuildSlots:         buildSlots(st.Dialect(), model.HoldsPages(), a.cores),
		Model:              model,
		ModelConfirmWithin: modelServeConfirm,
		MailKeys:           m.Keys,
		MailTemplates:      m.Templates,
		MailIdle:           m.idle,
		Retention: site.Retention{
			LocatedDays:       cfg.LocatedRetentionDays,
			PendingDays:       cfg.PendingRetentionDays,
			RejectedDays:      cfg.RejectedRetentionDays,
			TipDays:           cfg.TipRetentionDays,
			MessageDays:       cfg.MessageRetentionDays,
			LocatedPublicDays: cfg.LocatedPublicDays,
		},
		Admin: &staff.Admin{
			Cipher:             cipher,
			Hasher:             hasher,
			IdleTimeout:        cfg.SessionIdleTimeout,
			SessionLifetime:    cfg.SessionLifetime,
			LoginIPMaxFailures: cfg.LoginIPMaxFailures,
			LoginIPWindow:      cfg.LoginIPWindow,
			LoginKey:           loginKey,
			RetentionDays:      cfg.LocatedRetentionDays,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("build web handler: %w", err)
	}
	return h, nil
}

// presignTimeout bounds learning the presigned URLs' origin at start-up
// (credentials may have to be fetched from a task or instance role first).
const presignTimeout = 30 * time.Second

// presignOrigin is the origin photos are loaded from when
// LOSTINNL_MEDIA_PRESIGN redirects /media/ to presigned object-storage
// URLs: the page's CSP img-src must allow it, or browsers block every
// photo. It is "" when photos are served by the site itself. Start-up
// fails if it cannot be learnt: the site would otherwise run with every
// photo broken.
func presignOrigin(presign bool, bucket *media.Bucket) (string, error) {
	if !presign || bucket == nil {
		return "", nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), presignTimeout)
	defer cancel()
	origin, err := bucket.SignedOrigin(ctx)
	if err != nil {
		return "", &configError{fmt.Errorf("LOSTINNL_MEDIA_PRESIGN: cannot presign a photo URL with LOSTINNL_MEDIA_URL (credentials?): %w", err)}
	}
	return origin, nil
}

// uploadDir is the upload spool, a private folder of the data directory
// (so it is covered by the systemd unit's ReadWritePaths and the
// container's volume, and is on the same disk as the data).
func uploadDir(dataDir string) string { return filepath.Join(dataDir, "spool") }

// seedDemo adds the fictional demo cases (idempotent) with generated
// placeholder portraits.
func seedDemo(ctx context.Context, st *store.Store, pipeline *media.Pipeline, bucket *media.Bucket, logger *slog.Logger) error {
	added, err := demo.Seed(ctx, st, demo.Options{Portrait: demo.MediaPortraits(pipeline, bucket)})
	if err != nil {
		return fmt.Errorf("seed demo data: %w", err)
	}
	logger.Info("demo data", slog.Int("cases_added", added))
	return nil
}

// buildSlots is web.Deps.BuildSlots for the database in use, pages telling
// whether the read model holds the case pages (readmodel.Model.HoldsPages,
// as loaded at start-up), on cores CPUs (tuneProcs; 0: web's default, one
// slot a P). On SQLite a page's queries are CPU work of this process: one
// build per core. On MySQL each query waits for a round trip, to another
// host in production: when case pages are queries, two builds per core
// keep the cores busy meanwhile (local MariaDB, 10,000 cases, cold case
// pages: one slot per core 2,615 req/s, two 3,434, four 3,384, while the
// search p99 grew from 34 to 50 and 64 ms). When the model holds them, no
// public page waits on the database and a second slot per core only
// lengthens the tail: case pages p99 50–52 ms against 72–90, search 53–58
// against 86–98, at the same rate (docs/performance.md).
//
// Slots follow the cores, not the Ps. As a third build slot on two cores,
// the spare P tuneProcs adds let three builds share two cores, so a build
// waited for the CPU in the scheduler's run queues, in no particular
// order, instead of in the slots' queue, in arrival order; left free of
// builds, it reads the next requests and writes the answers while both
// slots build. 100,034 cases, rotating searches: p99 47–50 ms with three
// Ps and three slots, 22–24 ms with three Ps and two slots (3–8 % more
// requests a second), 54–56 ms with two Ps and two slots.
func buildSlots(dialect string, pages bool, cores int) int {
	if dialect == "mysql" && !pages {
		return 2 * cores
	}
	return cores
}
