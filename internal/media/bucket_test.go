package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// backend opens one kind of bucket for a test.
type backend struct {
	name string
	open func(t *testing.T) *Bucket
}

// backends lists every storage the same tests run against: the default
// directory, an explicit file:// URL, memory, and S3 over real HTTP through
// the production s3:// code path (endpoint override, path-style addressing).
func backends() []backend {
	return []backend{
		{"default-dir", func(t *testing.T) *Bucket {
			return mustOpen(t, "", t.TempDir())
		}},
		{"file", func(t *testing.T) *Bucket {
			dir := t.TempDir()
			return mustOpen(t, "file://"+filepath.ToSlash(dir), "")
		}},
		{"mem", func(t *testing.T) *Bucket {
			return mustOpen(t, "mem://", "")
		}},
		{"s3", func(t *testing.T) *Bucket {
			return mustOpen(t, fakeS3(t), "")
		}},
	}
}

func mustOpen(t *testing.T, u, dataDir string) *Bucket {
	t.Helper()
	b, err := OpenBucket(context.Background(), u, dataDir)
	if err != nil {
		t.Fatalf("OpenBucket(%q): %v", u, err)
	}
	t.Cleanup(func() { _ = b.Close() }) // close errors are irrelevant at test end
	if err := b.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	return b
}

// fakeS3 starts gofakes3 on 127.0.0.1 and returns the s3:// URL an operator
// would configure for an S3-compatible service. Credentials go through the
// standard AWS environment chain, isolated from the host's config files.
func fakeS3(t *testing.T) string {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("lostinnl-media"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return "s3://lostinnl-media?region=us-east-1&use_path_style=true&endpoint=" + url.QueryEscape(srv.URL)
}

var (
	sampleOnce sync.Once
	sample     *Processed
)

// processedSample is one real pipeline result, shared (read-only) by the
// storage tests.
func processedSample(t *testing.T) *Processed {
	t.Helper()
	sampleOnce.Do(func() {
		file := encJPEG(t, textured(900, 600, 20), 85)
		p, err := newTestPipeline().Process(context.Background(), bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		sample = p
	})
	if sample == nil {
		t.Fatal("no sample")
	}
	return sample
}

func readName(t *testing.T, b *Bucket, name string) ([]byte, Attrs, error) {
	t.Helper()
	r, a, err := b.Open(context.Background(), name)
	if err != nil {
		return nil, a, err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return data, a, nil
}

func TestBucket(t *testing.T) {
	for _, be := range backends() {
		t.Run(be.name, func(t *testing.T) {
			ctx := context.Background()
			p := processedSample(t)

			t.Run("put, open, delete", func(t *testing.T) {
				b := be.open(t)
				key, err := b.Put(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if !ValidKey(key) {
					t.Fatalf("key %q", key)
				}
				for _, v := range p.Variants {
					name := BlobName(key, v.Name)
					data, a, err := readName(t, b, name)
					if err != nil {
						t.Fatalf("open %s: %v", name, err)
					}
					if !bytes.Equal(data, v.Data) {
						t.Errorf("%s: stored bytes differ", name)
					}
					if a.ContentType != "image/jpeg" || a.Size != int64(len(v.Data)) {
						t.Errorf("%s: attrs %+v", name, a)
					}
					if a.ETag != `"`+key+"_"+v.Name+`"` {
						t.Errorf("%s: etag %s", name, a.ETag)
					}
					// The stored content type matters when S3 serves it directly.
					attrs, err := b.b.Attributes(ctx, name)
					if err != nil {
						t.Fatal(err)
					}
					if attrs.ContentType != "image/jpeg" {
						t.Errorf("%s: stored content type %q", name, attrs.ContentType)
					}
					// (gofakes3 does not keep Cache-Control, real S3 does.)
					if be.name != "s3" && attrs.CacheControl != CacheControl {
						t.Errorf("%s: stored cache control %q", name, attrs.CacheControl)
					}
				}
				if err := b.Delete(ctx, key); err != nil {
					t.Fatal(err)
				}
				for _, v := range VariantNames() {
					if _, _, err := b.Open(ctx, BlobName(key, v)); !errors.Is(err, ErrNotFound) {
						t.Errorf("%s after delete: %v", v, err)
					}
				}
				// Deleting again is fine (retries after partial failures).
				if err := b.Delete(ctx, key); err != nil {
					t.Errorf("second delete: %v", err)
				}
			})

			t.Run("seekable for ServeContent", func(t *testing.T) {
				b := be.open(t)
				key, err := b.Put(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				v, _ := p.Variant(VariantSmall)
				r, a, err := b.Open(ctx, BlobName(key, VariantSmall))
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/media/x", nil)
				req.Header.Set("Range", "bytes=10-19")
				http.ServeContent(rec, req, "", a.ModTime, r)
				if rec.Code != http.StatusPartialContent || !bytes.Equal(rec.Body.Bytes(), v.Data[10:20]) {
					t.Errorf("range request: %d %q", rec.Code, rec.Body.Bytes())
				}
			})

			t.Run("bad and unknown names are not found", func(t *testing.T) {
				b := be.open(t)
				key, err := b.Put(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				bad := []string{
					"", "x", "../etc/passwd", key, key + "_320", key + "_320.png", key + "_999.jpg",
					key + "_320.jpg/..", "../" + key + "_320.jpg", strings.ToUpper(key) + "_320.jpg",
					key[:31] + "_320.jpg", key + "x_320.jpg", key + "_320.jpg.attrs", key + "_320.jpg%00",
					"/" + key + "_320.jpg", key + "__320.jpg", strings.Repeat("a", 32) + "_320.jpg",
				}
				for _, n := range bad {
					if _, _, err := b.Open(ctx, n); !errors.Is(err, ErrNotFound) {
						t.Errorf("Open(%q): %v", n, err)
					}
				}
				if err := b.Delete(ctx, "../"+key); !errors.Is(err, ErrNotFound) {
					t.Errorf("Delete of a bad key: %v", err)
				}
			})

			t.Run("failed write leaves nothing", func(t *testing.T) {
				b := be.open(t)
				var mu sync.Mutex
				var attempted []string
				b.testHookWrite = func(name string) error {
					mu.Lock()
					defer mu.Unlock()
					attempted = append(attempted, name)
					if strings.HasSuffix(name, "_"+VariantMedium+ext) {
						return errors.New("injected storage failure")
					}
					return nil
				}
				key, err := b.Put(ctx, p)
				if err == nil || key != "" {
					t.Fatalf("Put: %q, %v", key, err)
				}
				if len(attempted) != 4 {
					t.Fatalf("attempted %v", attempted)
				}
				assertEmpty(t, b)
			})

			t.Run("PutAndCommit deletes blobs when the transaction fails", func(t *testing.T) {
				b := be.open(t)
				txErr := errors.New("tx failed")
				var got []string
				err := b.PutAndCommit(ctx, []*Processed{p, p}, func(keys []string) error {
					got = keys
					// The blobs exist while the transaction runs.
					for _, k := range keys {
						if _, _, err := readName(t, b, BlobName(k, VariantLarge)); err != nil {
							t.Errorf("blob of %s missing during commit: %v", k, err)
						}
					}
					return txErr
				})
				if !errors.Is(err, txErr) {
					t.Fatalf("err %v", err)
				}
				if len(got) != 2 || got[0] == got[1] {
					t.Fatalf("keys %v", got)
				}
				assertEmpty(t, b)

				// And a panicking commit cleans up too.
				func() {
					defer func() { _ = recover() }()
					_ = b.PutAndCommit(ctx, []*Processed{p}, func([]string) error { panic("boom") })
				}()
				assertEmpty(t, b)

				// A successful commit keeps them.
				var kept []string
				if err := b.PutAndCommit(ctx, []*Processed{p}, func(keys []string) error { kept = keys; return nil }); err != nil {
					t.Fatal(err)
				}
				if _, _, err := readName(t, b, BlobName(kept[0], VariantSocial)); err != nil {
					t.Errorf("committed blob: %v", err)
				}
			})

			t.Run("PutAll fails midway and leaves nothing", func(t *testing.T) {
				b := be.open(t)
				var mu sync.Mutex
				writes := 0
				b.testHookWrite = func(string) error {
					mu.Lock()
					defer mu.Unlock()
					writes++
					if writes > 6 { // the second photo fails part-way
						return errors.New("injected")
					}
					return nil
				}
				keys, undo, err := b.PutAll(ctx, []*Processed{p, p, p})
				if err == nil || keys != nil || undo != nil {
					t.Fatalf("PutAll: %v %v", keys, err)
				}
				assertEmpty(t, b)
			})

			t.Run("undo works after the request context is gone", func(t *testing.T) {
				b := be.open(t)
				rctx, cancel := context.WithCancel(ctx)
				keys, undo, err := b.PutAll(rctx, []*Processed{p})
				if err != nil || len(keys) != 1 {
					t.Fatal(keys, err)
				}
				cancel()
				if err := undo(rctx); err != nil {
					t.Fatal(err)
				}
				assertEmpty(t, b)
			})

			t.Run("put refuses incomplete photos", func(t *testing.T) {
				b := be.open(t)
				partial := &Processed{Variants: p.Variants[:2]}
				if _, err := b.Put(ctx, partial); err == nil {
					t.Error("incomplete photo stored")
				}
				if _, err := b.Put(ctx, nil); err == nil {
					t.Error("nil photo stored")
				}
				assertEmpty(t, b)
			})
		})
	}
}

// assertEmpty checks that no blob is left in b.
func assertEmpty(t *testing.T, b *Bucket) {
	t.Helper()
	it := b.b.List(nil)
	for {
		obj, err := it.Next(context.Background())
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Errorf("left behind: %s", obj.Key)
	}
}

func TestDefaultBucketDirectory(t *testing.T) {
	data := t.TempDir()
	b := mustOpen(t, "", data)
	key, err := b.Put(context.Background(), processedSample(t))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(data, "media"))
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o007 != 0 {
		t.Fatalf("media dir: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(data, "media", BlobName(key, VariantLarge))); err != nil {
		t.Errorf("variant not in the data directory: %v", err)
	}
}

func TestOpenBucketRefusesOtherSchemes(t *testing.T) {
	for _, u := range []string{"gs://bucket", "http://example.test/", "ftp://x", "://bad", "azblob://c", "file://data/media", "file://", "file:///"} {
		if _, err := OpenBucket(context.Background(), u, t.TempDir()); err == nil {
			t.Errorf("OpenBucket(%q) accepted", u)
		}
	}
}

func TestPingMissingBucket(t *testing.T) {
	u := fakeS3(t)
	u = strings.Replace(u, "s3://lostinnl-media", "s3://no-such-bucket", 1)
	b, err := OpenBucket(context.Background(), u, "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.Ping(context.Background()); err == nil {
		t.Error("Ping of a missing bucket succeeded")
	}
}

func TestSignedURL(t *testing.T) {
	ctx := context.Background()
	mem := mustOpen(t, "mem://", "")
	if mem.CanSignURLs() {
		t.Error("mem bucket claims it can sign")
	}
	if _, err := mem.SignedURL(ctx, BlobName(strings.Repeat("a", 32), VariantSmall), time.Minute); !errors.Is(err, ErrSignedURLUnsupported) {
		t.Errorf("mem SignedURL: %v", err)
	}

	b := mustOpen(t, fakeS3(t), "")
	if !b.CanSignURLs() {
		t.Fatal("s3 bucket cannot sign")
	}
	p := processedSample(t)
	key, err := b.Put(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.SignedURL(ctx, "../../x", time.Minute); !errors.Is(err, ErrNotFound) {
		t.Errorf("bad name: %v", err)
	}
	su, err := b.SignedURL(ctx, BlobName(key, VariantMedium), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(su, "X-Amz-Signature=") || !strings.Contains(su, "X-Amz-Expires=300") {
		t.Errorf("not a presigned URL: %s", su)
	}
	resp, err := http.Get(su)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	v, _ := p.Variant(VariantMedium)
	if resp.StatusCode != 200 || !bytes.Equal(body, v.Data) || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET presigned: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
}

func TestNames(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		k, err := newKey()
		if err != nil {
			t.Fatal(err)
		}
		if !ValidKey(k) || seen[k] {
			t.Fatalf("key %q", k)
		}
		seen[k] = true
		for _, v := range VariantNames() {
			name := BlobName(k, v)
			gk, gv, ok := ParseName(name)
			if !ok || gk != k || gv != v {
				t.Fatalf("ParseName(%q) = %q %q %v", name, gk, gv, ok)
			}
			if VariantURL(k, v) != "/media/"+name {
				t.Fatalf("VariantURL %q", VariantURL(k, v))
			}
		}
	}
}

func FuzzParseName(f *testing.F) {
	f.Add(strings.Repeat("a", 32) + "_320.jpg")
	f.Add("../x_320.jpg")
	f.Add(strings.Repeat("2", 32) + "_social.jpg")
	f.Fuzz(func(t *testing.T, name string) {
		k, v, ok := ParseName(name)
		if !ok {
			return
		}
		if BlobName(k, v) != name || strings.ContainsAny(name, "/\\%") || strings.Contains(name, "..") {
			t.Fatalf("accepted %q", name)
		}
	})
}
