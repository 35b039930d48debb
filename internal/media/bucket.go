package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"gocloud.dev/blob"
	_ "gocloud.dev/blob/fileblob" // file:// — the default, under the data directory
	_ "gocloud.dev/blob/memblob"  // mem:// — tests
	_ "gocloud.dev/blob/s3blob"   // s3:// — production (AWS S3 or S3-compatible)
	"gocloud.dev/gcerrors"
)

// CacheControl is stored with every variant and should be sent when serving
// one: a key is never reused for different bytes, so variants never change.
const CacheControl = "public, max-age=31536000, immutable"

// cleanupTimeout bounds deleting blobs after a failure. Cleanup runs on a
// context detached from the caller's, because the caller's context being
// cancelled is a common reason for the failure in the first place.
const cleanupTimeout = 30 * time.Second

// ErrSignedURLUnsupported: the bucket's backend cannot presign URLs that a
// browser can use (only s3:// can); serve the blob through Open instead.
var ErrSignedURLUnsupported = errors.New("media: signed URLs need an s3:// bucket")

// Bucket stores photo variants in blob storage under random keys. It is safe
// for concurrent use.
type Bucket struct {
	b      *blob.Bucket
	scheme string

	// testHookWrite, when set, runs before each blob write; an error from it
	// fails that write. Tests use it to inject storage failures.
	testHookWrite func(name string) error

	// failedWrites counts Puts failing in a row (writehealth.go).
	failedWrites atomic.Int64
}

// Attrs describes a stored variant for serving it.
type Attrs struct {
	// ContentType is decided by us ("image/jpeg": every variant is a JPEG
	// we encoded), never read back from storage.
	ContentType string
	Size        int64
	ModTime     time.Time
	// ETag is a strong, quoted validator derived from the blob name: a name
	// always refers to the same bytes, so the name is the version, and it is
	// the same whichever backend stores it.
	ETag string
}

// OpenBucket opens the photo store named by rawURL (LOSTINNL_MEDIA_URL):
//
//	""                  file://<dataDir>/media, created (0750) if missing
//	file:///abs/dir     a local directory (fileblob options allowed)
//	mem://              in memory, for tests
//	s3://bucket?region=ca-central-1[&endpoint=http://host:9000&use_path_style=true]
//
// s3:// takes gocloud.dev's options (region, endpoint, use_path_style,
// disable_https, profile, ssetype, kmskeyid, ...); credentials come from the
// standard AWS chain (environment, shared config, instance or task role).
// Opening does no I/O against the store: use Ping for readiness.
func OpenBucket(ctx context.Context, rawURL, dataDir string) (*Bucket, error) {
	if rawURL == "" {
		dir, err := filepath.Abs(filepath.Join(dataDir, "media"))
		if err != nil {
			return nil, fmt.Errorf("media: open bucket: data directory: %w", err)
		}
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("media: open bucket: %w", err)
		}
		rawURL = (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir), RawQuery: "dir_file_mode=0750"}).String()
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("media: open bucket: invalid URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		// fileblob ignores any other host, so "file://data/media" would
		// silently mean /media: refuse it rather than write elsewhere.
		if u.Host != "" && u.Host != "localhost" && u.Host != "." {
			return nil, fmt.Errorf("media: open bucket: %q: a file URL needs an absolute path, like file:///var/lib/lostinnl/media", rawURL)
		}
		if u.Path == "" || u.Path == "/" {
			return nil, fmt.Errorf("media: open bucket: %q: no directory given", rawURL)
		}
		// Write temporary files beside their destination: the default
		// (os.TempDir) is often another file system, or a private /tmp
		// under systemd, and the final rename would then fail.
		q := u.Query()
		if !q.Has("no_tmp_dir") {
			q.Set("no_tmp_dir", "1")
			u.RawQuery = q.Encode()
		}
	case "mem", "s3":
	default:
		return nil, fmt.Errorf("media: open bucket: unsupported scheme %q (want file, s3 or mem)", u.Scheme)
	}
	b, err := blob.OpenBucket(ctx, u.String())
	if err != nil {
		return nil, fmt.Errorf("media: open bucket %s://%s: %w", u.Scheme, u.Host, err)
	}
	return &Bucket{b: b, scheme: u.Scheme}, nil
}

// Close releases the bucket's resources.
func (b *Bucket) Close() error { return b.b.Close() }

// Ping reports whether the store is reachable (for GET /readyz). On S3 it
// checks the bucket exists and the credentials may use it.
func (b *Bucket) Ping(ctx context.Context) error {
	ok, err := b.b.IsAccessible(ctx)
	if err != nil {
		return fmt.Errorf("media: ping bucket: %w", err)
	}
	if !ok {
		return errors.New("media: ping bucket: bucket does not exist or is not accessible")
	}
	return nil
}

// Put stores every variant of p under a new random key and returns the key.
// Either all variants are stored or, on error, none remain.
func (b *Bucket) Put(ctx context.Context, p *Processed) (string, error) {
	if err := checkProcessed(p); err != nil {
		return "", err
	}
	key, err := newKey()
	if err != nil {
		return "", err
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	// The variants are independent objects; writing them at once saves
	// three round trips per photo on S3.
	for _, v := range p.Variants {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.write(ctx, BlobName(key, v.Name), v); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	b.noteWrite(errors.Join(errs...))
	if len(errs) > 0 {
		err := fmt.Errorf("media: put: %w", errors.Join(errs...))
		// Delete every variant name, not only those that reported success:
		// a write can land even though its response was lost.
		if cerr := b.cleanup(ctx, key); cerr != nil {
			err = errors.Join(err, cerr)
		}
		return "", err
	}
	return key, nil
}

func (b *Bucket) write(ctx context.Context, name string, v Variant) error {
	if b.testHookWrite != nil {
		if err := b.testHookWrite(name); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	err := b.b.WriteAll(ctx, name, v.Data, &blob.WriterOptions{
		ContentType:  v.ContentType,
		CacheControl: CacheControl,
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// checkProcessed refuses a Processed that is not exactly one pipeline
// result: the bucket's readers rely on every variant being present.
func checkProcessed(p *Processed) error {
	if p == nil {
		return errors.New("media: put: nil photo")
	}
	seen := map[string]bool{}
	for _, v := range p.Variants {
		if !knownVariant(v.Name) || seen[v.Name] || len(v.Data) == 0 || v.ContentType != "image/jpeg" {
			return fmt.Errorf("media: put: invalid variant %q", v.Name)
		}
		seen[v.Name] = true
	}
	if len(seen) != len(VariantNames()) {
		return fmt.Errorf("media: put: %d variants, want %d", len(seen), len(VariantNames()))
	}
	return nil
}

// cleanup deletes all variants of key on a detached, bounded context.
func (b *Bucket) cleanup(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	if err := b.Delete(ctx, key); err != nil {
		return fmt.Errorf("media: clean up after failed write (blobs of %s may be orphaned): %w", key, err)
	}
	return nil
}

// Delete removes every variant of key. Variants that are already gone are
// not an error, so Delete can be retried. Delete the database row first and
// the blobs after: a failure then leaves an orphan blob, never a dangling
// reference.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: delete %q: %w", key, ErrNotFound)
	}
	var errs []error
	for _, v := range VariantNames() {
		name := BlobName(key, v)
		if err := b.b.Delete(ctx, name); err != nil && gcerrors.Code(err) != gcerrors.NotFound {
			errs = append(errs, fmt.Errorf("delete %s: %w", name, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("media: delete: %w", errors.Join(errs...))
	}
	return nil
}

// PutAll stores several photos (one request's uploads). On error nothing
// remains stored. On success it returns the keys, in the order of ps, and
// undo, which deletes them all: call it if the database transaction that
// references the keys fails. undo uses a context detached from ctx's
// cancellation, so it works even after the request has ended.
func (b *Bucket) PutAll(ctx context.Context, ps []*Processed) (keys []string, undo func(context.Context) error, err error) {
	undo = func(ctx context.Context) error {
		var errs []error
		for _, k := range keys {
			if err := b.cleanup(ctx, k); err != nil {
				errs = append(errs, err)
			}
		}
		return errors.Join(errs...)
	}
	for _, p := range ps {
		k, err := b.Put(ctx, p)
		if err != nil {
			if uerr := undo(ctx); uerr != nil {
				err = errors.Join(err, uerr)
			}
			return nil, nil, err
		}
		keys = append(keys, k)
	}
	return keys, undo, nil
}

// PutAndCommit is the "blobs first, then the transaction" pattern in one
// call: it stores ps, then runs commit with their keys (typically the
// database transaction inserting the photo rows). If commit fails or
// panics, the blobs are deleted again, so there are never orphan blobs nor
// rows pointing at missing blobs. commit's error is returned unchanged
// (joined with a cleanup error, if any), so errors.Is works on it.
func (b *Bucket) PutAndCommit(ctx context.Context, ps []*Processed, commit func(keys []string) error) (err error) {
	keys, undo, err := b.PutAll(ctx, ps)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if committed {
			return
		}
		if uerr := undo(ctx); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}()
	if err := commit(keys); err != nil {
		return err
	}
	committed = true
	return nil
}

// Open returns a reader of the variant named name ("<key>_<variant>.jpg",
// the last segment of its URL). The reader supports Seek, for
// http.ServeContent. Any name that is malformed or not stored gives
// ErrNotFound.
func (b *Bucket) Open(ctx context.Context, name string) (io.ReadSeekCloser, Attrs, error) {
	if _, _, ok := ParseName(name); !ok {
		return nil, Attrs{}, ErrNotFound
	}
	r, err := b.b.NewReader(ctx, name, nil)
	if err != nil {
		if gcerrors.Code(err) == gcerrors.NotFound {
			return nil, Attrs{}, ErrNotFound
		}
		return nil, Attrs{}, fmt.Errorf("media: open %s: %w", name, err)
	}
	return r, Attrs{
		ContentType: "image/jpeg",
		Size:        r.Size(),
		ModTime:     r.ModTime(),
		ETag:        `"` + name[:len(name)-len(ext)] + `"`,
	}, nil
}

// CanSignURLs reports whether SignedURL works with this bucket.
func (b *Bucket) CanSignURLs() bool { return b.scheme == "s3" }

// SignedURL returns a pre-signed GET URL for the variant named name, valid
// for ttl, for redirecting clients straight to S3. It does not check that
// the blob exists (that would cost a round trip per request); the caller
// has checked the photo row.
func (b *Bucket) SignedURL(ctx context.Context, name string, ttl time.Duration) (string, error) {
	if _, _, ok := ParseName(name); !ok {
		return "", ErrNotFound
	}
	if !b.CanSignURLs() {
		return "", ErrSignedURLUnsupported
	}
	u, err := b.b.SignedURL(ctx, name, &blob.SignedURLOptions{Expiry: ttl, Method: http.MethodGet})
	if err != nil {
		return "", fmt.Errorf("media: sign %s: %w", name, err)
	}
	return u, nil
}
