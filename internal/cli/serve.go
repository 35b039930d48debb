package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"

	"lostinnl/internal/secrets"
	"lostinnl/internal/server"
	"lostinnl/internal/telemetry"
)

// runServe is the web server: start-up, serve until SIGINT/SIGTERM, drain,
// close the database. A second signal during the drain kills the process
// the default way, for an operator who really wants it gone now.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("serve")
	demo := fs.Bool("demo", false, "mark every page as demo data")
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
	health := telemetry.NewHealth(logger, 0)
	health.AddCheck("database", st.Ping)

	pipeline, bucket, err := openMedia(ctx, a, metrics)
	if err != nil {
		return err
	}
	defer bucket.Close()
	health.AddCheck("storage", bucket.Ping)
	if *demo {
		if err := seedDemo(ctx, st, pipeline, bucket, logger); err != nil {
			return err
		}
	}
	site, err := siteHandler(a, st, cipher, pipeline, bucket, *demo)
	if err != nil {
		return err
	}
	public := publicHandler(site, metrics, health)

	var listeners []*server.Listener
	closeAll := func() {
		for _, l := range listeners {
			_ = l.Close() // start-up failed; the listen error is the one to report
		}
	}
	pub, err := server.Listen(ctx, "public", cfg.Addr, public, server.PublicTimeouts(), logger)
	if err != nil {
		return err
	}
	listeners = append(listeners, pub)
	opsURL := "off"
	if cfg.OpsAddr != "" {
		ops, err := server.Listen(ctx, "ops", cfg.OpsAddr, telemetry.OpsMux(metrics, health), server.OpsTimeouts(), logger)
		if err != nil {
			closeAll()
			return err
		}
		listeners = append(listeners, ops)
		opsURL = ops.URL()
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

	err = server.Run(ctx, listeners, server.Options{
		DrainTimeout: cfg.ShutdownTimeout,
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

// publicHandler mounts the health endpoints beside the site (load balancers
// that can reach only the public port probe them there) and counts every
// request by route.
func publicHandler(site http.Handler, metrics *telemetry.Metrics, health *telemetry.Health) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", health.Healthz())
	mux.Handle("GET /readyz", health.Readyz())
	mux.Handle("/", site)
	return metrics.Middleware(telemetry.CaptureRoute(mux))
}
