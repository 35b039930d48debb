package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"syscall"

	"lostinnl/internal/config"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/secrets"
	"lostinnl/internal/server"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/tlsauto"
	"lostinnl/internal/web/kit"
)

// runServe is the web server: start-up, serve until SIGINT/SIGTERM, drain,
// close the database. A second signal during the drain kills the process
// the default way, for an operator who really wants it gone now.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("serve")
	demo := fs.Bool("demo", false, "seed fictional demo cases (once) and mark every page as demo data")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // restore default signal handling: a second signal ends the process
	}()

	a, err := e.start(ctx, keeperAlways)
	if err != nil {
		return err
	}
	defer a.close()
	cfg, logger := a.cfg, a.logger
	tuneGC()
	a.cores = tuneProcs()

	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore(st, logger) // runs after the listeners have drained
	applied, schema, err := migrate(ctx, st)
	if err != nil {
		return err
	}
	cipher := secrets.NewFieldCipher(a.keeper, logger)
	st.SetCipher(cipher)

	ver, rev, _ := BuildInfo()
	metrics := telemetry.NewMetrics(ver, rev)
	if err := metrics.RegisterDBStats(st.Stats); err != nil {
		return err
	}
	st.SetObserver(metrics.ObserveQuery)
	health := telemetry.NewHealth(logger, 0)
	health.AddCheck("database", st.Ready) // reads a real table, not SELECT 1

	pipeline, bucket, err := openMedia(ctx, a, metrics)
	if err != nil {
		return err
	}
	defer bucket.Close()
	health.AddCheck("storage", bucket.Ping)
	// Cleared before the first request: what dead processes left there
	// are the raw photos (EXIF, GPS) of uploads they never finished. The
	// site keeps the spool (and its lock) for the life of the process.
	uploads, err := kit.OpenUploadSpool(uploadDir(cfg.DataDir))
	if err != nil {
		return err
	}
	addReadiness(health, cfg, st, bucket, uploads)
	if *demo {
		if err := seedDemo(ctx, st, pipeline, bucket, logger); err != nil {
			return err
		}
	}
	// The public listings, search and home read this snapshot of the
	// public cases (after the migrations and the demo seed, so it starts
	// with what the database holds); Watch keeps it current.
	model, err := readmodel.New(ctx, st, readmodel.SearchIndex, logger)
	if err != nil {
		return fmt.Errorf("load the public cases: %w", err)
	}
	if os.Getenv("GOGC") == "" {
		model.RebuildGCPercent = rebuildGCPercent
	}
	var cache *pagecache.Cache // nil: LOSTINNL_PAGE_CACHE_MB=0
	if cfg.PageCacheMB > 0 {
		opts := pageCacheOptions
		opts.MaxBytes = cfg.PageCacheMB << 20
		cache = pagecache.New(opts)
		if err := metrics.RegisterPageCache(func() telemetry.PageCacheStats {
			s := cache.Stats()
			return telemetry.PageCacheStats{Pages: s.Pages, Bytes: s.Bytes, Hits: s.Hits, Misses: s.Misses, Bypasses: s.Bypasses,
				Refused: s.Refused}
		}); err != nil {
			return err
		}
	}
	loginKey, err := loadLoginKey(ctx, st, a.keeper, logger)
	if err != nil {
		return err
	}
	mailer, err := newMailer(ctx, cfg, st, a.keeper, cipher, metrics, *demo, logger)
	if err != nil {
		return err
	}
	site, err := siteHandler(a, st, metrics, cipher, pipeline, bucket, uploads, model, cache, *demo, loginKey, mailer)
	if err != nil {
		return err
	}
	public := publicHandler(site, metrics, health)

	listeners, err := listen(ctx, a, public, metrics, health)
	if err != nil {
		return err
	}
	pub, opsURL := listeners[0], "off"
	for _, l := range listeners {
		if l.Name == "ops" {
			opsURL = l.URL()
		}
	}

	logger.Info("lostinnl serving",
		slog.String("url", pub.URL()),
		slog.String("ops", opsURL),
		slog.String("base_url", cfg.BaseURL),
		slog.String("database", st.Dialect()),
		slog.Int("schema_version", schema),
		slog.Int("migrations_applied", applied),
		slog.Bool("demo", *demo),
		slog.String("version", ver))

	if err := telemetry.Ready(); err != nil {
		logger.Warn("systemd notify", slog.String("error", err.Error()))
	}
	// The watchdog keeps pinging through the drain (ctx is already done
	// then) and stops only when serving has ended.
	wdCtx, wdStop := context.WithCancel(context.WithoutCancel(ctx))
	defer wdStop()
	go func() {
		if err := telemetry.Watchdog(wdCtx); err != nil {
			logger.Warn("systemd watchdog", slog.String("error", err.Error()))
		}
	}()

	var sessions atomic.Int64
	if err := metrics.RegisterSessions(func() float64 { return float64(sessions.Load()) }); err != nil {
		return err
	}
	stopBackground := startBackground(st, bucket, model, cache, cfg.LocatedRetentionDays, retentionPolicy(cfg), cfg.SessionIdleTimeout, &sessions, metrics.OrphanBlobsRemoved, logger)
	defer stopBackground() // before closeStore (defers run last-in first-out)
	stopMail := mailer.start()
	defer stopMail() // before closeStore

	err = server.Run(ctx, listeners, server.Options{
		DrainTimeout: cfg.ShutdownTimeout,
		DrainDelay:   cfg.DrainDelay, // /readyz says 503 while we still serve
		BeforeShutdown: func() {
			health.SetDraining() // /readyz answers 503 from now on
			if err := telemetry.Stopping(); err != nil {
				logger.Warn("systemd notify", slog.String("error", err.Error()))
			}
		},
		Logger: logger,
	})
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// listen binds every listener before anything is served, so a port clash
// is reported at start-up. The first one returned is the public site: plain
// HTTP on LOSTINNL_ADDR, or HTTPS on LOSTINNL_TLS_ADDR with certificates
// from ACME when LOSTINNL_TLS_DOMAINS is set (LOSTINNL_ADDR then answers
// HTTP-01 challenges and redirects to HTTPS).
func listen(ctx context.Context, a *app, public http.Handler, metrics *telemetry.Metrics, health *telemetry.Health) ([]*server.Listener, error) {
	cfg, logger := a.cfg, a.logger
	var listeners []*server.Listener
	fail := func(err error) ([]*server.Listener, error) {
		for _, l := range listeners {
			_ = l.Close() // start-up failed; err is the one to report
		}
		return nil, err
	}
	add := func(name, addr string, h http.Handler, t server.Timeouts) (*server.Listener, error) {
		l, err := server.Listen(ctx, name, addr, h, t, logger)
		if err == nil {
			listeners = append(listeners, l)
		}
		return l, err
	}
	if len(cfg.TLSDomains) == 0 {
		if _, err := add("public", cfg.Addr, public, server.PublicTimeouts()); err != nil {
			return fail(err)
		}
	} else {
		_, portText, _ := net.SplitHostPort(cfg.TLSAddr)
		port, _ := strconv.Atoi(portText) // validated by config
		m, err := tlsauto.New(tlsauto.Config{
			Domains:      cfg.TLSDomains,
			DirectoryURL: cfg.ACMEDirectory,
			CacheDir:     filepath.Join(cfg.DataDir, "acme"),
			HTTPSPort:    port,
		})
		if err != nil {
			return fail(&configError{&config.KeyError{Key: "LOSTINNL_TLS_DOMAINS", Reason: err.Error()}})
		}
		l, err := add("public", cfg.TLSAddr, public, server.PublicTimeouts())
		if err != nil {
			return fail(err)
		}
		l.UseTLS(m.TLSConfig())
		if _, err := add("acme-http", cfg.Addr, m.HTTPHandler(), server.PublicTimeouts()); err != nil {
			return fail(err)
		}
	}
	if cfg.OpsAddr != "" {
		if _, err := add("ops", cfg.OpsAddr, telemetry.OpsMux(metrics, health), server.OpsTimeouts()); err != nil {
			return fail(err)
		}
	}
	return listeners, nil
}

// publicHandler mounts the health endpoints beside the site (load balancers
// that can reach only the public port probe them there) and counts every
// request by route.
func publicHandler(site http.Handler, metrics *telemetry.Metrics, health *telemetry.Health) http.Handler {
	// Route capture wraps the health handlers only: the site records its
	// own patterns (web.Deps.CaptureRoute), and a capture around this outer
	// mux would overwrite them all with its catch-all "/".
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", telemetry.CaptureRoute(health.Healthz()))
	mux.Handle("GET /readyz", telemetry.CaptureRoute(health.Readyz()))
	mux.Handle("/", site)
	return metrics.Middleware(mux)
}

// serveGCPercent is the GOGC the server runs with unless the GOGC
// environment variable says otherwise. The page cache keeps (by default) 20 MB of
// long-lived, pointer-free compressed pages: with Go's default of 100 the
// heap may grow by as much again in garbage before a collection, and with a
// full cache and pages being built the process can pass 100 MB. At 50 it
// stayed under for little extra collector work, since those bytes are never
// scanned; at 45 since the pages are kept as copies (a third larger than
// deflate's) and a third P runs (tuneProcs): 10,034 cases, random cached
// case pages then the home page, peak RSS 96.9–97.9 MB against 99.2–99.6 at
// 50 (one run of the same test at 50 reached 100.9), the same CPU a request
// (docs/performance.md).
const serveGCPercent = 45

// rebuildGCPercent is the GOGC while the read model builds a snapshot
// (see readmodel.Model.RebuildGCPercent): a tighter target for the half
// second at 10,000 cases (two seconds at 100,000) that two snapshots live
// side by side, so a published case does not take the process over its
// memory budget; the extra collections cost about as much CPU again as the
// build's own.
const rebuildGCPercent = 15

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

// tuneProcs runs Go code on one thread more than the CPUs the process may
// use, unless the GOMAXPROCS environment variable says otherwise. The
// server shares its cores with nginx (and MariaDB when it is local): when
// the kernel gives a core to one of them, the thread it preempted stops
// with the requests queued on its P until another P steals them, which
// with one P per core is rarely idle enough to. With a spare P the runtime
// always has a thread the kernel can run on the core that frees first.
// Measured on 2 cores with wrk beside it (docs/performance.md): cached
// pages p99 10.4–14.4 ms against 14.3–15.9, the same CPU a request, peak
// RSS 1–2 MB more; two spare Ps took RSS past 100 MB. The default it starts
// from is Go's, which already follows a container's CPU limit.
//
// It returns the CPUs the process may use (the Ps before the spare one):
// the page builds' slots follow those, not the Ps (buildSlots).
func tuneProcs() int {
	cores := runtime.GOMAXPROCS(0)
	if os.Getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(cores + 1)
	}
	return cores
}
