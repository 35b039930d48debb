package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"time"

	"lostinnl/internal/qrcode"
)

// TOTP as RFC 6238 with the parameters every authenticator app supports:
// HMAC-SHA-1, 6 digits, 30-second steps, Unix epoch as T0. (SHA-1's collision
// weakness does not matter for HMAC.)
const (
	TOTPIssuer     = "Missing Persons NL"
	TOTPDigits     = 6
	TOTPPeriod     = 30 * time.Second
	totpSecretSize = 20 // bytes: RFC 4226 recommends 160 bits
	// totpSkew steps either side of now are accepted: phones drift, and a code
	// typed at the end of its 30 s window arrives in the next one.
	totpSkew = 1
)

// Errors from VerifyTOTP.
var (
	ErrInvalidCode = errors.New("auth: invalid code")
	// ErrCodeReused: the code is right but its time step was already used
	// (replay of an observed code).
	ErrCodeReused = errors.New("auth: code already used")
	// ErrBadTOTPSecret: the stored secret does not decode; a data problem to
	// log, not a user mistake.
	ErrBadTOTPSecret = errors.New("auth: malformed TOTP secret")
)

var b32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// GenerateTOTPSecret returns a new secret of 20 random bytes as upper-case
// base32 without padding (32 characters): the form shown to the user as the
// manual key and put in the otpauth URI. The caller keeps it sealed (field
// encryption) wherever it is stored.
func GenerateTOTPSecret() (string, error) {
	b := make([]byte, totpSecretSize)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("auth: generate TOTP secret: %w", err)
	}
	return b32NoPad.EncodeToString(b), nil
}

// decodeTOTPSecret accepts the secret as shown (spaces, lower case and
// padding tolerated, since people copy it from screens) and returns its bytes.
func decodeTOTPSecret(secret string) ([]byte, error) {
	s := strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '=' {
			return -1
		}
		return r
	}, secret))
	key, err := b32NoPad.DecodeString(s)
	if err != nil || len(key) < 10 {
		return nil, ErrBadTOTPSecret
	}
	return key, nil
}

// FormatTOTPSecret groups the secret in blocks of four for manual entry
// ("ABCD EFGH …"); decodeTOTPSecret accepts both forms.
func FormatTOTPSecret(secret string) string {
	var b strings.Builder
	for i, r := range secret {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TOTPURI returns the otpauth:// URI (Google Authenticator key-uri format)
// that enrolment encodes as a QR code. The label is "Issuer:account" and the
// issuer is repeated as a parameter, as the format recommends.
func TOTPURI(secret, account string) string {
	label := url.PathEscape(TOTPIssuer) + ":" + url.PathEscape(account)
	q := url.Values{}
	q.Set("secret", secret)
	q.Set("issuer", TOTPIssuer)
	q.Set("algorithm", "SHA1")
	q.Set("digits", fmt.Sprint(TOTPDigits))
	q.Set("period", fmt.Sprint(int(TOTPPeriod/time.Second)))
	// url.Values encodes spaces as "+", which some apps show literally in the
	// issuer; %20 is read correctly by all of them.
	return "otpauth://totp/" + label + "?" + strings.ReplaceAll(q.Encode(), "+", "%20")
}

// TOTPQRCodePNG renders uri as a PNG QR code of about size×size pixels
// (medium error correction). It is served from an authorised admin route
// (the CSP forbids data: URIs we do not control), never cached.
func TOTPQRCodePNG(uri string, size int) ([]byte, error) {
	if size < 64 || size > 1024 {
		return nil, fmt.Errorf("auth: TOTP QR code: size %d out of range 64..1024", size)
	}
	png, err := qrcode.PNG(uri, size, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("auth: TOTP QR code: %w", err)
	}
	return png, nil
}

// TOTPStep returns the RFC 6238 time step counter for t.
func TOTPStep(t time.Time) int64 {
	// Floor division so times before 1970 (never seen in practice, but a
	// broken clock must not panic or wrap) still map to a valid counter.
	u := t.Unix()
	p := int64(TOTPPeriod / time.Second)
	step := u / p
	if u%p < 0 {
		step--
	}
	return step
}

// hotp is RFC 4226 §5.3 with a choice of hash (RFC 6238 allows SHA-256 and
// SHA-512 too; only the test vectors use them).
func hotp(key []byte, counter uint64, digits int, h func() hash.Hash) string {
	mac := hmac.New(h, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := (uint32(sum[off])&0x7f)<<24 | uint32(sum[off+1])<<16 | uint32(sum[off+2])<<8 | uint32(sum[off+3])
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// TOTPCode returns the code for secret at time t (for tests and for showing a
// "current code" check during enrolment troubleshooting; never logged).
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(TOTPStep(t)), TOTPDigits, sha1.New), nil
}

// normalizeCode strips what people type around a code ("123 456",
// "123-456") and returns "" when what is left is not exactly six ASCII digits.
func normalizeCode(code string) string {
	if len(code) > 32 {
		return ""
	}
	var b [TOTPDigits]byte
	n := 0
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case c == ' ' || c == '-' || c == '\t':
			continue
		case c >= '0' && c <= '9':
			if n == TOTPDigits {
				return ""
			}
			b[n] = c
			n++
		default:
			return ""
		}
	}
	if n != TOTPDigits {
		return ""
	}
	return string(b[:])
}

// VerifyTOTP checks code against secret at time now, accepting the steps
// now-1, now and now+1. lastUsedStep is the step of the last code this user
// redeemed (0 if none); a matching step ≤ lastUsedStep is refused with
// ErrCodeReused, so a code seen over someone's shoulder cannot be replayed
// within its validity window. On success it returns the matched step, which
// the caller must store as the new lastUsedStep before treating the login as
// complete.
func VerifyTOTP(secret, code string, now time.Time, lastUsedStep int64) (int64, error) {
	key, err := decodeTOTPSecret(secret)
	if err != nil {
		return 0, err
	}
	c := normalizeCode(code)
	if c == "" {
		return 0, ErrInvalidCode
	}
	cur := TOTPStep(now)
	matched, reused := int64(0), false
	found := false
	// Every candidate is computed and compared, in constant time, whatever
	// matches, so timing does not tell which window a near-miss fell in.
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := cur + d
		if step < 0 {
			continue
		}
		want := hotp(key, uint64(step), TOTPDigits, sha1.New)
		if subtle.ConstantTimeCompare([]byte(want), []byte(c)) != 1 {
			continue
		}
		if step <= lastUsedStep {
			reused = true
			continue
		}
		if !found {
			matched, found = step, true
		}
	}
	switch {
	case found:
		return matched, nil
	case reused:
		return 0, ErrCodeReused
	default:
		return 0, ErrInvalidCode
	}
}
