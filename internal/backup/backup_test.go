package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"lostinnl/internal/demo"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
)

// instance is a populated SQLite data directory, as `lostinnl serve` lays
// it out: lostinnl.db, secret.key and media/.
type instance struct {
	dir    string
	st     *store.Store
	keeper *secrets.Keeper
	cases  int
	tips   int
	msgs   int
	media  map[string][]byte // media-relative name → content
}

func newInstance(t *testing.T) *instance {
	t.Helper()
	return newInstanceTB(t, filepath.Join(t.TempDir(), "data"))
}

func newInstanceTB(t testing.TB, dir string) *instance {
	t.Helper()
	ctx := t.Context()
	if err := os.MkdirAll(filepath.Join(dir, "media", "sub"), 0o750); err != nil {
		t.Fatal(err)
	}
	st, k := openStore(t, dir)
	added, err := demo.Seed(ctx, st, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{dir: dir, st: st, keeper: k, cases: added, media: map[string][]byte{}}
	list, err := st.SearchCases(ctx, store.CaseQuery{PerPage: 5})
	if err != nil || len(list.Cases) == 0 {
		t.Fatalf("no public demo case to tip: %v", err)
	}
	for i := range 3 {
		_, err := st.CreateTip(ctx, &store.Tip{CaseID: list.Cases[0].ID, Message: fmt.Sprintf("seen near Gander wharf %d", i)},
			store.TipContact{Name: "Fictional Tipster", Phone: "709-555-0100"})
		if err != nil {
			t.Fatal(err)
		}
		in.tips++
	}
	for i := range 4 {
		if _, err := st.CreateMessage(ctx, &store.Message{Name: "A. Visitor", Email: "visitor@example.org",
			Subject: fmt.Sprintf("backup-test-%d", i), Body: "hello"}); err != nil {
			t.Fatal(err)
		}
		in.msgs++
	}
	for name, body := range map[string][]byte{
		"abcdefghijklmnopqrstuvwxyz234567_320.jpg":       bytes.Repeat([]byte{0xff, 0xd8, 1}, 3000),
		"abcdefghijklmnopqrstuvwxyz234567_320.jpg.attrs": []byte(`{"content_type":"image/jpeg"}`),
		"sub/nested_800.jpg":                             bytes.Repeat([]byte("x"), 70000),
		"empty.jpg":                                      {},
	} {
		if err := os.WriteFile(filepath.Join(dir, "media", name), body, 0o640); err != nil {
			t.Fatal(err)
		}
		in.media[name] = body
	}
	return in
}

func openStore(t testing.TB, dir string) (*store.Store, *secrets.Keeper) {
	t.Helper()
	ctx := t.Context()
	k, err := secrets.OpenKeeper(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, DatabaseFile), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st.SetCipher(secrets.NewFieldCipher(k, nil))
	return st, k
}

func TestRoundTrip(t *testing.T) {
	ctx := t.Context()
	in := newInstance(t)
	media := filepath.Join(in.dir, "media")
	// Things that must not be archived: a symlink to a secret outside the
	// media folder, a named pipe, and an upload still being written.
	secret := filepath.Join(t.TempDir(), "outside.txt")
	if err := os.WriteFile(secret, []byte("not for the backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(media, "link.jpg")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(media, "pipe"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(media, "x_320.jpg.18a2b.tmp"), []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}

	outDir := t.TempDir()
	out := filepath.Join(outDir, "lostinnl.tar.gz")
	sum, err := Create(ctx, in.st, media, out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.MediaFiles != len(in.media) || sum.DatabaseBytes == 0 || sum.ArchiveBytes == 0 || sum.SchemaVersion < 1 {
		t.Errorf("summary %+v", sum)
	}
	slices.Sort(sum.Skipped)
	if want := []string{"media/link.jpg", "media/pipe", "media/x_320.jpg.18a2b.tmp"}; !slices.Equal(sum.Skipped, want) {
		t.Errorf("skipped %q, want %q", sum.Skipped, want)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("archive mode %v, want 0600", fi.Mode().Perm())
	}
	if fi.Size() != sum.ArchiveBytes {
		t.Errorf("archive is %d bytes, summary says %d", fi.Size(), sum.ArchiveBytes)
	}
	if left, _ := os.ReadDir(outDir); len(left) != 1 {
		t.Errorf("output directory holds %d entries, want only the archive (temp files left behind?)", len(left))
	}
	names, m := listArchive(t, out)
	if names[len(names)-1] != ManifestFile {
		t.Errorf("manifest is not the last entry: %q", names)
	}
	for _, n := range names {
		if strings.Contains(n, "secret.key") || strings.Contains(n, "outside") || strings.HasSuffix(n, ".tmp") {
			t.Errorf("archive holds %q", n)
		}
	}
	if m.KeyIncluded || !strings.Contains(m.Note, "NOT in this backup") || m.Format != FormatVersion || m.MediaFiles != len(in.media) {
		t.Errorf("manifest %+v", m)
	}

	// The live store is untouched and still writable after an online backup.
	if _, err := in.st.CreateMessage(ctx, &store.Message{Name: "After", Email: "a@example.org", Subject: "after", Body: "x"}); err != nil {
		t.Fatalf("store after backup: %v", err)
	}

	target := filepath.Join(t.TempDir(), "restored")
	rs, err := Restore(ctx, out, target)
	if err != nil {
		t.Fatal(err)
	}
	if rs.MediaFiles != sum.MediaFiles || rs.DatabaseBytes != sum.DatabaseBytes || rs.SchemaVersion != sum.SchemaVersion ||
		!rs.CreatedAt.Equal(sum.CreatedAt) {
		t.Errorf("restore summary %+v, backup summary %+v", rs, sum)
	}
	for name, body := range in.media {
		got, err := os.ReadFile(filepath.Join(target, "media", filepath.FromSlash(name)))
		if err != nil || !bytes.Equal(got, body) {
			t.Errorf("media %s: %d bytes, err %v; want %d bytes", name, len(got), err, len(body))
		}
	}
	for _, gone := range []string{"link.jpg", "pipe", "x_320.jpg.18a2b.tmp"} {
		if _, err := os.Lstat(filepath.Join(target, "media", gone)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s restored: %v", gone, err)
		}
	}
	entries, _ := os.ReadDir(target)
	var top []string
	for _, e := range entries {
		top = append(top, e.Name())
	}
	if !slices.Equal(top, []string{DatabaseFile, MediaDir}) {
		t.Errorf("restored data directory holds %q (staging left behind?)", top)
	}
	if fi, err := os.Stat(filepath.Join(target, DatabaseFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("restored database mode: %v %v", fi, err)
	}

	// The data is all there, and with the key copied separately (as the
	// docs instruct) the encrypted tip contacts still open.
	key, err := os.ReadFile(filepath.Join(in.dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "secret.key"), key, 0o600); err != nil {
		t.Fatal(err)
	}
	rst, rk := openStore(t, target)
	counts, err := rst.CountCasesByStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	if total != in.cases {
		t.Errorf("restored %d cases, want %d", total, in.cases)
	}
	tips, n, err := rst.ListTips(ctx, store.TipFilter{PerPage: 100})
	if err != nil || n != in.tips {
		t.Fatalf("restored %d tips (err %v), want %d", n, err, in.tips)
	}
	name, err := secrets.NewFieldCipher(rk, nil).OpenRow(ctx, tips[0].Name, "tips", "name", tips[0].ID, tips[0].SealToken)
	if err != nil || string(name) != "Fictional Tipster" {
		t.Errorf("restored tip contact with the separately copied key: %q, %v", name, err)
	}
	_, nm, err := rst.ListMessages(ctx, false, 1, 100)
	if err != nil || nm != in.msgs {
		t.Errorf("restored %d messages (err %v), want %d (the one written after the backup must not be there)", nm, err, in.msgs)
	}
}

func TestCreateWithoutMedia(t *testing.T) {
	in := newInstance(t)
	out := filepath.Join(t.TempDir(), "db-only.tar.gz")
	sum, err := Create(t.Context(), in.st, "", out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.MediaFiles != 0 {
		t.Errorf("media files %d", sum.MediaFiles)
	}
	target := filepath.Join(t.TempDir(), "r")
	if _, err := Restore(t.Context(), out, target); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(target, MediaDir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("media directory restored from a database-only backup: %v", err)
	}
}

func TestCreateReplacesAtomicallyAndCleansUpOnFailure(t *testing.T) {
	in := newInstance(t)
	outDir := t.TempDir()
	out := filepath.Join(outDir, "b.tar.gz")
	if err := os.WriteFile(out, []byte("previous backup"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Create(ctx, in.st, filepath.Join(in.dir, "media"), out); err == nil {
		t.Fatal("Create with a cancelled context succeeded")
	}
	if b, _ := os.ReadFile(out); string(b) != "previous backup" {
		t.Errorf("failed backup replaced the previous archive")
	}
	if left, _ := os.ReadDir(outDir); len(left) != 1 {
		t.Errorf("failed backup left %d entries in the output directory", len(left))
	}
	if _, err := Create(t.Context(), in.st, filepath.Join(in.dir, "missing-media"), out); err == nil {
		t.Error("Create with a missing media directory succeeded")
	}
	if _, err := Create(t.Context(), in.st, "", filepath.Join(outDir, "no", "such", "dir.tar.gz")); err == nil {
		t.Error("Create into a missing directory succeeded")
	}
	media := filepath.Join(in.dir, "media")
	if _, err := Create(t.Context(), in.st, media, filepath.Join(media, "sub", "b.tar.gz")); err == nil {
		t.Error("Create wrote its archive inside the media folder it archives")
	}
	if _, err := Create(t.Context(), in.st, "", out); err != nil {
		t.Fatal(err)
	}
	if _, m := listArchive(t, out); m.Format != FormatVersion {
		t.Errorf("archive not replaced")
	}
}

func TestCreateRefusesMySQL(t *testing.T) {
	dsn := os.Getenv("LOSTINNL_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("LOSTINNL_TEST_MYSQL_DSN not set")
	}
	// Open without a database name: Create must refuse before any query.
	st, err := store.Open(t.Context(), "mysql://"+dsn, store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := filepath.Join(t.TempDir(), "x.tar.gz")
	_, err = Create(t.Context(), st, "", out)
	if !errors.Is(err, ErrNotSQLite) || !strings.Contains(err.Error(), "RDS") || !strings.Contains(err.Error(), "mysqldump") {
		t.Errorf("err %v, want ErrNotSQLite naming RDS snapshots and mysqldump", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an archive was written for MySQL")
	}
}

func TestRestoreRefusesNonEmptyDataDir(t *testing.T) {
	in := newInstance(t)
	out := filepath.Join(t.TempDir(), "b.tar.gz")
	if _, err := Create(t.Context(), in.st, filepath.Join(in.dir, "media"), out); err != nil {
		t.Fatal(err)
	}
	// The live data directory itself, and one with a stray file.
	if _, err := Restore(t.Context(), out, in.dir); !errors.Is(err, ErrDataDirNotEmpty) {
		t.Errorf("restore over live data: %v", err)
	}
	stray := t.TempDir()
	if err := os.WriteFile(filepath.Join(stray, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(t.Context(), out, stray); !errors.Is(err, ErrDataDirNotEmpty) {
		t.Errorf("restore into a non-empty directory: %v", err)
	}
	if entries, _ := os.ReadDir(stray); len(entries) != 1 {
		t.Errorf("refused restore changed the directory: %d entries", len(entries))
	}
	// Only secret.key there: allowed (the drill puts the key back first).
	keyed := t.TempDir()
	if err := os.WriteFile(filepath.Join(keyed, "secret.key"), []byte("k"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(t.Context(), out, keyed); err != nil {
		t.Errorf("restore beside secret.key: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(keyed, "secret.key")); string(b) != "k" {
		t.Errorf("secret.key was changed by the restore")
	}
}

// ---- hostile archives ----

type rawEntry struct {
	hdr  tar.Header
	body []byte
}

func reg(name string, body []byte) rawEntry {
	return rawEntry{hdr: tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(body)), Mode: 0o600}, body: body}
}

// manifestFor lists every regular entry, with correct checksums.
func manifestFor(entries []rawEntry) Manifest {
	m := Manifest{Format: FormatVersion, App: "lostinnl", Dialect: "sqlite", SchemaVersion: 1, DatabaseFiles: 1,
		CreatedAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)}
	for _, e := range entries {
		if e.hdr.Typeflag != tar.TypeReg {
			continue
		}
		s := sha256.Sum256(e.body)
		m.Files = append(m.Files, FileEntry{Name: e.hdr.Name, Size: int64(len(e.body)), SHA256: hex.EncodeToString(s[:])})
		if e.hdr.Name != DatabaseFile {
			m.MediaFiles++
		}
	}
	return m
}

func writeRaw(t *testing.T, entries []rawEntry, m *Manifest) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	all := entries
	if m != nil {
		mj, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		all = append(slices.Clone(entries), reg(ManifestFile, mj))
	}
	for _, e := range all {
		if err := tw.WriteHeader(&e.hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(e.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "hostile.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// hugeHeaderArchive declares an entry of 1 TiB and ends right after its
// header: refusing must happen before any attempt to read or write it.
func hugeHeaderArchive(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "media/bomb.jpg", Size: 1 << 40, Mode: 0o600}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write(make([]byte, 4096)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Flush(); err == nil {
		t.Fatal("tar accepted a short entry")
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "huge.tar.gz")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRestoreRefusesHostileArchives(t *testing.T) {
	// A real database, so that only the hostile part can be the reason.
	in := newInstance(t)
	good := filepath.Join(t.TempDir(), "good.tar.gz")
	if _, err := Create(t.Context(), in.st, "", good); err != nil {
		t.Fatal(err)
	}
	dbBytes := readEntry(t, good, DatabaseFile)
	goodBytes, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	db := reg(DatabaseFile, dbBytes)
	photo := reg("media/a_320.jpg", []byte("jpeg"))
	withManifest := func(es ...rawEntry) func(*testing.T) string {
		return func(t *testing.T) string {
			m := manifestFor(es)
			m.SchemaVersion = in.schema(t)
			return writeRaw(t, es, &m)
		}
	}
	link := func(typ byte, name, target string) rawEntry {
		return rawEntry{hdr: tar.Header{Typeflag: typ, Name: name, Linkname: target, Mode: 0o777}}
	}
	cases := []struct {
		name    string
		archive func(*testing.T) string
		limits  Restorer
		want    string // part of the error
	}{
		{"dotdot", withManifest(db, reg("../evil.txt", []byte("x"))), Restorer{}, "path traversal"},
		{"dotdot inside media", withManifest(db, reg("media/../../evil.txt", []byte("x"))), Restorer{}, "path traversal"},
		{"absolute", withManifest(db, reg("/tmp/evil.txt", []byte("x"))), Restorer{}, "path traversal"},
		{"dot segment", withManifest(db, reg("media/./a.jpg", []byte("x"))), Restorer{}, "path traversal"},
		{"double slash", withManifest(db, reg("media//a.jpg", []byte("x"))), Restorer{}, "path traversal"},
		{"backslash", withManifest(db, reg(`media\..\..\evil`, []byte("x"))), Restorer{}, "forbidden characters"},
		{"newline in name", withManifest(db, reg("media/a\n.jpg", []byte("x"))), Restorer{}, "forbidden characters"},
		{"unexpected top-level file", withManifest(db, reg("secret.key", []byte("x"))), Restorer{}, "unexpected entry"},
		{"symlink", withManifest(db, link(tar.TypeSymlink, "media/a.jpg", "/etc/passwd")), Restorer{}, "symbolic link"},
		{"symlink then write through it", withManifest(db, link(tar.TypeSymlink, "media/d", "/tmp"), reg("media/d/evil", []byte("x"))), Restorer{}, "symbolic link"},
		{"hard link", withManifest(db, link(tar.TypeLink, "media/a.jpg", "/etc/passwd")), Restorer{}, "hard link"},
		{"device", withManifest(db, rawEntry{hdr: tar.Header{Typeflag: tar.TypeChar, Name: "media/null", Devmajor: 1, Devminor: 3, Mode: 0o666}}), Restorer{}, "character device"},
		{"fifo", withManifest(db, rawEntry{hdr: tar.Header{Typeflag: tar.TypeFifo, Name: "media/p", Mode: 0o666}}), Restorer{}, "named pipe"},
		{"duplicate", withManifest(db, photo, photo), Restorer{}, "twice"},
		{"checksum mismatch", func(t *testing.T) string {
			m := manifestFor([]rawEntry{db, photo})
			m.SchemaVersion = in.schema(t)
			return writeRaw(t, []rawEntry{db, reg("media/a_320.jpg", []byte("JPEG"))}, &m) // same size, other bytes
		}, Restorer{}, "checksum mismatch"},
		{"file not in manifest", func(t *testing.T) string {
			m := manifestFor([]rawEntry{db})
			m.SchemaVersion = in.schema(t)
			return writeRaw(t, []rawEntry{db, photo}, &m)
		}, Restorer{}, "not listed in the manifest"},
		{"file missing from archive", func(t *testing.T) string {
			m := manifestFor([]rawEntry{db, photo})
			m.SchemaVersion = in.schema(t)
			return writeRaw(t, []rawEntry{db}, &m)
		}, Restorer{}, "missing from the archive"},
		{"no manifest", func(t *testing.T) string { return writeRaw(t, []rawEntry{db, photo}, nil) }, Restorer{}, "no MANIFEST.json"},
		{"future format", func(t *testing.T) string {
			m := manifestFor([]rawEntry{db})
			m.Format = 99
			return writeRaw(t, []rawEntry{db}, &m)
		}, Restorer{}, "format 99"},
		{"not a database", withManifest(reg(DatabaseFile, []byte("this is not SQLite, just text padded out to look like a page"))), Restorer{}, "does not open"},
		{"schema version lies", func(t *testing.T) string {
			m := manifestFor([]rawEntry{db})
			m.SchemaVersion = 1000
			return writeRaw(t, []rawEntry{db}, &m)
		}, Restorer{}, "manifest says 1000"},
		{"truncated gzip", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "cut.tar.gz")
			if err := os.WriteFile(p, goodBytes[:len(goodBytes)/2], 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}, Restorer{}, "truncated"},
		{"not gzip", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "plain.txt")
			if err := os.WriteFile(p, []byte("hello, this is not an archive"), 0o600); err != nil {
				t.Fatal(err)
			}
			return p
		}, Restorer{}, "not a gzip archive"},
		{"huge declared size", hugeHeaderArchive, Restorer{}, "declares 1099511627776 bytes"},
		{"entry over the limit", withManifest(db, reg("media/zeros.jpg", make([]byte, 2<<20))), Restorer{MaxEntryBytes: 1 << 20}, "more than the limit"},
		{"total over the limit", withManifest(db, reg("media/a.jpg", make([]byte, 600<<10)), reg("media/b.jpg", make([]byte, 600<<10))),
			Restorer{MaxTotalBytes: int64(len(dbBytes)) + 1<<20}, "total more than the limit"},
		{"too many entries", withManifest(db, reg("media/1", nil), reg("media/2", nil), reg("media/3", nil)), Restorer{MaxEntries: 3}, "more than 3 entries"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			archive := tc.archive(t)
			parent := t.TempDir()
			target := filepath.Join(parent, "data")
			_, err := tc.limits.Restore(t.Context(), archive, target)
			if err == nil {
				t.Fatal("hostile archive restored")
			}
			if !errors.Is(err, ErrBadArchive) {
				t.Errorf("error %v is not ErrBadArchive", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			// Nothing left in the data directory, nothing written beside it.
			if entries, _ := os.ReadDir(target); len(entries) != 0 {
				t.Errorf("data directory holds %d entries after a refused restore", len(entries))
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 1 {
				t.Errorf("restore wrote outside the data directory: %d entries beside it", len(entries))
			}
			if _, err := os.Lstat("/tmp/evil.txt"); err == nil {
				t.Errorf("/tmp/evil.txt exists")
			}
		})
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"lostinnl.db", "media/a_320.jpg", "media/sub/b.jpg.attrs", "media/"} {
		if _, err := checkName(ok); err != nil {
			t.Errorf("checkName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "/", "..", "../x", "a/../../x", "/abs", "./x", "a//b", `a\b`, "C:x", "a\x00b", "a\rb", "\xff"} {
		if _, err := checkName(bad); err == nil {
			t.Errorf("checkName(%q) accepted", bad)
		}
	}
}

func TestLocalMediaDir(t *testing.T) {
	for in, want := range map[string]string{
		"file:///var/lib/lostinnl/media":       "/var/lib/lostinnl/media",
		"file:///srv/media?dir_file_mode=0750": "/srv/media",
		"s3://bucket?region=ca-central-1":      "",
		"mem://":                               "",
		"":                                     "",
		"file://":                              "",
		"file:///path%20with%20space/media?no_tmp_dir=1": "/path with space/media",
	} {
		got, ok := LocalMediaDir(in)
		if got != want || ok != (want != "") {
			t.Errorf("LocalMediaDir(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func (in *instance) schema(t *testing.T) int {
	t.Helper()
	v, err := in.st.SchemaVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func listArchive(t *testing.T, p string) ([]string, Manifest) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	var m Manifest
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if h.Name == ManifestFile {
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				t.Fatal(err)
			}
		}
	}
	return names, m
}

func readEntry(t *testing.T, p, name string) []byte {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not in %s: %v", name, p, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
}
