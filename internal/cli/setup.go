package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/go-sql-driver/mysql"

	"lostinnl/internal/config"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
)

// app is what a command gets after start-up: the validated configuration,
// the logger and (when opened) the secrets keeper.
type app struct {
	cfg    *config.Config
	logger *slog.Logger
	keeper *secrets.Keeper // nil unless opened
	cores  int             // CPUs the server may use (serve's tuneProcs); 0 elsewhere
}

func (a *app) close() {
	if a.keeper != nil {
		if err := a.keeper.Close(); err != nil {
			a.logger.Warn("close secrets keeper", slog.String("error", err.Error()))
		}
	}
}

type keeperNeed int

const (
	keeperIfEncrypted keeperNeed = iota // only to decrypt *_ENCRYPTED values
	keeperAlways                        // the command uses the keeper itself
	keeperOnly                          // the keeper and nothing else: no data directory
)

// start runs the start-up sequence shared by the commands, in the order the
// design fixes: load → data directory → keeper → decrypt secrets → validate
// → logger. Configuration problems come back as *configError (exit 2).
func (e *env) start(ctx context.Context, need keeperNeed) (*app, error) {
	cfg, err := config.Load(e.lookup, e.configFile)
	if err != nil {
		return nil, &configError{err}
	}
	// 0750: the service group may read (backups), others may not. An
	// existing directory keeps its mode: the operator chose it. `secret`
	// does not need it (the local keeper makes its own, 0700), so running
	// `secret encrypt` against KMS from any directory leaves no ./data behind.
	if need != keeperOnly {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory (LOSTINNL_DATA_DIR): %w", err)
		}
	}
	a := &app{cfg: cfg}
	if need != keeperIfEncrypted || cfg.NeedsDecryption() {
		k, err := secrets.OpenKeeper(ctx, cfg.SecretsKeeper, cfg.DataDir)
		if err != nil {
			return nil, &configError{&config.KeyError{Key: "LOSTINNL_SECRETS_KEEPER", Reason: err.Error()}}
		}
		a.keeper = k
	}
	if a.keeper != nil {
		err = cfg.ResolveSecrets(ctx, a.keeper)
	} else {
		err = cfg.ResolveSecrets(ctx, nil)
	}
	if err == nil {
		err = cfg.Validate()
	}
	if err != nil {
		a.closeKeeperQuietly()
		return nil, &configError{err}
	}
	e.secrets = cfg.SecretValues()
	a.logger, err = newLogger(cfg, e.stderr)
	if err != nil {
		a.closeKeeperQuietly()
		return nil, &configError{err}
	}
	e.logger = a.logger
	_ = mysql.SetLogger(mysqlLogger{a.logger}) // only fails for a nil logger
	return a, nil
}

func (a *app) closeKeeperQuietly() {
	if a.keeper != nil {
		_ = a.keeper.Close() // start-up already failed; that error is the one to report
	}
}

// newLogger builds the process logger: text or JSON per LOSTINNL_LOG_FORMAT,
// with every configured secret value redacted and control characters
// escaped. The one place the logger is made, so it can be swapped whole.
func newLogger(cfg *config.Config, w io.Writer) (*slog.Logger, error) {
	l, err := telemetry.NewLogger(w, cfg.LogFormat, strings.ToLower(cfg.LogLevel.String()), cfg.SecretValues())
	if err != nil {
		return nil, fmt.Errorf("LOSTINNL_LOG_FORMAT/LOSTINNL_LOG_LEVEL: %w", err)
	}
	return l, nil
}

// openStore connects to the configured database. Its errors never contain
// the database URL (the store does not echo it; we scrub anyway on print).
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	st, err := store.Open(ctx, cfg.DatabaseURL, store.PoolOptions{
		MaxOpen:         cfg.DBMaxOpenConns,
		MaxIdle:         cfg.DBMaxIdleConns,
		ConnMaxLifetime: cfg.DBConnMaxLifetime,
		ConnMaxIdleTime: cfg.DBConnMaxIdleTime,
		CAFile:          cfg.DatabaseCAFile,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return st, nil
}

// startWithStore is start followed by openStore: how every command that
// works on the data begins. done closes the store, then the rest of the app.
func (e *env) startWithStore(ctx context.Context, need keeperNeed) (a *app, st *store.Store, done func(), err error) {
	a, err = e.start(ctx, need)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err = openStore(ctx, a.cfg)
	if err != nil {
		a.close()
		return nil, nil, nil, err
	}
	return a, st, func() {
		closeStore(st, a.logger)
		a.close()
	}, nil
}

// migrate applies pending migrations. A schema newer than this binary is
// refused by the store (an older binary must not write to it).
func migrate(ctx context.Context, st *store.Store) (applied, version int, err error) {
	applied, err = st.Migrate(ctx)
	if err != nil {
		return applied, 0, fmt.Errorf("migrate database: %w", err)
	}
	version, err = st.SchemaVersion(ctx)
	if err != nil {
		return applied, 0, fmt.Errorf("migrate database: %w", err)
	}
	return applied, version, nil
}

// closeStore closes the database, logging (not returning) a failure: it
// happens on the way out, after the real outcome is decided.
func closeStore(st *store.Store, logger *slog.Logger) {
	if err := st.Close(); err != nil && !errors.Is(err, context.Canceled) {
		logger.Warn("close database", slog.String("error", err.Error()))
	}
}

// mysqlLogger sends the MySQL driver's own messages ("closing bad idle
// connection", …) through our logger, so JSON logs stay one JSON object per
// line and secrets are redacted. The driver only offers a process-wide
// setter; the CLI is the one place that may set it.
type mysqlLogger struct{ l *slog.Logger }

func (m mysqlLogger) Print(v ...any) {
	m.l.Warn("mysql driver", slog.String("message", strings.TrimSpace(fmt.Sprint(v...))))
}
