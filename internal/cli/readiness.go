package cli

import (
	"net/url"
	"path/filepath"
	"strings"

	"lostinnl/internal/config"
	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
	"lostinnl/internal/web/kit"
)

// readyFailedWrites is how many writes of one kind (database transactions,
// photo uploads) must fail in a row before /readyz fails. One failure can be
// a blip (a deadlock retried three times, one S3 500); five with no success
// between is a pattern that sending more visitors will not fix. Fewer
// would flap on a busy site, more would take too long to notice on a quiet
// one, where a handful of reports arrive per hour. It is not a setting: the
// disk floor (LOSTINNL_MIN_FREE_DISK_MB) catches the usual cause earlier.
const readyFailedWrites = 5

// addReadiness registers the checks that make /readyz tell the truth beyond
// "the database answers": free disk where we write, and writes that
// actually succeed.
func addReadiness(health *telemetry.Health, cfg *config.Config, st *store.Store, bucket *media.Bucket, uploads *kit.UploadSpool) {
	health.AddCheck("disk", telemetry.DiskFree(uint64(cfg.MinFreeDiskMB)<<20, diskDirs(cfg)...))
	health.AddCheck("database_writes", telemetry.FailedWrites(readyFailedWrites, st.FailedWrites, st.ProbeWrite))
	health.AddCheck("storage_writes", telemetry.FailedWrites(readyFailedWrites, bucket.FailedWrites, bucket.ProbeWrite))
	// Photos are written to the upload spool (data dir) before the bucket:
	// on a full data disk they fail there first.
	health.AddCheck("upload_writes", telemetry.FailedWrites(readyFailedWrites, uploads.FailedWrites, uploads.ProbeWrite))
}

// diskDirs lists the directories whose file systems we write to: the data
// dir (upload spool, ACME cache, local key), and the SQLite file's and
// file:// media folder's when they live elsewhere. Checking one directory
// per file system would do, but telling them apart portably is more code
// than a statfs call per directory costs.
func diskDirs(cfg *config.Config) []string {
	dirs := []string{cfg.DataDir}
	add := func(d string) {
		d = filepath.Clean(d)
		for _, have := range dirs {
			if have == d {
				return
			}
		}
		dirs = append(dirs, d)
	}
	if p, ok := strings.CutPrefix(cfg.DatabaseURL, "sqlite:"); ok {
		add(filepath.Dir(p))
	}
	if u, err := url.Parse(cfg.MediaURL); err == nil && u.Scheme == "file" && u.Path != "" {
		add(filepath.FromSlash(u.Path))
	}
	return dirs
}
