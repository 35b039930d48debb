package media

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// fakeCredentials gives the AWS chain static credentials and nothing else
// (no profile files, no instance metadata): presigning then works offline.
func fakeCredentials(t *testing.T) {
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_S3", "")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// TestSignedOrigin: the origin allowed in img-src is the host the presigned
// URLs really use, for AWS regions in both addressing styles and for an
// endpoint override with a port.
func TestSignedOrigin(t *testing.T) {
	fakeCredentials(t)
	for _, c := range []struct{ url, want string }{
		{"s3://lostinnl-media?region=ca-central-1", "https://lostinnl-media.s3.ca-central-1.amazonaws.com"},
		{"s3://lostinnl-media?region=us-east-1", "https://lostinnl-media.s3.us-east-1.amazonaws.com"},
		{"s3://lostinnl-media?region=ca-central-1&use_path_style=true", "https://s3.ca-central-1.amazonaws.com"},
		// A bucket name with dots cannot be a TLS host label: still the host the SDK signs for.
		{"s3://photos.example.ca?region=ca-central-1&use_path_style=true", "https://s3.ca-central-1.amazonaws.com"},
		{"s3://lostinnl-media?region=us-east-1&use_path_style=true&endpoint=" + url.QueryEscape("http://127.0.0.1:9000"), "http://127.0.0.1:9000"},
		{"s3://lostinnl-media?region=ca-central-1&endpoint=" + url.QueryEscape("https://minio.example.ca:9443"), "https://lostinnl-media.minio.example.ca:9443"},
	} {
		b := mustOpenNoPing(t, c.url)
		got, err := b.SignedOrigin(context.Background())
		if err != nil {
			t.Errorf("%s: %v", c.url, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: origin %q, want %q", c.url, got, c.want)
		}
		// And it is the origin of a real signed photo URL.
		u, err := b.SignedURL(context.Background(), "abcdefghijklmnopqrstuvwxyz234567_320.jpg", 0)
		if err == nil && !strings.HasPrefix(u, got+"/") {
			t.Errorf("%s: signed URL %s does not start with %s/", c.url, u, got)
		}
	}
}

func TestSignedOriginRefusesUnsignable(t *testing.T) {
	for _, u := range []string{"mem://", "file://" + filepath.ToSlash(t.TempDir())} {
		if _, err := mustOpenNoPing(t, u).SignedOrigin(context.Background()); err == nil {
			t.Errorf("%s: no error", u)
		}
	}
}

// TestSignedOriginMatchesFakeS3 fetches through the derived origin: the
// signed URL of a stored variant on gofakes3 answers 200 and starts with it.
func TestSignedOriginMatchesFakeS3(t *testing.T) {
	b := mustOpen(t, fakeS3(t), "")
	key, err := b.Put(context.Background(), processedSample(t))
	if err != nil {
		t.Fatal(err)
	}
	origin, err := b.SignedOrigin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(origin, "http://127.0.0.1:") {
		t.Fatalf("origin %q, want gofakes3's http://127.0.0.1:port", origin)
	}
	u, err := b.SignedURL(context.Background(), BlobName(key, VariantNames()[0]), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, origin+"/") {
		t.Fatalf("signed URL %s outside origin %s", u, origin)
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET signed URL: %d", resp.StatusCode)
	}
}

func TestURLOrigin(t *testing.T) {
	for _, bad := range []string{"", "/relative", "ftp://h/x", "https:///nohost", "://"} {
		if o, err := urlOrigin(bad); err == nil {
			t.Errorf("urlOrigin(%q) = %q, want an error", bad, o)
		}
	}
	if o, err := urlOrigin("https://B.s3.amazonaws.com/k?X-Amz-Signature=s"); err != nil || o != "https://b.s3.amazonaws.com" {
		t.Errorf("urlOrigin = %q, %v", o, err)
	}
}

func mustOpenNoPing(t *testing.T, u string) *Bucket {
	t.Helper()
	b, err := OpenBucket(context.Background(), u, "")
	if err != nil {
		t.Fatalf("OpenBucket(%q): %v", u, err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}
