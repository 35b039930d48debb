package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"lostinnl/internal/store"
)

// Default limits of Restore. They are far above any real install (a few
// thousand cases, photos of a few MB each) and far below what would fill a
// disk by surprise: a gzip stream of zeros declares and inflates to any
// size, so sizes are checked in the tar header before a byte is written.
const (
	DefaultMaxEntryBytes = 16 << 30  // 16 GiB: the database file
	DefaultMaxTotalBytes = 256 << 30 // 256 GiB: database and every photo
	DefaultMaxEntries    = 2_000_000 // four variants and four .attrs per photo
	maxManifestBytes     = 64 << 20  // two million entries of ~100 bytes of JSON
)

// ErrBadArchive wraps every refusal caused by the archive's content (as
// opposed to I/O errors on this machine).
var ErrBadArchive = errors.New("backup: archive refused")

// ErrDataDirNotEmpty: Restore never overwrites or merges into existing data.
var ErrDataDirNotEmpty = errors.New("backup: data directory is not empty")

// Restorer restores archives with the given limits; zero fields mean the
// defaults above. Tests set small limits; Restore uses the defaults.
type Restorer struct {
	MaxEntryBytes int64
	MaxTotalBytes int64
	MaxEntries    int
}

// Restore restores archive into dataDir with the default limits.
func Restore(ctx context.Context, archive, dataDir string) (Summary, error) {
	return Restorer{}.Restore(ctx, archive, dataDir)
}

// Restore unpacks archive into dataDir, which must be empty or not exist
// yet; the one file it may already hold is secret.key, which an operator
// following the restore drill may have put back first.
//
// Everything is first extracted into a private staging directory inside
// dataDir and checked there — entry names and types, sizes, every SHA-256
// against the manifest, the manifest against the entries, and that the
// database opens with a schema this binary can run. Only then are the
// database and the media folder renamed into place. On any error the
// staging directory is removed and dataDir is left as it was.
func (r Restorer) Restore(ctx context.Context, archive, dataDir string) (Summary, error) {
	sum := Summary{Path: archive}
	r = r.withDefaults()
	if dataDir == "" {
		return sum, errors.New("backup: restore: no data directory given")
	}
	if err := checkEmptyDataDir(dataDir); err != nil {
		return sum, err
	}
	f, err := os.Open(archive)
	if err != nil {
		return sum, fmt.Errorf("backup: restore: open archive: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return sum, fmt.Errorf("backup: restore: open archive: %w", err)
	} else if !fi.Mode().IsRegular() {
		return sum, fmt.Errorf("backup: restore: %s is not a regular file", archive)
	} else {
		sum.ArchiveBytes = fi.Size()
	}

	staging, err := os.MkdirTemp(dataDir, ".restore-")
	if err != nil {
		return sum, fmt.Errorf("backup: restore: staging directory: %w", err)
	}
	defer os.RemoveAll(staging) // empty after a success; everything after a failure

	m, got, err := r.extract(ctx, f, staging)
	if err != nil {
		return sum, err
	}
	if err := verify(m, got); err != nil {
		return sum, err
	}
	sum.CreatedAt = m.CreatedAt
	sum.SchemaVersion = m.SchemaVersion
	for _, e := range m.Files {
		if e.Name == DatabaseFile {
			sum.DatabaseBytes = e.Size
		} else {
			sum.MediaFiles++
			sum.MediaBytes += e.Size
		}
	}
	if err := checkDatabase(ctx, filepath.Join(staging, DatabaseFile), m.SchemaVersion); err != nil {
		return sum, err
	}

	// Commit: the media folder first, the database last, so a data
	// directory holding lostinnl.db is always a complete one.
	if m.MediaFiles > 0 {
		if err := os.Chmod(filepath.Join(staging, MediaDir), 0o750); err != nil {
			return sum, fmt.Errorf("backup: restore: %w", err)
		}
		if err := os.Rename(filepath.Join(staging, MediaDir), filepath.Join(dataDir, MediaDir)); err != nil {
			return sum, fmt.Errorf("backup: restore: move media into place: %w", err)
		}
	}
	if err := os.Rename(filepath.Join(staging, DatabaseFile), filepath.Join(dataDir, DatabaseFile)); err != nil {
		if m.MediaFiles > 0 {
			_ = os.RemoveAll(filepath.Join(dataDir, MediaDir)) // back to empty; the rename error is the one to report
		}
		return sum, fmt.Errorf("backup: restore: move database into place: %w", err)
	}
	if err := syncDir(dataDir); err != nil {
		return sum, fmt.Errorf("backup: restore: sync data directory: %w", err)
	}
	return sum, nil
}

func (r Restorer) withDefaults() Restorer {
	if r.MaxEntryBytes <= 0 {
		r.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if r.MaxTotalBytes <= 0 {
		r.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if r.MaxEntries <= 0 {
		r.MaxEntries = DefaultMaxEntries
	}
	return r
}

// checkEmptyDataDir creates dataDir (0750) if missing, and refuses one that
// holds anything but secret.key.
func checkEmptyDataDir(dataDir string) error {
	entries, err := os.ReadDir(dataDir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return fmt.Errorf("backup: restore: create data directory: %w", err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: restore: read data directory: %w", err)
	}
	for _, e := range entries {
		if e.Name() == "secret.key" && e.Type().IsRegular() {
			continue
		}
		return fmt.Errorf("%w: %s holds %q; restore into an empty directory (move the current data aside first)",
			ErrDataDirNotEmpty, dataDir, e.Name())
	}
	return nil
}

// extracted is what was written to staging for one entry.
type extracted struct {
	size int64
	sum  string
}

// extract unpacks the archive into staging, returning the manifest and what
// each file really contained.
func (r Restorer) extract(ctx context.Context, src io.Reader, staging string) (*Manifest, map[string]extracted, error) {
	root, err := os.OpenRoot(staging)
	if err != nil {
		return nil, nil, fmt.Errorf("backup: restore: %w", err)
	}
	defer root.Close()

	gz, err := gzip.NewReader(src)
	if err != nil {
		return nil, nil, bad("not a gzip archive: %v", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)

	var (
		manifest []byte
		got      = map[string]extracted{}
		total    int64
		count    int
	)
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("backup: restore: %w", err)
		}
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, bad("reading archive (truncated or corrupt?): %v", err)
		}
		count++
		if count > r.MaxEntries {
			return nil, nil, bad("more than %d entries", r.MaxEntries)
		}
		name, err := checkName(hdr.Name)
		if err != nil {
			return nil, nil, err
		}
		if hdr.Typeflag == tar.TypeDir {
			// Directories are created as files need them; an explicit one
			// is accepted only where files may go.
			if name != MediaDir && !strings.HasPrefix(name, MediaDir+"/") {
				return nil, nil, bad("unexpected directory %q", name)
			}
			continue
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, nil, bad("%q is a %s, only regular files are accepted", name, typeName(hdr.Typeflag))
		}
		if hdr.Size < 0 || hdr.Size > r.MaxEntryBytes {
			return nil, nil, bad("%q declares %d bytes, more than the limit of %d", name, hdr.Size, r.MaxEntryBytes)
		}
		total += hdr.Size
		if total > r.MaxTotalBytes {
			return nil, nil, bad("entries total more than the limit of %d bytes", r.MaxTotalBytes)
		}
		if _, dup := got[name]; dup || (name == ManifestFile && manifest != nil) {
			return nil, nil, bad("%q appears twice", name)
		}
		if name == ManifestFile {
			if hdr.Size > maxManifestBytes {
				return nil, nil, bad("manifest declares %d bytes", hdr.Size)
			}
			manifest, err = io.ReadAll(tr)
			if err != nil {
				return nil, nil, bad("reading manifest: %v", err)
			}
			continue
		}
		if name != DatabaseFile && !strings.HasPrefix(name, MediaDir+"/") {
			return nil, nil, bad("unexpected entry %q (want %s, %s/… or %s)", name, DatabaseFile, MediaDir, ManifestFile)
		}
		e, err := writeEntry(ctx, root, name, tr, hdr.Size)
		if err != nil {
			return nil, nil, err
		}
		got[name] = e
	}
	if manifest == nil {
		return nil, nil, bad("no %s: not a lostinnl backup, or the archive is truncated", ManifestFile)
	}
	var m Manifest
	if err := json.Unmarshal(manifest, &m); err != nil {
		return nil, nil, bad("manifest: %v", err)
	}
	return &m, got, nil
}

// writeEntry writes one file under root, hashing it as it goes. os.Root is
// the second line of defence after checkName: it refuses any path that
// would leave the staging directory, whatever the name looks like.
func writeEntry(ctx context.Context, root *os.Root, name string, src io.Reader, size int64) (extracted, error) {
	perm := os.FileMode(0o640)
	if name == DatabaseFile {
		perm = 0o600
	}
	if dir := path.Dir(name); dir != "." {
		if err := root.MkdirAll(dir, 0o750); err != nil {
			return extracted{}, fmt.Errorf("backup: restore: %s: %w", name, err)
		}
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return extracted{}, fmt.Errorf("backup: restore: %s: %w", name, err)
	}
	hw := &hashingWriter{w: f, h: sha256.New()}
	_, err = io.CopyN(hw, ctxReader{ctx, src}, size)
	if cerr := f.Close(); err == nil && cerr != nil {
		return extracted{}, fmt.Errorf("backup: restore: %s: %w", name, cerr)
	}
	if err != nil {
		if ctx.Err() != nil {
			return extracted{}, fmt.Errorf("backup: restore: %w", ctx.Err())
		}
		return extracted{}, bad("%s: truncated after %d of %d bytes: %v", name, hw.n, size, err)
	}
	return extracted{size: hw.n, sum: hex.EncodeToString(hw.h.Sum(nil))}, nil
}

// checkName accepts only plain, clean, relative, slash-separated names:
// no "..", no leading "/", no "./", no backslashes or drive letters, no
// control characters.
func checkName(name string) (string, error) {
	n := strings.TrimSuffix(name, "/") // tar marks directories with a trailing slash
	switch {
	case n == "" || !utf8.ValidString(n):
		return "", bad("entry with an empty or invalid name")
	case strings.ContainsAny(n, "\\:\x00") || strings.ContainsFunc(n, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return "", bad("entry name %q has forbidden characters", name)
	case path.IsAbs(n) || !filepath.IsLocal(n) || path.Clean(n) != n:
		return "", bad("entry name %q is not a plain relative path (path traversal?)", name)
	}
	for _, part := range strings.Split(n, "/") {
		if part == "." || part == ".." || part == "" {
			return "", bad("entry name %q is not a plain relative path (path traversal?)", name)
		}
	}
	return n, nil
}

// verify checks the manifest against what the archive really held.
func verify(m *Manifest, got map[string]extracted) error {
	if m.Format < 1 || m.Format > FormatVersion {
		return bad("archive format %d, this binary reads format %d (use the lostinnl version that made it)", m.Format, FormatVersion)
	}
	if m.App != "lostinnl" {
		return bad("not a lostinnl backup (app %q)", m.App)
	}
	if m.Dialect != "sqlite" {
		return bad("database dialect %q, want sqlite", m.Dialect)
	}
	listed := map[string]FileEntry{}
	media := 0
	for _, e := range m.Files {
		if _, dup := listed[e.Name]; dup {
			return bad("manifest lists %q twice", e.Name)
		}
		listed[e.Name] = e
		if e.Name != DatabaseFile {
			media++
		}
	}
	if _, ok := listed[DatabaseFile]; !ok {
		return bad("manifest lists no database")
	}
	if media != m.MediaFiles || m.DatabaseFiles != 1 {
		return bad("manifest counts (%d database, %d media) do not match its file list", m.DatabaseFiles, m.MediaFiles)
	}
	var missing, extra, mismatched []string
	for name, e := range listed {
		g, ok := got[name]
		switch {
		case !ok:
			missing = append(missing, name)
		case g.size != e.Size || !strings.EqualFold(g.sum, e.SHA256):
			mismatched = append(mismatched, name)
		}
	}
	for name := range got {
		if _, ok := listed[name]; !ok {
			extra = append(extra, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	sort.Strings(mismatched)
	switch {
	case len(mismatched) > 0:
		return bad("checksum mismatch (corrupted or altered) for %s", firstFew(mismatched))
	case len(missing) > 0:
		return bad("files listed in the manifest are missing from the archive: %s", firstFew(missing))
	case len(extra) > 0:
		return bad("files not listed in the manifest: %s", firstFew(extra))
	}
	return nil
}

// checkDatabase opens the restored database and compares its schema version
// with the manifest and with this binary.
func checkDatabase(ctx context.Context, dbPath string, want int) (err error) {
	st, err := store.Open(ctx, "sqlite:"+dbPath, store.PoolOptions{})
	if err != nil {
		return bad("the database does not open: %v", err)
	}
	defer func() {
		// Closing removes the WAL files the check created; a failure
		// here means the file is still in use, so do not move it.
		if cerr := st.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("backup: restore: close checked database: %w", cerr)
		}
	}()
	v, err := st.SchemaVersion(ctx)
	if err != nil {
		return bad("the database has no readable schema version: %v", err)
	}
	if v != want {
		return bad("database schema version %d, manifest says %d", v, want)
	}
	if latest := st.LatestSchemaVersion(); v > latest {
		return fmt.Errorf("%w: database schema version %d is newer than this binary's (%d): restore with the newer lostinnl",
			ErrBadArchive, v, latest)
	}
	return nil
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadArchive, fmt.Sprintf(format, args...))
}

func firstFew(names []string) string {
	const n = 5
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

func typeName(t byte) string {
	switch t {
	case tar.TypeSymlink:
		return "symbolic link"
	case tar.TypeLink:
		return "hard link"
	case tar.TypeChar:
		return "character device"
	case tar.TypeBlock:
		return "block device"
	case tar.TypeFifo:
		return "named pipe"
	}
	return fmt.Sprintf("tar entry of type %q", t)
}
