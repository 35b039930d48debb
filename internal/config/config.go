// Package config reads, parses and validates LostInNL's configuration.
//
// Configuration comes from LOSTINNL_* environment variables and, optionally,
// a KEY=VALUE file given with --config; the environment wins over the file.
// The result is a *Config that the CLI passes down explicitly: nothing here is
// a global, and Load never reads the process environment itself (it is handed
// a lookup function), so tests can run in parallel without touching os.Setenv.
//
// Start-up order (see internal/cli): Load → open the secrets keeper →
// ResolveSecrets → Validate. Every error is one line that starts with the name
// of the key at fault, and never contains a secret value.
package config

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/netip"
	"os"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Config is the complete, parsed configuration. Field comments name the key
// each field comes from; the key table in keys.go holds defaults and parsers.
type Config struct {
	Addr           string         // LOSTINNL_ADDR: public listener, host:port
	OpsAddr        string         // LOSTINNL_OPS_ADDR: ops listener (metrics, health); "" when set to "off"
	BaseURL        string         // LOSTINNL_BASE_URL: scheme://host[:port], no trailing slash
	DataDir        string         // LOSTINNL_DATA_DIR
	DatabaseURL    string         // LOSTINNL_DATABASE_URL: "sqlite:PATH" or "mysql://user:pass@tcp(host:port)/db?..." (secret)
	MediaURL       string         // LOSTINNL_MEDIA_URL: file:///abs/dir, s3://bucket?..., mem:// (secret when it has credentials)
	SecretsKeeper  string         // LOSTINNL_SECRETS_KEEPER: "" = local key file in DataDir (secret: base64key:// holds key material)
	SMTPURL        string         // LOSTINNL_SMTP_URL: where mail is sent (see internal/mail/smtpurl); "" = mail stays in the outbox (secret)
	MailFrom       string         // LOSTINNL_MAIL_FROM: From of every message; default alerts@ the base URL's host
	MailRate       int            // LOSTINNL_MAIL_RATE: messages sent per second at most, per instance
	TrustedProxies []netip.Prefix // LOSTINNL_TRUSTED_PROXIES: peers whose X-Forwarded-For / X-Request-ID are believed
	LogFormat      string         // LOSTINNL_LOG_FORMAT: "text" or "json"
	LogLevel       slog.Level     // LOSTINNL_LOG_LEVEL

	DBMaxOpenConns    int           // LOSTINNL_DB_MAX_OPEN_CONNS: 0 = dialect default
	DBMaxIdleConns    int           // LOSTINNL_DB_MAX_IDLE_CONNS: 0 = dialect default
	DBConnMaxLifetime time.Duration // LOSTINNL_DB_CONN_MAX_LIFETIME: 0 = dialect default
	DBConnMaxIdleTime time.Duration // LOSTINNL_DB_CONN_MAX_IDLE_TIME: 0 = dialect default

	ShutdownTimeout time.Duration // LOSTINNL_SHUTDOWN_TIMEOUT: how long in-flight requests may drain

	FormRateLimit        int           // LOSTINNL_FORM_RATE_LIMIT: public form posts per client IP per minute
	FormRateBurst        int           // LOSTINNL_FORM_RATE_BURST
	MaxUploadMB          int           // LOSTINNL_MAX_UPLOAD_MB: per photo
	ImageConcurrency     int           // LOSTINNL_IMAGE_CONCURRENCY: photos decoded at once
	PageCacheMB          int           // LOSTINNL_PAGE_CACHE_MB: public page cache budget; 0 = off
	LocatedRetentionDays int           // LOSTINNL_LOCATED_RETENTION_DAYS
	LocatedPublicDays    int           // LOSTINNL_LOCATED_PUBLIC_DAYS: then the located case is archived
	SessionIdleTimeout   time.Duration // LOSTINNL_SESSION_IDLE_TIMEOUT
	SessionLifetime      time.Duration // LOSTINNL_SESSION_LIFETIME
	LoginIPMaxFailures   int           // LOSTINNL_LOGIN_IP_MAX_FAILURES: failed sign-ins per client address per window
	LoginIPWindow        time.Duration // LOSTINNL_LOGIN_IP_WINDOW

	// Days before the retention job deletes records nobody needs any more
	// (see retention.go for the defaults and why).
	PendingRetentionDays  int // LOSTINNL_PENDING_RETENTION_DAYS: unpublished reports, after their last change
	RejectedRetentionDays int // LOSTINNL_REJECTED_RETENTION_DAYS: rejected reports, after the rejection (or a later change)
	TipRetentionDays      int // LOSTINNL_TIP_RETENTION_DAYS: tips, after they were received
	MessageRetentionDays  int // LOSTINNL_MESSAGE_RETENTION_DAYS: contact messages, after they were received

	TLSDomains    []string // LOSTINNL_TLS_DOMAINS: built-in ACME TLS for these names; empty = plain HTTP
	TLSAddr       string   // LOSTINNL_TLS_ADDR: HTTPS listener when TLSDomains is set (LOSTINNL_ADDR then answers ACME HTTP-01 and redirects)
	ACMEDirectory string   // LOSTINNL_ACME_DIRECTORY
	MediaPresign  bool     // LOSTINNL_MEDIA_PRESIGN: redirect /media/ to presigned object-storage URLs

	MinFreeDiskMB  int           // LOSTINNL_MIN_FREE_DISK_MB: /readyz fails below this much free space in the data dir; 0 = off
	DrainDelay     time.Duration // LOSTINNL_DRAIN_DELAY: after SIGTERM, /readyz answers 503 this long before the listeners close
	DatabaseCAFile string        // LOSTINNL_DATABASE_CA_FILE: PEM CA bundle the MySQL server's certificate must chain to (RDS); "" = system pool with tls=true
	MapTiles       string        // LOSTINNL_MAP_TILES: tile URL template of the maps (internal/geo.ParseTiles)

	// pending holds ciphertext of X_ENCRYPTED keys until ResolveSecrets runs.
	pending map[string][]byte
	// decrypted records keys whose value came from X_ENCRYPTED: such a value is
	// secret as a whole (even a media URL that would otherwise be harmless).
	decrypted map[string]bool
}

// MaxUploadBytes is MaxUploadMB in bytes.
func (c *Config) MaxUploadBytes() int64 { return int64(c.MaxUploadMB) << 20 }

// LocatedRetention is LocatedRetentionDays as a duration.
func (c *Config) LocatedRetention() time.Duration {
	return time.Duration(c.LocatedRetentionDays) * 24 * time.Hour
}

// DatabaseDialect is "sqlite" or "mysql", from DatabaseURL ("" before the URL
// is known, i.e. while it is still encrypted).
func (c *Config) DatabaseDialect() string {
	switch {
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		return "sqlite"
	case strings.HasPrefix(c.DatabaseURL, "mysql://"):
		return "mysql"
	}
	return ""
}

// KeyError is a configuration problem with one key. Its message is a single
// line, "LOSTINNL_X: reason", safe to print: it never holds a secret value.
type KeyError struct {
	Key    string
	Reason string
}

func (e *KeyError) Error() string { return e.Key + ": " + e.Reason }

func keyErr(key, format string, args ...any) error {
	return &KeyError{Key: key, Reason: fmt.Sprintf(format, args...)}
}

// LookupFunc reads one variable, like os.LookupEnv.
type LookupFunc func(key string) (string, bool)

// EncryptedSuffix marks a key whose value is base64 ciphertext from
// `lostinnl secret encrypt`.
const EncryptedSuffix = "_ENCRYPTED"

// Load builds a Config from lookup (normally os.LookupEnv) and, when file is
// not "", the KEY=VALUE file at that path. A value from lookup wins over the
// file. An empty value counts as unset, so "LOSTINNL_X=" means the default.
//
// Load parses and checks every key on its own; cross-key rules are in
// Validate, which must run after ResolveSecrets.
func Load(lookup LookupFunc, file string) (*Config, error) {
	var fileVals map[string]string
	if file != "" {
		data, err := readFileLimited(file)
		if err != nil {
			why := err.Error()
			var pe *fs.PathError
			if errors.As(err, &pe) {
				why = pe.Err.Error()
			}
			return nil, fmt.Errorf("--config: cannot read %q: %s", file, why)
		}
		fileVals, err = parseFile(file, data)
		if err != nil {
			return nil, err
		}
	}
	get := func(name string) (string, bool) {
		if lookup != nil {
			if v, ok := lookup(name); ok && v != "" {
				return v, true
			}
		}
		if v, ok := fileVals[name]; ok && v != "" {
			return v, true
		}
		return "", false
	}

	c := &Config{pending: map[string][]byte{}, decrypted: map[string]bool{}}
	for _, k := range keys {
		raw, isSet := get(k.name)
		if k.secret {
			enc, encSet := get(k.name + EncryptedSuffix)
			if isSet && encSet {
				return nil, keyErr(k.name, "set both %s and %s%s; give only one", k.name, k.name, EncryptedSuffix)
			}
			if encSet {
				ct, err := decodeCiphertext(enc)
				if err != nil {
					return nil, keyErr(k.name+EncryptedSuffix, "%v", err)
				}
				c.pending[k.name] = ct
				continue
			}
		}
		if !isSet {
			raw = k.def(c)
		}
		if err := checkText(raw); err != nil {
			return nil, keyErr(k.name, "%s", reason(k, raw, err.Error()))
		}
		if err := k.set(c, raw); err != nil {
			return nil, keyErr(k.name, "%s", reason(k, raw, err.Error()))
		}
	}
	return c, nil
}

// readFileLimited reads at most maxFileSize+1 bytes, so a wrong path such as
// /dev/zero or a huge log fails fast instead of exhausting memory.
func readFileLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxFileSize+1)) // *os.File errors are *fs.PathError
}

// reason appends the offending value to a parse error, quoted and shortened,
// unless the key is secret-bearing: secrets never appear in messages.
func reason(k key, raw, msg string) string {
	if k.secret || k.sensitive || strings.HasSuffix(msg, `"`) || strings.HasSuffix(msg, `"…`) {
		// Secret, or the parser already quoted the bad part of a list.
		return msg
	}
	return msg + ": " + quoteShort(raw)
}

// quoteShort quotes v with Go escaping (so control characters cannot break the
// one-line message) and cuts it at 80 bytes.
func quoteShort(v string) string {
	const max = 80
	if len(v) > max {
		cut := max
		for cut > 0 && !isRuneStart(v[cut]) {
			cut--
		}
		return fmt.Sprintf("%q…", v[:cut])
	}
	return fmt.Sprintf("%q", v)
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// checkText refuses control characters in any value: no key legitimately
// holds them, and they are how log lines and file paths get forged.
func checkText(v string) error {
	if !utf8.ValidString(v) {
		return errors.New("is not valid UTF-8")
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return errors.New("contains control characters")
		}
	}
	return nil
}

func decodeCiphertext(v string) ([]byte, error) {
	v = strings.TrimSpace(v)
	ct, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		// Some tools wrap or strip padding; accept the raw and URL alphabets
		// too before giving up, since the ciphertext is opaque anyway.
		if ct2, err2 := base64.RawStdEncoding.DecodeString(v); err2 == nil {
			ct, err = ct2, nil
		} else if ct3, err3 := base64.URLEncoding.DecodeString(v); err3 == nil {
			ct, err = ct3, nil
		}
	}
	if err != nil {
		return nil, errors.New("not valid base64 (paste the output of `lostinnl secret encrypt`)")
	}
	if len(ct) == 0 {
		return nil, errors.New("empty ciphertext")
	}
	return ct, nil
}

// Decrypter is what ResolveSecrets needs from the secrets keeper.
type Decrypter interface {
	Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error)
}

// NeedsDecryption reports whether any X_ENCRYPTED key is waiting for
// ResolveSecrets.
func (c *Config) NeedsDecryption() bool { return len(c.pending) > 0 }

// ResolveSecrets decrypts every X_ENCRYPTED value through d and parses the
// plaintext exactly as if X had been given. Errors name the key and never
// contain plaintext or ciphertext. It is a no-op when nothing is encrypted.
func (c *Config) ResolveSecrets(ctx context.Context, d Decrypter) error {
	for _, k := range keys {
		ct, ok := c.pending[k.name]
		if !ok {
			continue
		}
		if d == nil {
			return keyErr(k.name+EncryptedSuffix, "no secrets keeper to decrypt it with")
		}
		pt, err := d.Decrypt(ctx, ct)
		if err != nil {
			return keyErr(k.name+EncryptedSuffix, "cannot decrypt (wrong keeper or key, or a damaged value): %s",
				scrub(err.Error(), base64.StdEncoding.EncodeToString(ct), string(ct)))
		}
		v := strings.TrimRight(string(pt), "\r\n")
		if v == "" {
			return keyErr(k.name+EncryptedSuffix, "decrypts to an empty value")
		}
		if err := checkText(v); err != nil {
			return keyErr(k.name+EncryptedSuffix, "decrypted value %s", err)
		}
		if err := k.set(c, v); err != nil {
			return keyErr(k.name+EncryptedSuffix, "decrypted value: %s", scrub(err.Error(), v))
		}
		delete(c.pending, k.name)
		c.decrypted[k.name] = true
	}
	return nil
}

// scrub removes every occurrence of the given values from msg and folds it to
// one line, for error texts from code we do not control.
func scrub(msg string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) >= 3 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return strings.Join(strings.Fields(msg), " ")
}

// Validate checks the rules that involve more than one key. Run it after
// ResolveSecrets; it reports the first problem found.
func (c *Config) Validate() error {
	if len(c.pending) > 0 {
		names := make([]string, 0, len(c.pending))
		for n := range c.pending {
			names = append(names, n)
		}
		sort.Strings(names)
		return keyErr(names[0]+EncryptedSuffix, "not decrypted yet (internal error: ResolveSecrets was not called)")
	}
	if c.OpsAddr != "" && sameListener(c.Addr, c.OpsAddr) {
		return keyErr("LOSTINNL_OPS_ADDR", "must not use the same port as LOSTINNL_ADDR (%s): metrics must stay off the public listener", c.Addr)
	}
	if c.DBMaxOpenConns > 0 && c.DBMaxIdleConns > c.DBMaxOpenConns {
		return keyErr("LOSTINNL_DB_MAX_IDLE_CONNS", "%d is more than LOSTINNL_DB_MAX_OPEN_CONNS (%d)", c.DBMaxIdleConns, c.DBMaxOpenConns)
	}
	if c.SessionIdleTimeout > c.SessionLifetime {
		return keyErr("LOSTINNL_SESSION_IDLE_TIMEOUT", "%s is longer than LOSTINNL_SESSION_LIFETIME (%s)", c.SessionIdleTimeout, c.SessionLifetime)
	}
	if c.DatabaseCAFile != "" && c.DatabaseDialect() != "mysql" {
		return keyErr("LOSTINNL_DATABASE_CA_FILE", "only used with a mysql:// LOSTINNL_DATABASE_URL")
	}
	if c.MediaPresign && !strings.HasPrefix(c.MediaURL, "s3://") {
		return keyErr("LOSTINNL_MEDIA_PRESIGN", "needs an s3:// LOSTINNL_MEDIA_URL (local media cannot be presigned)")
	}
	if len(c.TLSDomains) > 0 {
		host, ok := strings.CutPrefix(c.BaseURL, "https://")
		if !ok {
			return keyErr("LOSTINNL_BASE_URL", "must be https:// when LOSTINNL_TLS_DOMAINS is set")
		}
		if h, _, found := strings.Cut(host, ":"); found {
			host = h
		}
		if !contains(c.TLSDomains, strings.ToLower(host)) {
			return keyErr("LOSTINNL_TLS_DOMAINS", "does not include the LOSTINNL_BASE_URL host %q", host)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// sameListener reports whether two host:port listen addresses would collide:
// the same non-zero port on the same host, or on a wildcard host.
func sameListener(a, b string) bool {
	ha, pa := splitAddr(a)
	hb, pb := splitAddr(b)
	if pa != pb || pa == "0" {
		return false
	}
	return ha == hb || isWildcard(ha) || isWildcard(hb)
}

func isWildcard(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
