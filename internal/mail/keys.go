package mail

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"lostinnl/internal/store"
)

// keySetting is the settings row holding the mail master key, encrypted
// by the keeper. One key for every instance sharing the database: the
// blind index must be the same everywhere, and a link signed by one
// instance must open on another.
const keySetting = "mail_master_key_v1"

// ManageTTL is how long an unsubscribe/manage link in a message works.
const ManageTTL = 90 * 24 * time.Hour

// Keys derives the two keys of the subscription scheme from one master
// key: one for the blind index of addresses, one for signing links. Two
// labels, so a blind index can never be passed off as a signature.
type Keys struct {
	index []byte
	sign  []byte
}

// SettingStore is the part of the store Keys needs.
type SettingStore interface {
	GetSetting(ctx context.Context, key string) (string, error)
	AddSetting(ctx context.Context, key, value string) (bool, error)
}

// KeyWrapper encrypts the master key at rest (a *secrets.Keeper).
type KeyWrapper interface {
	EncryptBase64(ctx context.Context, plaintext []byte) (string, error)
	DecryptBase64(ctx context.Context, b64 string) ([]byte, error)
}

// LoadKeys reads the master key, making it on first use. Instances
// starting together agree through AddSetting: the first writer wins and
// every instance then reads that one value back.
func LoadKeys(ctx context.Context, st SettingStore, k KeyWrapper) (*Keys, error) {
	v, err := st.GetSetting(ctx, keySetting)
	if errors.Is(err, store.ErrNotFound) {
		master := make([]byte, 32)
		if _, err := rand.Read(master); err != nil {
			return nil, fmt.Errorf("mail keys: %w", err)
		}
		ct, err := k.EncryptBase64(ctx, master)
		if err != nil {
			return nil, fmt.Errorf("mail keys: encrypt: %w", err)
		}
		if _, err := st.AddSetting(ctx, keySetting, ct); err != nil {
			return nil, fmt.Errorf("mail keys: %w", err)
		}
		// Ours or another instance's, whichever was first.
		if v, err = st.GetSetting(ctx, keySetting); err != nil {
			return nil, fmt.Errorf("mail keys: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("mail keys: %w", err)
	}
	master, err := k.DecryptBase64(ctx, v)
	if err != nil {
		return nil, fmt.Errorf("mail keys: decrypt: %w", err)
	}
	if len(master) != 32 {
		return nil, errors.New("mail keys: stored key has the wrong size")
	}
	return NewKeys(master), nil
}

// NewKeys derives the keys from a 32-byte master key.
func NewKeys(master []byte) *Keys {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	return &Keys{index: derive("lostinnl mail blind index v1"), sign: derive("lostinnl mail link signature v1")}
}

// ErrBadAddress: not an email address the forms accept.
var ErrBadAddress = errors.New("not a valid email address")

// NormalizeAddress checks an address typed into a form and returns the
// form it is stored, indexed and mailed in: trimmed and lower-cased (one
// person, one subscription, whatever the capitals). Only a bare address:
// no display name, no comments, no line breaks, at most 254 characters.
func NormalizeAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 254 || !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n\x00<>,; \t\"()") {
		return "", ErrBadAddress
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return "", ErrBadAddress
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "[") {
		return "", ErrBadAddress
	}
	return strings.ToLower(s), nil
}

// Index is the blind index of a normalised address: HMAC-SHA256 under
// the index key, so the database can find and de-duplicate addresses
// without holding them in clear, and a copy of the database alone cannot
// test a guessed address.
func (k *Keys) Index(normalized string) []byte {
	m := hmac.New(sha256.New, k.index)
	m.Write([]byte(normalized))
	return m.Sum(nil)
}

// NewToken draws a random single-use token (a confirmation link's).
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("mail token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Manage is what a manage/unsubscribe link proves: the holder received
// mail at the address with this blind index. SubscriptionID is the
// subscription the message was about (one-click unsubscribe ends it), 0
// for a link that only manages.
type Manage struct {
	Index          []byte
	SubscriptionID int64
	Expires        time.Time
}

const (
	tokenVersion = 1
	macSize      = 16
	tokenSize    = 1 + 32 + 8 + 8 + macSize
)

// ErrBadToken: a manage link that is malformed, forged or expired. The
// web layer answers all three the same way.
var ErrBadToken = errors.New("invalid or expired link")

// ManageToken signs a manage/unsubscribe link for an address (by index).
func (k *Keys) ManageToken(index []byte, subscriptionID int64, expires time.Time) string {
	b := make([]byte, 0, tokenSize)
	b = append(b, tokenVersion)
	b = append(b, index...)
	b = binary.BigEndian.AppendUint64(b, uint64(subscriptionID))
	b = binary.BigEndian.AppendUint64(b, uint64(expires.Unix()))
	b = append(b, k.mac(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (k *Keys) mac(b []byte) []byte {
	m := hmac.New(sha256.New, k.sign)
	m.Write(b)
	return m.Sum(nil)[:macSize]
}

// ParseManageToken checks a link's signature and expiry at now.
func (k *Keys) ParseManageToken(tok string, now time.Time) (Manage, error) {
	if len(tok) > 200 {
		return Manage{}, ErrBadToken
	}
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) != tokenSize || b[0] != tokenVersion || len(k.index) != 32 {
		return Manage{}, ErrBadToken
	}
	body, sig := b[:tokenSize-macSize], b[tokenSize-macSize:]
	if !hmac.Equal(sig, k.mac(body)) {
		return Manage{}, ErrBadToken
	}
	m := Manage{
		Index:          append([]byte(nil), body[1:33]...),
		SubscriptionID: int64(binary.BigEndian.Uint64(body[33:41])),
		Expires:        time.Unix(int64(binary.BigEndian.Uint64(body[41:49])), 0).UTC(),
	}
	if m.SubscriptionID < 0 || !now.Before(m.Expires) {
		return Manage{}, ErrBadToken
	}
	return m, nil
}

// SettingWriter is the part of the store RewrapKeys needs.
type SettingWriter interface {
	SettingStore
	SetSetting(ctx context.Context, key, value string, audit *store.AuditEntry) error
}

// RewrapKeys re-encrypts the stored master key under the keeper's current
// key (`lostinnl secret rotate`), so the old keeper can then be dropped
// from LOSTINNL_SECRETS_KEEPER. The key itself does not change: blind
// indexes and links stay valid. It reports false when there is no key yet.
func RewrapKeys(ctx context.Context, st SettingWriter, k KeyWrapper) (bool, error) {
	v, err := st.GetSetting(ctx, keySetting)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mail keys: %w", err)
	}
	master, err := k.DecryptBase64(ctx, v)
	if err != nil {
		return false, fmt.Errorf("mail keys: decrypt: %w", err)
	}
	ct, err := k.EncryptBase64(ctx, master)
	if err != nil {
		return false, fmt.Errorf("mail keys: encrypt: %w", err)
	}
	if err := st.SetSetting(ctx, keySetting, ct, nil); err != nil {
		return false, fmt.Errorf("mail keys: %w", err)
	}
	return true, nil
}
