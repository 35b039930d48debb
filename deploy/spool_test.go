package deploy_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// within reports whether path is dir or below it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../")
}

// TestUploadSpoolWritable: uploads are spooled in <data dir>/spool (see
// internal/web/kit/upload_spool.go), so the data directory the unit and the
// image configure must be writable there: inside ReadWritePaths under
// ProtectSystem=strict, and on the image's volume.
func TestUploadSpoolWritable(t *testing.T) {
	u := parseUnit(t, readFile(t, "systemd/lostinnl.service"))
	dataDir := u.environment()["LOSTINNL_DATA_DIR"]
	rw, _ := u.last("Service", "ReadWritePaths")
	if dataDir == "" || !within(filepath.Join(dataDir, "spool"), rw) {
		t.Errorf("unit: data dir %q (spool inside it) is not under ReadWritePaths %q", dataDir, rw)
	}

	df := readFile(t, "../Dockerfile")
	env := regexp.MustCompile(`LOSTINNL_DATA_DIR=(\S+)`).FindStringSubmatch(df)
	vol := regexp.MustCompile(`VOLUME \["([^"]+)"\]`).FindStringSubmatch(df)
	if env == nil || vol == nil || !within(filepath.Join(env[1], "spool"), vol[1]) {
		t.Errorf("Dockerfile: LOSTINNL_DATA_DIR %v is not on the volume %v", env, vol)
	}
	if strings.Contains(df, "TMPDIR") {
		t.Error("Dockerfile sets TMPDIR: uploads do not use it, and nothing should rely on it")
	}
}
