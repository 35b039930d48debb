package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"time"

	"lostinnl/internal/demo"
	"lostinnl/internal/media"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/web"
)

// pageCacheTTL absorbs the burst when a case is shared: thousands of phones
// opening the same page within a minute get a copy at most this old.
// Moderators' changes purge this instance's copy at once.
const pageCacheTTL = 3 * time.Second

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
// database-outage classifier, photos, sessions and field decryption.
func siteHandler(a *app, st *store.Store, metrics *telemetry.Metrics, cipher *secrets.FieldCipher, pipeline *media.Pipeline, bucket *media.Bucket, demoMode bool) (http.Handler, error) {
	cfg := a.cfg
	proxies := cfg.TrustedProxies
	h, err := web.New(web.Deps{
		Store:               st,
		Logger:              a.logger,
		BaseURL:             cfg.BaseURL,
		TrustedProxies:      proxies,
		FormRateLimit:       float64(cfg.FormRateLimit),
		FormRateBurst:       cfg.FormRateBurst,
		Demo:                demoMode,
		RequestIDMiddleware: telemetry.RequestIDMiddleware(telemetry.TrustedPeer(proxies)),
		RequestID:           telemetry.RequestID,
		AccessLog:           telemetry.AccessLog(a.logger, proxies),
		ClientIP:            func(r *http.Request) netip.Addr { return telemetry.ClientIP(r, proxies) },
		ForwardedTLS:        func(r *http.Request) bool { return telemetry.ForwardedTLS(r, proxies) },
		CaptureRoute:        telemetry.CaptureRoute,
		FormRejected:        metrics.FormRejected,
		MediaPresign:        cfg.MediaPresign,
		RateLimited:         metrics.RateLimited,
		IsUnavailable:       store.IsUnavailable,
		Pipeline:            pipeline,
		Bucket:              bucket,
		// 5 photos plus the text fields.
		MaxUploadBytes: 5*(int64(cfg.MaxUploadMB)<<20) + 1<<20,
		CacheTTL:       pageCacheTTL,
		Admin: &web.Admin{
			Cipher:          cipher,
			IdleTimeout:     cfg.SessionIdleTimeout,
			SessionLifetime: cfg.SessionLifetime,
			RetentionDays:   cfg.LocatedRetentionDays,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("build web handler: %w", err)
	}
	return h, nil
}

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
