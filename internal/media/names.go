package media

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
)

// Variant names. They appear in blob names and URLs, so they are stable.
const (
	VariantSmall  = "320"    // 320 px on the long side: listings, cards
	VariantMedium = "800"    // 800 px: case page on phones, posters
	VariantLarge  = "1600"   // 1600 px: case page on large screens, zoom
	VariantSocial = "social" // 1200×630 crop for og:image / twitter:image
)

// VariantNames lists every variant Process produces, smallest first. A fresh
// slice each call, so callers may modify it.
func VariantNames() []string {
	return []string{VariantSmall, VariantMedium, VariantLarge, VariantSocial}
}

func knownVariant(v string) bool {
	switch v {
	case VariantSmall, VariantMedium, VariantLarge, VariantSocial:
		return true
	}
	return false
}

const (
	keyBytes = 20 // 160 random bits
	// keyLen is the encoded length: 20 bytes in base32 is exactly 32
	// characters, so no padding ever appears.
	keyLen = 32
	// ext is the one file extension we write. Every variant is re-encoded as
	// JPEG whatever the upload was, so the extension never lies.
	ext = ".jpg"
)

// keyEncoding is lower-case RFC 4648 base32: URL- and file-name-safe, case
// stable on case-insensitive file systems, and free of '_' (our separator)
// and of '-' / '.' (so no name can look like a relative path).
var keyEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// newKey returns a fresh random photo key. It is never derived from user
// input, so a key reveals nothing and cannot be guessed or chosen.
func newKey() (string, error) {
	var b [keyBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("media: generate key: %w", err)
	}
	return keyEncoding.EncodeToString(b[:]), nil
}

// ValidKey reports whether key has the exact shape newKey produces. Use it
// on keys that come back from a form or URL before touching storage.
func ValidKey(key string) bool {
	if len(key) != keyLen {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < 'a' || c > 'z') && (c < '2' || c > '7') {
			return false
		}
	}
	return true
}

// BlobName is the storage name (and the last URL path segment) of one
// variant: "<key>_<variant>.jpg".
func BlobName(key, variant string) string {
	return key + "_" + variant + ext
}

// ParseName splits a blob name "<key>_<variant>.jpg" into its parts. It is
// strict: anything but a well-formed key, a known variant and the .jpg
// extension is refused, so names taken from URLs can never address anything
// else in the bucket (no "..", no slashes, no other files).
func ParseName(name string) (key, variant string, ok bool) {
	rest, found := strings.CutSuffix(name, ext)
	if !found {
		return "", "", false
	}
	key, variant, found = strings.Cut(rest, "_")
	if !found || !ValidKey(key) || !knownVariant(variant) {
		return "", "", false
	}
	return key, variant, true
}

// VariantURL is the public path of a variant, served by GET /media/{name}.
func VariantURL(key, variant string) string {
	return "/media/" + BlobName(key, variant)
}
