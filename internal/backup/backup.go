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
	"hash"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lostinnl/internal/store"
)

// FormatVersion is the archive format this package writes and reads.
const FormatVersion = 1

// Names inside the archive (and, for DatabaseFile and MediaDir, inside the
// data directory: they match the defaults of LOSTINNL_DATABASE_URL and
// LOSTINNL_MEDIA_URL).
const (
	DatabaseFile = "lostinnl.db"
	MediaDir     = "media"
	ManifestFile = "MANIFEST.json"
)

// KeyNotice is printed by the CLI after every backup and restore, and kept
// in the manifest, because forgetting the key loses every encrypted field.
const KeyNotice = "The secrets key (secret.key in the data directory, or your KMS key) is NOT in this backup. " +
	"Back it up separately: without it the encrypted contact details in this backup cannot be read."

// ErrNotSQLite is returned by Create for a MySQL store.
var ErrNotSQLite = errors.New("backup: lostinnl backup only handles the embedded SQLite database; " +
	"for MySQL use RDS automated snapshots with point-in-time recovery, or mysqldump --single-transaction " +
	"(see docs/operations.md), and S3 versioning for photos")

// Summary describes an archive made by Create or restored by Restore.
type Summary struct {
	Path          string    // the archive
	CreatedAt     time.Time // when the backup was taken (from the manifest on restore)
	SchemaVersion int       // database schema version in the archive
	DatabaseBytes int64     // size of the database snapshot
	MediaFiles    int       // files from the media folder
	MediaBytes    int64     // their total size
	Skipped       []string  // media entries left out (symlinks, special files, in-progress uploads)
	ArchiveBytes  int64     // compressed size of the archive
}

// Manifest is MANIFEST.json, the last entry of an archive.
type Manifest struct {
	Format        int         `json:"format"`
	App           string      `json:"app"`
	CreatedAt     time.Time   `json:"created_at"`
	Dialect       string      `json:"dialect"`
	SchemaVersion int         `json:"schema_version"`
	DatabaseFiles int         `json:"database_files"`
	MediaFiles    int         `json:"media_files"`
	Files         []FileEntry `json:"files"`
	KeyIncluded   bool        `json:"secret_key_included"`
	Note          string      `json:"note"`
}

// FileEntry is one archived file.
type FileEntry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// LocalMediaDir returns the directory of a file:// LOSTINNL_MEDIA_URL, and
// false for any other scheme (S3 photos are protected by bucket versioning,
// not by this archive).
func LocalMediaDir(mediaURL string) (string, bool) {
	u, err := url.Parse(mediaURL)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", false
	}
	return filepath.FromSlash(u.Path), true
}

// Create writes a backup of st (SQLite only) and, when mediaDir is not
// empty, of every regular file under mediaDir, to the archive out.
//
// The database is snapshotted online with st.Backup (VACUUM INTO: one read
// transaction, so the copy is consistent while the server keeps writing);
// copying a live database file could catch it half-written. The archive is
// written to a temporary file beside out and renamed over it only when
// complete, so out is either the previous archive or the new, whole one. It
// is created 0600: it holds encrypted personal data and plain contact
// messages.
func Create(ctx context.Context, st *store.Store, mediaDir, out string) (Summary, error) {
	sum := Summary{Path: out}
	if st.Dialect() != "sqlite" {
		return sum, ErrNotSQLite
	}
	if out == "" {
		return sum, errors.New("backup: no output file given")
	}
	dir := filepath.Dir(out)
	if fi, err := os.Stat(dir); err != nil {
		return sum, fmt.Errorf("backup: output directory: %w", err)
	} else if !fi.IsDir() {
		return sum, fmt.Errorf("backup: output directory %s is not a directory", dir)
	}

	if mediaDir != "" && within(dir, mediaDir) {
		// The archive and the snapshot would be walked into the archive.
		return sum, fmt.Errorf("backup: the output %s is inside the media folder %s; write it elsewhere", out, mediaDir)
	}

	schema, err := st.SchemaVersion(ctx)
	if err != nil {
		return sum, fmt.Errorf("backup: read schema version: %w", err)
	}
	sum.SchemaVersion = schema

	// The snapshot goes beside the archive, not in os.TempDir: /tmp is often
	// small, or private to the service under systemd. A fresh 0700 directory
	// keeps it unreadable to others while it exists. VACUUM INTO needs a
	// path that does not exist yet.
	work, err := os.MkdirTemp(dir, ".lostinnl-backup-")
	if err != nil {
		return sum, fmt.Errorf("backup: work directory: %w", err)
	}
	defer os.RemoveAll(work) // the snapshot is a copy; the archive is what we keep
	snap := filepath.Join(work, DatabaseFile)
	if err := st.Backup(ctx, snap); err != nil {
		return sum, fmt.Errorf("backup: snapshot database: %w", err)
	}

	tmp, err := os.CreateTemp(dir, ".lostinnl-backup-*.tmp") // created 0600
	if err != nil {
		return sum, fmt.Errorf("backup: create archive: %w", err)
	}
	tmpName := tmp.Name()
	committed := false
	defer func() {
		if !committed {
			_ = tmp.Close()        // may already be closed; the first error is reported
			_ = os.Remove(tmpName) // never leave a partial archive behind
		}
	}()
	if err := tmp.Chmod(0o600); err != nil { // in case of an unusual umask or file system
		return sum, fmt.Errorf("backup: create archive: %w", err)
	}

	w := newArchiveWriter(tmp)
	m := Manifest{
		Format:        FormatVersion,
		App:           "lostinnl",
		CreatedAt:     time.Now().UTC().Truncate(time.Second),
		Dialect:       st.Dialect(),
		SchemaVersion: schema,
		KeyIncluded:   false,
		Note:          KeyNotice,
	}
	sum.CreatedAt = m.CreatedAt

	dbEntry, err := w.addFile(ctx, DatabaseFile, snap, 0o600, m.CreatedAt, nil)
	if err != nil {
		return sum, fmt.Errorf("backup: add database: %w", err)
	}
	m.Files = append(m.Files, dbEntry)
	m.DatabaseFiles = 1
	sum.DatabaseBytes = dbEntry.Size

	if mediaDir != "" {
		entries, skipped, err := w.addMedia(ctx, mediaDir)
		if err != nil {
			return sum, fmt.Errorf("backup: add media: %w", err)
		}
		m.Files = append(m.Files, entries...)
		m.MediaFiles = len(entries)
		sum.MediaFiles = len(entries)
		for _, e := range entries {
			sum.MediaBytes += e.Size
		}
		sum.Skipped = skipped
	}

	mj, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return sum, fmt.Errorf("backup: manifest: %w", err)
	}
	if err := w.addBytes(ManifestFile, append(mj, '\n'), m.CreatedAt); err != nil {
		return sum, fmt.Errorf("backup: add manifest: %w", err)
	}
	if err := w.close(); err != nil {
		return sum, fmt.Errorf("backup: finish archive: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return sum, fmt.Errorf("backup: sync archive: %w", err)
	}
	fi, err := tmp.Stat()
	if err != nil {
		return sum, fmt.Errorf("backup: stat archive: %w", err)
	}
	sum.ArchiveBytes = fi.Size()
	if err := tmp.Close(); err != nil {
		return sum, fmt.Errorf("backup: close archive: %w", err)
	}
	if err := os.Rename(tmpName, out); err != nil {
		return sum, fmt.Errorf("backup: rename archive into place: %w", err)
	}
	committed = true
	// Make the rename itself durable; the data is already synced, so a
	// failure here is reported but the archive is complete.
	if err := syncDir(dir); err != nil {
		return sum, fmt.Errorf("backup: sync output directory: %w", err)
	}
	return sum, nil
}

// archiveWriter is a tar stream inside a gzip stream.
type archiveWriter struct {
	gz *gzip.Writer
	tw *tar.Writer
}

// newArchiveWriter uses gzip's fastest level: most of the bytes are JPEG
// photos, which no level compresses, and the database text compresses well
// even at level 1 (BenchmarkCreate: about three times faster than the
// default level for under 1% more bytes).
func newArchiveWriter(w io.Writer) *archiveWriter {
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // the error is only for an invalid level
	return &archiveWriter{gz: gz, tw: tar.NewWriter(gz)}
}

func (a *archiveWriter) close() error {
	if err := a.tw.Close(); err != nil {
		return err
	}
	return a.gz.Close()
}

// addFile copies the regular file at path into the archive as name. When
// want is not nil, the opened file must be that same file (it guards against
// a path swapped for a symlink between the directory walk and the open).
func (a *archiveWriter) addFile(ctx context.Context, name, path string, mode int64, mtime time.Time, want fs.FileInfo) (FileEntry, error) {
	f, err := os.Open(path)
	if err != nil {
		return FileEntry{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return FileEntry{}, err
	}
	if !fi.Mode().IsRegular() {
		return FileEntry{}, fmt.Errorf("%s: not a regular file", name)
	}
	if want != nil && !os.SameFile(fi, want) {
		return FileEntry{}, fmt.Errorf("%s: %w", name, errChanged)
	}
	if want != nil {
		mtime = fi.ModTime().UTC().Truncate(time.Second)
	}
	hdr := &tar.Header{
		Typeflag: tar.TypeReg,
		Name:     name,
		Size:     fi.Size(),
		Mode:     mode,
		ModTime:  mtime,
		Format:   tar.FormatPAX,
	}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return FileEntry{}, err
	}
	h := sha256.New()
	// Exactly the size in the header: a file that grows meanwhile is cut at
	// that size (the checksum covers what was written); one that shrinks
	// fails the copy instead of producing a short entry.
	n, err := io.CopyN(io.MultiWriter(a.tw, h), ctxReader{ctx, f}, fi.Size())
	if err != nil {
		return FileEntry{}, fmt.Errorf("%s: copied %d of %d bytes: %w", name, n, fi.Size(), err)
	}
	return FileEntry{Name: name, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

var errChanged = errors.New("changed while being backed up")

// addMedia adds every regular file under dir as media/<relative path>.
// Symbolic links are neither followed nor stored (a link could point at
// anything on the machine), nor are sockets, devices and the like; they are
// returned as skipped. So are "*.tmp" files: the file blob store writes each
// photo to one and renames it when complete, so a .tmp is an upload still
// in progress whose database row does not exist yet.
func (a *archiveWriter) addMedia(ctx context.Context, dir string) ([]FileEntry, []string, error) {
	var (
		entries []FileEntry
		skipped []string
	)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path != dir {
				return nil // removed while we walked (a photo deleted by a moderator)
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if path == dir {
			if !d.IsDir() {
				return fmt.Errorf("%s is not a directory", dir)
			}
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		name := MediaDir + "/" + filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			return nil
		case !d.Type().IsRegular():
			skipped = append(skipped, name)
			return nil
		case strings.HasSuffix(d.Name(), ".tmp"):
			skipped = append(skipped, name)
			return nil
		}
		info, err := d.Info() // Lstat: describes the entry itself, never a link target
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		e, err := a.addFile(ctx, name, path, 0o640, time.Time{}, info)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil // deleted between the walk and the open
		case errors.Is(err, errChanged):
			// Swapped (possibly for a symlink) after the walk saw it: the
			// header is not written yet, so leaving it out is safe.
			skipped = append(skipped, name)
			return nil
		case err != nil:
			return err
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return entries, skipped, nil
}

func (a *archiveWriter) addBytes(name string, b []byte, mtime time.Time) error {
	hdr := &tar.Header{Typeflag: tar.TypeReg, Name: name, Size: int64(len(b)), Mode: 0o600, ModTime: mtime, Format: tar.FormatPAX}
	if err := a.tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := a.tw.Write(b)
	return err
}

// ctxReader stops a long copy when ctx is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// hashingWriter counts and hashes what passes through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// within reports whether path is dir or below it (after making both absolute).
func within(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
