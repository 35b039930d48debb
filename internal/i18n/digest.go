package i18n

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
)

// Digest is a short hash of every embedded catalog file. Whatever keeps
// translated text beyond one response (the service worker's precached
// pages) adds it to its version, so a changed translation reaches it.
func Digest() string {
	h := sha256.New()
	files, _ := fs.Glob(localeFiles, "locales/*/*.po") // a fixed pattern: no error
	for _, name := range files {
		b, err := fs.ReadFile(localeFiles, name)
		if err == nil {
			h.Write([]byte(name))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
