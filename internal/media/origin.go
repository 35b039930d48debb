package media

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gocloud.dev/blob"
)

// originProbeName is the blob name presigned to learn the origin of the
// bucket's signed URLs. Nothing is read or written under it: presigning is
// local, and the key never changes the host.
const originProbeName = "origin-probe.jpg"

// SignedOrigin returns the origin ("scheme://host[:port]") of the URLs
// SignedURL hands out, for the page's Content-Security-Policy img-src: a
// browser redirected from /media/ must be allowed to load from there.
//
// It asks the S3 client itself (presigning one dummy key) rather than
// rebuilding its rules, so it is the same host whatever decides it: an
// endpoint override (MinIO, gofakes3), path-style or virtual-hosted
// addressing, the region, FIPS or dual-stack options. Presigning needs
// credentials but no request to S3; with a task or instance role the SDK
// may fetch them first.
func (b *Bucket) SignedOrigin(ctx context.Context) (string, error) {
	if !b.CanSignURLs() {
		return "", ErrSignedURLUnsupported
	}
	raw, err := b.b.SignedURL(ctx, originProbeName, &blob.SignedURLOptions{Expiry: time.Minute, Method: http.MethodGet})
	if err != nil {
		return "", fmt.Errorf("media: signed URL origin: %w", err)
	}
	return urlOrigin(raw)
}

// urlOrigin reduces an absolute http(s) URL to its origin, lower-cased as
// browsers compare it.
func urlOrigin(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("media: signed URL origin: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("media: signed URL origin: not an absolute http(s) URL (scheme %q)", u.Scheme)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}
