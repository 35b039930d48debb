package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Params are the argon2id cost parameters. They are written into every hash
// (PHC string), so changing them never breaks existing hashes: old hashes
// still verify and NeedsRehash tells the login handler to upgrade them.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over memory
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams returns the parameters used for new hashes.
//
// Why these values:
//   - argon2id is the variant RFC 9106 recommends for password hashing: it
//     resists both side-channel and GPU/ASIC trade-off attacks.
//   - m=64 MiB, t=3: RFC 9106 §4's "second recommended option" (memory
//     constrained) is m=64 MiB, t=3. Memory is what makes GPU cracking
//     expensive; 64 MiB per guess is far beyond OWASP's floor (19 MiB, t=2).
//   - p=2: the production hosts have 2 vCPUs; more lanes than cores only adds
//     scheduling overhead without making an attacker's job harder.
//   - measured on the 2-core build machine: see BenchmarkHash and the report
//     (roughly 100–200 ms per hash), acceptable for a staff login that happens
//     a few times a day, and bounded in aggregate by Hasher's concurrency limit.
//   - 16-byte salt and 32-byte key, as RFC 9106 recommends.
func DefaultParams() Params {
	return Params{Memory: 64 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}
}

// Bounds accepted when parsing a stored hash. A corrupted or tampered
// password_hash column must not be able to make the server allocate gigabytes
// or spin for minutes on one login.
const (
	maxParseMemory  = 1024 * 1024 // 1 GiB in KiB
	maxParseTime    = 64
	minParseSaltLen = 8
	maxParseSaltLen = 64
	minParseKeyLen  = 16
	maxParseKeyLen  = 128
)

// maxVerifyBytes: anything longer than this cannot be a password we accepted
// (the policy caps at 128 runes, at most 512 bytes of UTF-8), so Verify refuses
// it without hashing. It keeps request bodies of megabytes from being fed to
// the (cheap but not free) initial BLAKE2b pass.
const maxVerifyBytes = 4096

// ErrMalformedHash is returned when a stored hash is not an argon2id PHC
// string this package can verify.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// Hasher hashes and verifies passwords with argon2id. It limits how many
// hashes run at once: each one holds Params.Memory of RAM, so without a limit a
// burst of login attempts could exhaust memory on a small instance. Safe for
// concurrent use.
type Hasher struct {
	params Params
	sem    chan struct{}

	dummyMu sync.Mutex
	dummy   string // a valid hash with the current params, for DummyVerify

	checks atomic.Int64 // argon2 runs of Verify (and so DummyVerify)
}

// Checks is how many passwords Verify has run argon2id on since start-up,
// dummy checks included. The site exports it as a metric: it is the number
// of password guesses the server actually evaluated, which the login
// throttle exists to bound.
func (h *Hasher) Checks() int64 { return h.checks.Load() }

// NewHasher returns a Hasher using p for new hashes and running at most
// maxConcurrent hashes at a time (values < 1 mean 1). A zero Params means
// DefaultParams.
func NewHasher(p Params, maxConcurrent int) *Hasher {
	if p == (Params{}) {
		p = DefaultParams()
	}
	if maxConcurrent < 1 {
		maxConcurrent = 1
	}
	return &Hasher{params: p, sem: make(chan struct{}, maxConcurrent)}
}

// Params returns the parameters used for new hashes.
func (h *Hasher) Params() Params { return h.params }

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// normalizePassword gives the byte string that is actually hashed: NFC, so a
// password typed on a keyboard that produces decomposed accents (e.g. some
// phones) verifies the same as the composed form typed elsewhere.
func normalizePassword(pw string) []byte {
	return []byte(norm.NFC.String(pw))
}

// Hash returns an argon2id PHC string for password:
// $argon2id$v=19$m=65536,t=3,p=2$<salt b64>$<hash b64> (unpadded standard
// base64, as the PHC format specifies). It does not apply the password
// policy; call CheckPassword first for new passwords.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if len(password) > maxVerifyBytes {
		return "", fmt.Errorf("auth: hash password: %w", ErrPasswordTooLong)
	}
	salt := make([]byte, h.params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("auth: hash password: salt: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	key := argon2.IDKey(normalizePassword(password), salt, h.params.Time, h.params.Memory, h.params.Threads, h.params.KeyLen)
	h.release()
	return encodePHC(h.params, salt, key), nil
}

func encodePHC(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parsedHash is a decoded PHC string.
type parsedHash struct {
	params Params
	salt   []byte
	key    []byte
}

// parsePHC decodes and bounds-checks an argon2id PHC string.
func parsePHC(s string) (parsedHash, error) {
	var ph parsedHash
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return ph, ErrMalformedHash
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return ph, ErrMalformedHash
	}
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return ph, ErrMalformedHash
	}
	want := [3]string{"m=", "t=", "p="}
	var vals [3]uint64
	for i, f := range fields {
		num, ok := strings.CutPrefix(f, want[i])
		if !ok {
			return ph, ErrMalformedHash
		}
		v, err := strconv.ParseUint(num, 10, 32)
		// Canonical decimal only (no "+1", "01"): the PHC format says so, and
		// one spelling per hash keeps NeedsRehash and comparisons simple.
		if err != nil || strconv.FormatUint(v, 10) != num {
			return ph, ErrMalformedHash
		}
		vals[i] = v
	}
	m, t, p := vals[0], vals[1], vals[2]
	if t < 1 || t > maxParseTime || p < 1 || p > 255 || m < 8*p || m > maxParseMemory {
		return ph, ErrMalformedHash
	}
	salt, ok1 := decodeB64Canonical(parts[4])
	key, ok2 := decodeB64Canonical(parts[5])
	if !ok1 || !ok2 || len(salt) < minParseSaltLen || len(salt) > maxParseSaltLen ||
		len(key) < minParseKeyLen || len(key) > maxParseKeyLen {
		return ph, ErrMalformedHash
	}
	ph.params = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(p), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	ph.salt, ph.key = salt, key
	return ph, nil
}

// decodeB64Canonical decodes unpadded standard base64 and insists the input
// was its canonical spelling (the decoder alone skips '\r' and '\n').
func decodeB64Canonical(s string) ([]byte, bool) {
	b64 := base64.RawStdEncoding.Strict()
	b, err := b64.DecodeString(s)
	if err != nil || b64.EncodeToString(b) != s {
		return nil, false
	}
	return b, true
}

// Verify reports whether password matches the stored hash. The comparison of
// the derived keys is constant-time. A malformed hash is an error (so it is
// logged, not silently treated as a wrong password); a mismatching or absurdly
// long password is (false, nil).
func (h *Hasher) Verify(ctx context.Context, hash, password string) (bool, error) {
	ph, err := parsePHC(hash)
	if err != nil {
		return false, fmt.Errorf("auth: verify password: %w", err)
	}
	if len(password) > maxVerifyBytes {
		return false, nil
	}
	if err := h.acquire(ctx); err != nil {
		return false, fmt.Errorf("auth: verify password: %w", err)
	}
	h.checks.Add(1)
	got := argon2.IDKey(normalizePassword(password), ph.salt, ph.params.Time, ph.params.Memory, ph.params.Threads, ph.params.KeyLen)
	h.release()
	return subtle.ConstantTimeCompare(got, ph.key) == 1, nil
}

// NeedsRehash reports whether hash was made with cost parameters or key
// length other than the current ones, a salt shorter than the current one, or
// cannot be parsed, so the login handler should store a fresh Hash of the
// password it has just verified. (A longer salt than ours is no weakness.)
func (h *Hasher) NeedsRehash(hash string) bool {
	ph, err := parsePHC(hash)
	if err != nil {
		return true
	}
	p := ph.params
	return p.Memory != h.params.Memory || p.Time != h.params.Time || p.Threads != h.params.Threads ||
		p.KeyLen != h.params.KeyLen || p.SaltLen < h.params.SaltLen
}

// DummyVerify spends the same time as a Verify against a real account. The
// login handler calls it when the email is unknown (or the account disabled),
// so response time does not reveal which emails have accounts. Its result is
// meaningless and therefore not returned; only ctx cancellation is reported.
func (h *Hasher) DummyVerify(ctx context.Context, password string) error {
	dummy, err := h.dummyHash(ctx)
	if err != nil {
		return fmt.Errorf("auth: dummy verify: %w", err)
	}
	if _, err := h.Verify(ctx, dummy, password); err != nil {
		return fmt.Errorf("auth: dummy verify: %w", err)
	}
	return nil
}

// dummyHash returns (making it on first use) the hash of a random string
// nobody knows, made with the current params so verifying against it costs
// what verifying a current real hash costs. A failure (e.g. ctx cancelled) is
// not remembered, so the next call tries again.
func (h *Hasher) dummyHash(ctx context.Context) (string, error) {
	h.dummyMu.Lock()
	defer h.dummyMu.Unlock()
	if h.dummy != "" {
		return h.dummy, nil
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	d, err := h.Hash(ctx, base64.RawStdEncoding.EncodeToString(b[:]))
	if err != nil {
		return "", err
	}
	h.dummy = d
	return d, nil
}
