package secrets

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"gocloud.dev/secrets"
	"gocloud.dev/secrets/localsecrets"
)

// keyIDSize is the length of a key id in the envelope.
const keyIDSize = 8

// keyID names a keeper key without revealing it (see the package comment).
type keyID [keyIDSize]byte

func (id keyID) String() string { return hex.EncodeToString(id[:]) }

// Errors callers may test with errors.Is. None of them, nor any error this
// package returns, contains plaintext, ciphertext or key material.
var (
	// ErrInsecureKeyFile: the local key file is readable or writable by
	// group or others.
	ErrInsecureKeyFile = errors.New("key file permissions too open")
	// ErrUnknownKey: a value was sealed under a key id that none of the
	// configured keepers has.
	ErrUnknownKey = errors.New("sealed under a key this keeper does not have")
	// ErrMalformed: a sealed value is truncated, empty or not in a known format.
	ErrMalformed = errors.New("sealed value is malformed")
	// ErrAuthFailed: a sealed value did not authenticate: tampered, copied
	// from another row/column, or wrapped under a different key.
	ErrAuthFailed = errors.New("sealed value failed authentication")
	// ErrDecrypt: the keeper could not decrypt a ciphertext (wrong key,
	// tampered, or not ciphertext at all).
	ErrDecrypt = errors.New("keeper could not decrypt the value")
)

// wrapper is one configured keeper key (or, for KMS, one KMS key reference).
// wrap/unwrap work on small values: data keys and configuration secrets.
type wrapper interface {
	// describe is a safe, human-readable name for logs and errors (never key material).
	describe() string
	// wrap encrypts and reports the id of the key that did it.
	wrap(ctx context.Context, plaintext []byte) ([]byte, keyID, error)
	// unwrap decrypts and reports the id of the key that did it.
	unwrap(ctx context.Context, ciphertext []byte) ([]byte, keyID, error)
	// current reports the id wrap would use now; KMS asks the service.
	current(ctx context.Context) (keyID, error)
	// owns reports whether a value wrapped under id can be unwrapped here.
	// KMS answers for every id it does not know to be someone else's,
	// because a KMS blob names its own key.
	owns(id keyID) bool
	isKMS() bool
	close() error
}

// Keeper encrypts small values (configuration secrets, data keys) with the
// configured key(s). It is safe for concurrent use.
type Keeper struct {
	wrappers []wrapper // [0] encrypts; all may decrypt

	cache *dataKeyCache // unwrapped data keys from slow (KMS) keepers

	mu        sync.Mutex
	currentID keyID // last known id of wrappers[0]'s key
}

// openOptions are test seams; production always uses the zero value.
type openOptions struct {
	// awsCredentials, when set, replaces the SDK's default credential chain
	// so tests need not touch the process environment.
	awsCredentials aws.CredentialsProvider
}

// OpenKeeper opens the keeper named by spec (LOSTINNL_SECRETS_KEEPER): one or
// more keeper URLs separated by whitespace, the first being the one that
// encrypts. An empty spec means the local key file <dataDir>/secret.key,
// created with mode 0600 on first run. For KMS, OpenKeeper makes one Encrypt
// call to learn the current key, so bad credentials, a wrong region or a
// missing kms:Encrypt permission stop start-up instead of the first form post.
func OpenKeeper(ctx context.Context, spec, dataDir string) (*Keeper, error) {
	return openKeeper(ctx, spec, dataDir, openOptions{})
}

func openKeeper(ctx context.Context, spec, dataDir string, opts openOptions) (*Keeper, error) {
	urls := strings.Fields(spec)
	if len(urls) == 0 {
		urls = []string{""}
	}
	k := &Keeper{cache: newDataKeyCache(time.Now)}
	for i, u := range urls {
		w, err := openWrapper(ctx, u, dataDir, opts)
		if err != nil {
			_ = k.Close() // already failing; the open error is the one to report
			if len(urls) == 1 {
				return nil, fmt.Errorf("open secrets keeper: %w", err)
			}
			return nil, fmt.Errorf("open secrets keeper %d of %d: %w", i+1, len(urls), err)
		}
		k.wrappers = append(k.wrappers, w)
	}
	pctx := ctx
	if _, ok := ctx.Deadline(); !ok {
		// An unreachable KMS endpoint must fail start-up with a message, not
		// hang it until systemd gives up.
		var cancel context.CancelFunc
		pctx, cancel = context.WithTimeout(ctx, probeTimeout)
		defer cancel()
	}
	id, err := k.wrappers[0].current(pctx)
	if err != nil {
		_ = k.Close()
		return nil, fmt.Errorf("open secrets keeper: check %s: %w", k.wrappers[0].describe(), err)
	}
	k.currentID = id
	return k, nil
}

// probeTimeout bounds the start-up check of the keeper when the caller's
// context has no deadline of its own.
const probeTimeout = 30 * time.Second

// openWrapper opens one keeper URL. Errors name the scheme and, for KMS, the
// key reference, but never echo the URL: a base64key URL is the key itself.
func openWrapper(ctx context.Context, raw, dataDir string, opts openOptions) (wrapper, error) {
	if raw == "" {
		if dataDir == "" {
			return nil, errors.New("no keeper configured and no data directory for the local key file")
		}
		return openKeyFile(defaultKeyFilePath(dataDir), true)
	}
	scheme, _, ok := strings.Cut(raw, "://")
	if !ok {
		return nil, errors.New("keeper must be a URL such as awskms://alias/NAME?region=R, base64key://KEY or keyfile:///PATH")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the whole URL; report only the scheme.
		return nil, fmt.Errorf("%s keeper URL does not parse", scheme)
	}
	switch scheme {
	case "keyfile":
		if u.Host != "" || u.Path == "" || u.RawQuery != "" {
			return nil, errors.New("keyfile keeper must be keyfile:///absolute/path")
		}
		return openKeyFile(u.Path, false)
	case "base64key":
		return openBase64Key(u)
	case "awskms":
		return openKMS(ctx, u, opts)
	case "hashivault":
		return nil, errors.New("hashivault keepers are not supported by this build; use awskms://, base64key:// or the local key file")
	default:
		return nil, fmt.Errorf("unknown keeper scheme %q; use awskms://, base64key://, keyfile:// or leave empty for the local key file", scheme)
	}
}

// Describe returns a safe description of the encrypting keeper for logs.
func (k *Keeper) Describe() string { return k.wrappers[0].describe() }

// KeyID returns the hex id of the key that currently encrypts (as last
// learnt; see RefreshKeyID).
func (k *Keeper) KeyID() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.currentID.String()
}

// RefreshKeyID asks the encrypting keeper which key it uses now (for KMS, the
// key the alias points at) and returns its id.
func (k *Keeper) RefreshKeyID(ctx context.Context) (string, error) {
	id, err := k.refresh(ctx)
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

func (k *Keeper) refresh(ctx context.Context) (keyID, error) {
	id, err := k.wrappers[0].current(ctx)
	if err != nil {
		return keyID{}, fmt.Errorf("find current key of %s: %w", k.wrappers[0].describe(), err)
	}
	k.noteCurrent(id)
	return id, nil
}

func (k *Keeper) noteCurrent(id keyID) {
	k.mu.Lock()
	k.currentID = id
	k.mu.Unlock()
}

// maxKeeperPlaintext is what KMS Encrypt accepts; the same limit applies to
// every keeper so a value that works in development works in production.
const maxKeeperPlaintext = 4096

// Encrypt encrypts a small value (at most 4096 bytes) with the current
// keeper. The output is the keeper's own ciphertext format; for awskms that
// is a KMS ciphertext blob.
func (k *Keeper) Encrypt(ctx context.Context, plaintext []byte) ([]byte, error) {
	ct, _, err := k.wrap(ctx, plaintext)
	return ct, err
}

func (k *Keeper) wrap(ctx context.Context, plaintext []byte) ([]byte, keyID, error) {
	if len(plaintext) == 0 {
		return nil, keyID{}, errors.New("encrypt: nothing to encrypt (empty value)")
	}
	if len(plaintext) > maxKeeperPlaintext {
		return nil, keyID{}, fmt.Errorf("encrypt: value is %d bytes; the limit is %d", len(plaintext), maxKeeperPlaintext)
	}
	w := k.wrappers[0]
	ct, id, err := w.wrap(ctx, plaintext)
	if err != nil {
		return nil, keyID{}, fmt.Errorf("encrypt with %s: %w", w.describe(), err)
	}
	k.noteCurrent(id) // KMS: the alias may have moved since the last call
	return ct, id, nil
}

// Decrypt decrypts a value made by Encrypt with any configured keeper,
// trying the encrypting keeper first.
func (k *Keeper) Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error) {
	if len(ciphertext) == 0 {
		return nil, fmt.Errorf("decrypt: empty ciphertext: %w", ErrDecrypt)
	}
	var errs []error
	for _, w := range k.wrappers {
		pt, _, err := w.unwrap(ctx, ciphertext)
		if err == nil {
			return pt, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("decrypt: %w", ctx.Err())
		}
		errs = append(errs, fmt.Errorf("%s: %w", w.describe(), err))
	}
	return nil, fmt.Errorf("decrypt: %w: %w", ErrDecrypt, errors.Join(errs...))
}

// unwrapFor unwraps a data key sealed under id with the keeper that owns it.
func (k *Keeper) unwrapFor(ctx context.Context, id keyID, wrapped []byte) ([]byte, error) {
	// An exact owner first (local keys know their id), then KMS, which can
	// decrypt blobs of any KMS key it is allowed to use.
	for _, w := range k.wrappers {
		if !w.isKMS() && w.owns(id) {
			return unwrapWith(ctx, w, id, wrapped)
		}
	}
	for _, w := range k.wrappers {
		if w.isKMS() && w.owns(id) {
			ck := cacheKey(id, wrapped)
			if dk := k.cache.get(ck); dk != nil {
				return dk, nil
			}
			dk, err := unwrapWith(ctx, w, id, wrapped)
			if err != nil {
				return nil, err
			}
			k.cache.put(ck, dk)
			return dk, nil
		}
	}
	return nil, fmt.Errorf("key id %s: %w", id, ErrUnknownKey)
}

// unwrapWith unwraps and checks that the key that did it is the one the
// envelope names. That authenticates the key id: for KMS the id is only a
// label beside the blob, and a relabelled record would otherwise be skipped
// by rotation and die with the retired key.
func unwrapWith(ctx context.Context, w wrapper, id keyID, wrapped []byte) ([]byte, error) {
	pt, got, err := w.unwrap(ctx, wrapped)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("unwrap data key: %w", ctx.Err())
		}
		return nil, fmt.Errorf("unwrap data key with %s: %w: %w", w.describe(), ErrDecrypt, err)
	}
	if got != id {
		clear(pt)
		return nil, fmt.Errorf("%w: data key labelled key id %s was wrapped by key id %s", ErrAuthFailed, id, got)
	}
	return pt, nil
}

// Close releases the keepers.
func (k *Keeper) Close() error {
	var errs []error
	for _, w := range k.wrappers {
		if err := w.close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// staticWrapper is a keeper with one fixed 32-byte key (local key file or
// base64key), using gocloud's localsecrets (NaCl secretbox).
type staticWrapper struct {
	name   string
	id     keyID
	keeper *secrets.Keeper
}

func newStaticWrapper(name string, key [32]byte) *staticWrapper {
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte("lostinnl key id v1"))
	var id keyID
	copy(id[:], mac.Sum(nil))
	return &staticWrapper{name: name, id: id, keeper: localsecrets.NewKeeper(key)}
}

func (s *staticWrapper) describe() string { return s.name + " (key id " + s.id.String() + ")" }

func (s *staticWrapper) wrap(ctx context.Context, pt []byte) ([]byte, keyID, error) {
	ct, err := s.keeper.Encrypt(ctx, pt)
	return ct, s.id, err
}

func (s *staticWrapper) unwrap(ctx context.Context, ct []byte) ([]byte, keyID, error) {
	pt, err := s.keeper.Decrypt(ctx, ct)
	return pt, s.id, err
}

func (s *staticWrapper) current(context.Context) (keyID, error) { return s.id, nil }
func (s *staticWrapper) owns(id keyID) bool                     { return id == s.id }
func (s *staticWrapper) isKMS() bool                            { return false }
func (s *staticWrapper) close() error                           { return s.keeper.Close() }

func openBase64Key(u *url.URL) (wrapper, error) {
	if u.RawQuery != "" || u.Path != "" {
		return nil, errors.New("base64key keeper takes only the key: base64key://KEY")
	}
	if u.Host == "" {
		// gocloud would invent a random key here; data sealed with it would
		// be lost at the next restart, so refuse.
		return nil, errors.New("base64key keeper needs a key: base64key://<32 bytes in URL-safe base64>")
	}
	key, err := localsecrets.Base64Key(u.Host)
	if err != nil {
		return nil, errors.New("base64key keeper: the key is not 32 bytes of URL-safe base64")
	}
	return newStaticWrapper("base64key", key), nil
}
