package auth

import (
	"crypto/rand"
	"fmt"
)

// passwordAlphabet leaves out characters that are easy to misread or mistype
// when a generated password is read off a terminal: 0/O/o, 1/l/I/i.
const passwordAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz"

// GeneratedPasswordLen: 20 characters from a 55-symbol alphabet is about
// 115 bits, far beyond guessing, and still short enough to type once.
const GeneratedPasswordLen = 20

// GeneratePassword returns a random password for `lostinnl user add` when the
// operator gives none. It always passes CheckPassword (it is long enough, has
// no control characters, and cannot plausibly be on the common list).
func GeneratePassword() (string, error) {
	s, err := randomString(passwordAlphabet, GeneratedPasswordLen)
	if err != nil {
		return "", fmt.Errorf("auth: generate password: %w", err)
	}
	return s, nil
}

// randomString returns n symbols drawn uniformly from alphabet (at most 256
// symbols) using crypto/rand. Bytes that would bias the draw (the tail of
// 0..255 past the largest multiple of len(alphabet)) are rejected and redrawn.
func randomString(alphabet string, n int) (string, error) {
	size := len(alphabet)
	if size == 0 || size > 256 {
		return "", fmt.Errorf("random string: alphabet of %d symbols", size)
	}
	limit := 256 - 256%size // accept bytes < limit
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/2+8)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if int(b) < limit {
				out = append(out, alphabet[int(b)%size])
				if len(out) == n {
					break
				}
			}
		}
	}
	return string(out), nil
}
