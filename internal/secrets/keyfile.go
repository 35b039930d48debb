package secrets

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// KeyFileName is the local key file created in the data directory when no
// keeper is configured.
const KeyFileName = "secret.key"

func defaultKeyFilePath(dataDir string) string { return filepath.Join(dataDir, KeyFileName) }

// maxKeyFileSize bounds what we read: a key file is 32 raw bytes or 44
// characters of base64 plus a newline; anything much bigger is not one.
const maxKeyFileSize = 128

// openKeyFile loads a local key file, creating it first when create is set
// and it does not exist yet.
func openKeyFile(path string, create bool) (wrapper, error) {
	key, err := readKeyFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := createKeyFile(path); err != nil {
			return nil, err
		}
		key, err = readKeyFile(path)
	}
	if err != nil {
		return nil, err
	}
	return newStaticWrapper("local key file "+path, key), nil
}

func readKeyFile(path string) ([32]byte, error) {
	var key [32]byte
	f, err := os.Open(path)
	if err != nil {
		return key, fmt.Errorf("open key file: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return key, fmt.Errorf("stat key file %s: %w", path, err)
	}
	if !info.Mode().IsRegular() {
		return key, fmt.Errorf("key file %s is not a regular file", path)
	}
	// Checked on the open file, so a swap between check and read is moot.
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return key, fmt.Errorf("key file %s has mode %04o and can be read or changed by other users: %w; fix it with: chmod 600 %s",
			path, perm, ErrInsecureKeyFile, path)
	}
	buf, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return key, fmt.Errorf("read key file %s: %w", path, err)
	}
	n := len(buf)
	switch {
	case n == 32:
		copy(key[:], buf)
	case n <= maxKeyFileSize:
		// Also accept base64 text so an operator can make one with
		// `openssl rand -base64 32 > secret.key`.
		dec, derr := base64.StdEncoding.DecodeString(string(bytes.TrimSpace(buf)))
		if derr != nil || len(dec) != 32 {
			return key, fmt.Errorf("key file %s is not a key: expected 32 raw bytes or 32 bytes in base64", path)
		}
		copy(key[:], dec)
	default:
		return key, fmt.Errorf("key file %s is not a key: it is larger than %d bytes", path, maxKeyFileSize)
	}
	return key, nil
}

// createKeyFile writes a new random key. It writes a temporary file and
// links it into place, so two processes starting together on a fresh data
// directory both end up with the same complete key, never a half-written one.
func createKeyFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create key file: make directory %s: %w", dir, err)
	}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return fmt.Errorf("create key file: random key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".secret.key.tmp-*")
	if err != nil {
		return fmt.Errorf("create key file in %s: %w", dir, err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName) // after a successful link this only drops the extra name
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("create key file: chmod: %w", err)
	}
	if _, err := tmp.Write(key[:]); err != nil {
		tmp.Close()
		return fmt.Errorf("create key file: write: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("create key file: sync: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("create key file: close: %w", err)
	}
	if err := os.Link(tmpName, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil // another process won the race; use its key
		}
		return fmt.Errorf("create key file %s: %w", path, err)
	}
	// Make the new name durable before any data is sealed with the key.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: some filesystems refuse fsync on directories
		d.Close()
	}
	return nil
}
