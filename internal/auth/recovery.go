package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// Recovery codes let a staff member sign in when their phone is lost. Each
// is single-use.
//
// Storage: one line per unused code, "<salt>$<hash>" with a random 16-byte
// salt per code and hash = SHA-256(salt || normalised code), both unpadded
// base64. A fast hash is acceptable here (unlike passwords) because the codes
// are machine-generated with ~49.5 bits of entropy each (10 symbols of 31): a
// stolen database gives an attacker nothing cheaper than ~2^49 work per code, and the salt stops
// precomputed tables and cross-user matching. Login attempts with a recovery
// code go through the same throttle as passwords.
const (
	RecoveryCodeCount = 10
	// recoveryAlphabet: 31 symbols (~4.95 bits each) without 0/o/1/i/l so a code
	// read from paper is typed right; lower case because it is normalised to it.
	recoveryAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"
	recoveryCodeLen  = 10 // symbols, shown as xxxx-xxxx-xx
	recoverySaltLen  = 16
)

// GenerateRecoveryCodes returns RecoveryCodeCount new codes to show the user
// once (formatted "xxxx-xxxx-xx") and the newline-joined hashes to store in
// User.RecoveryCodes. Generating a new set replaces the old one entirely.
func GenerateRecoveryCodes() (codes []string, stored string, err error) {
	codes = make([]string, 0, RecoveryCodeCount)
	lines := make([]string, 0, RecoveryCodeCount)
	for range RecoveryCodeCount {
		raw, err := randomString(recoveryAlphabet, recoveryCodeLen)
		if err != nil {
			return nil, "", fmt.Errorf("auth: generate recovery codes: %w", err)
		}
		salt := make([]byte, recoverySaltLen)
		if _, err := rand.Read(salt); err != nil {
			return nil, "", fmt.Errorf("auth: generate recovery codes: %w", err)
		}
		codes = append(codes, raw[:4]+"-"+raw[4:8]+"-"+raw[8:])
		lines = append(lines, encodeRecoveryLine(salt, raw))
	}
	return codes, strings.Join(lines, "\n"), nil
}

func recoveryHash(salt []byte, normalised string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(normalised))
	return h.Sum(nil)
}

func encodeRecoveryLine(salt []byte, normalised string) string {
	b64 := base64.RawStdEncoding
	return b64.EncodeToString(salt) + "$" + b64.EncodeToString(recoveryHash(salt, normalised))
}

// normalizeRecoveryCode lower-cases input and drops hyphens and white space;
// it returns "" unless exactly recoveryCodeLen alphabet symbols remain.
func normalizeRecoveryCode(input string) string {
	if len(input) > 64 {
		return ""
	}
	var b strings.Builder
	for _, r := range strings.ToLower(input) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
			continue
		case r < 128 && strings.IndexByte(recoveryAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if b.Len() != recoveryCodeLen {
		return ""
	}
	return b.String()
}

// ConsumeRecoveryCode checks input against the stored hashes. When it matches
// an unused code it returns the stored value without that code and ok=true;
// the caller must save newStored (ideally in the same step that signs the user
// in) so the code cannot be used again. Otherwise it returns stored unchanged
// and false. Malformed stored lines are kept as they are and never match.
func ConsumeRecoveryCode(stored, input string) (newStored string, ok bool) {
	code := normalizeRecoveryCode(input)
	if code == "" || stored == "" {
		return stored, false
	}
	lines := strings.Split(stored, "\n")
	match := -1
	b64 := base64.RawStdEncoding.Strict()
	// Compare against every line (no early exit) so timing does not reveal
	// the position of the matching code.
	for i, line := range lines {
		saltB64, hashB64, found := strings.Cut(strings.TrimSpace(line), "$")
		if !found {
			continue
		}
		salt, err1 := b64.DecodeString(saltB64)
		want, err2 := b64.DecodeString(hashB64)
		if err1 != nil || err2 != nil || len(want) != sha256.Size {
			continue
		}
		if subtle.ConstantTimeCompare(recoveryHash(salt, code), want) == 1 && match < 0 {
			match = i
		}
	}
	if match < 0 {
		return stored, false
	}
	rest := make([]string, 0, len(lines)-1)
	rest = append(rest, lines[:match]...)
	rest = append(rest, lines[match+1:]...)
	return strings.Join(rest, "\n"), true
}

// RemainingRecoveryCodes counts the unused codes in a stored value, so the
// admin area can warn when few are left.
func RemainingRecoveryCodes(stored string) int {
	n := 0
	for line := range strings.SplitSeq(stored, "\n") {
		if strings.Contains(line, "$") {
			n++
		}
	}
	return n
}
