package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"lostinnl/internal/config"

	"lostinnl/internal/backup"
)

// runBackup: `backup --out FILE` — an online, consistent copy of a SQLite
// install (database snapshot + local media folder). MySQL installs use RDS
// snapshots and point-in-time recovery instead (docs/operations.md).
func runBackup(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("backup")
	out := fs.String("out", "", "archive to write (.tar.gz)")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("backup: --out FILE is required")
	}
	a, st, done, err := e.startWithStore(ctx, keeperIfEncrypted)
	if err != nil {
		return err
	}
	defer done()
	mediaDir, _ := backup.LocalMediaDir(a.cfg.MediaURL)
	if _, err := os.Stat(mediaDir); mediaDir != "" && errors.Is(err, os.ErrNotExist) {
		mediaDir = "" // no photo has been stored yet: nothing to copy
	}
	sum, err := backup.Create(ctx, st, mediaDir, *out)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(e.stdout, "Wrote %s: database %d bytes (schema %d), %d media files (%d bytes), archive %d bytes.\n",
		sum.Path, sum.DatabaseBytes, sum.SchemaVersion, sum.MediaFiles, sum.MediaBytes, sum.ArchiveBytes)
	if len(sum.Skipped) > 0 {
		fmt.Fprintf(e.stdout, "Skipped %d media entries that are not regular files.\n", len(sum.Skipped))
	}
	fmt.Fprintln(e.stdout, "The secret key is NOT in the archive: keep a copy of the keeper's key separately (see docs/operations.md).")
	return nil
}

// runRestore: `restore --from FILE` into an empty LOSTINNL_DATA_DIR, with
// the server stopped. Checksums are verified before anything is written.
func runRestore(ctx context.Context, e *env, args []string) error {
	fs := e.flagSet("restore")
	from := fs.String("from", "", "archive made by `lostinnl backup`")
	if err := e.parseFlags(fs, args); err != nil {
		return err
	}
	if *from == "" {
		return usagef("restore: --from FILE is required")
	}
	// Only the data directory is needed: restore neither opens the
	// database nor the keeper.
	cfgDir, err := dataDirOnly(e)
	if err != nil {
		return err
	}
	sum, err := backup.Restore(ctx, *from, cfgDir)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(e.stdout, "Restored %s into %s: database schema %d, %d media files. Put the secret key back before starting (%s).\n",
		*from, cfgDir, sum.SchemaVersion, sum.MediaFiles, filepath.Join(cfgDir, "secret.key"))
	return nil
}

// dataDirOnly loads the configuration just far enough to know the data
// directory, and refuses a configuration where a restored lostinnl.db in
// it would not be the database the server opens.
func dataDirOnly(e *env) (string, error) {
	cfg, err := config.Load(e.lookup, e.configFile)
	if err != nil {
		return "", &configError{err}
	}
	want := "sqlite:" + filepath.Join(cfg.DataDir, backup.DatabaseFile)
	if !cfg.NeedsDecryption() && !sameSQLite(cfg.DatabaseURL, want) {
		return "", &configError{&config.KeyError{Key: "LOSTINNL_DATABASE_URL",
			Reason: "restore works for the default SQLite database in LOSTINNL_DATA_DIR only; restore MySQL from RDS snapshots"}}
	}
	return cfg.DataDir, nil
}

// sameSQLite compares two sqlite: URLs by absolute path.
func sameSQLite(a, b string) bool {
	pa, oka := strings.CutPrefix(a, "sqlite:")
	pb, okb := strings.CutPrefix(b, "sqlite:")
	if !oka || !okb {
		return false
	}
	pa, _, _ = strings.Cut(pa, "?")
	aa, err1 := filepath.Abs(pa)
	ab, err2 := filepath.Abs(pb)
	return err1 == nil && err2 == nil && aa == ab
}
