package cli

import (
	"context"
	"fmt"
	"log/slog"
)

// runMigrate applies the database migrations and exits, for deployments
// that migrate as a separate step before starting new instances.
func runMigrate(ctx context.Context, e *env, args []string) error {
	if err := e.parseFlags(e.flagSet("migrate"), args); err != nil {
		return err
	}
	a, st, done, err := e.startWithStore(ctx, keeperIfEncrypted)
	if err != nil {
		return err
	}
	defer done()
	applied, ver, err := migrate(ctx, st)
	if err != nil {
		return err
	}
	a.logger.Info("database migrated", slog.String("database", st.Dialect()),
		slog.Int("applied", applied), slog.Int("schema_version", ver))
	_, err = fmt.Fprintf(e.stdout, "%s database at schema version %d (%d migrations applied)\n", st.Dialect(), ver, applied)
	return err
}
