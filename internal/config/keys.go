package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"lostinnl/internal/geo"
	"lostinnl/internal/hostname"
	"lostinnl/internal/mail/smtpurl"
)

// key is one configuration key: its default (as text, parsed by the same
// parser as a given value so the two cannot drift apart) and its parser.
type key struct {
	name string
	// def returns the default. It may read fields set by earlier keys
	// (DATABASE_URL and MEDIA_URL default to places inside DATA_DIR).
	def func(c *Config) string
	// secret keys may be given as NAME_ENCRYPTED, and their values never
	// appear in error messages, Redacted() or logs.
	secret bool
	// sensitive values are never echoed or shown, but cannot be encrypted
	// (the keeper's own address).
	sensitive bool
	set       func(c *Config, v string) error
}

// DefaultACMEDirectory is Let's Encrypt's production directory.
const DefaultACMEDirectory = "https://acme-v02.api.letsencrypt.org/directory"

func constant(v string) func(*Config) string { return func(*Config) string { return v } }

// keys is in dependency order: DATA_DIR comes before the keys whose
// defaults live inside it.
var keys = []key{
	{name: "LOSTINNL_ADDR", def: constant(":8080"), set: func(c *Config, v string) error {
		err := checkHostPort(v)
		c.Addr = v
		return err
	}},
	{name: "LOSTINNL_OPS_ADDR", def: constant("127.0.0.1:9090"), set: func(c *Config, v string) error {
		if strings.EqualFold(v, "off") {
			c.OpsAddr = ""
			return nil
		}
		err := checkHostPort(v)
		c.OpsAddr = v
		return err
	}},
	{name: "LOSTINNL_BASE_URL", def: constant("http://localhost:8080"), set: func(c *Config, v string) (err error) {
		c.BaseURL, err = parseBaseURL(v)
		return err
	}},
	{name: "LOSTINNL_DATA_DIR", def: constant("./data"), set: func(c *Config, v string) error {
		c.DataDir = filepath.Clean(v)
		return nil
	}},
	{name: "LOSTINNL_DATABASE_URL", secret: true,
		def: func(c *Config) string { return "sqlite:" + filepath.Join(c.DataDir, "lostinnl.db") },
		set: func(c *Config, v string) (err error) {
			c.DatabaseURL, err = parseDatabaseURL(v)
			return err
		}},
	{name: "LOSTINNL_MEDIA_URL", secret: true,
		def: func(c *Config) string {
			dir, err := filepath.Abs(filepath.Join(c.DataDir, "media"))
			if err != nil { // only when the working directory is gone
				dir = filepath.Join(c.DataDir, "media")
			}
			return (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir)}).String()
		},
		set: func(c *Config, v string) (err error) {
			c.MediaURL, err = parseMediaURL(v)
			return err
		}},
	{name: "LOSTINNL_SECRETS_KEEPER", sensitive: true, def: constant(""), set: func(c *Config, v string) (err error) {
		// Not "secret" in the X_ENCRYPTED sense (the keeper cannot decrypt
		// its own address), but a base64key:// URL is key material, so
		// parse errors never echo it and Redacted() hides it.
		c.SecretsKeeper, err = parseKeeperURL(v)
		return err
	}},
	{name: "LOSTINNL_SMTP_URL", secret: true, def: constant(""), set: func(c *Config, v string) (err error) {
		c.SMTPURL, err = parseSMTPURL(v)
		return err
	}},
	{name: "LOSTINNL_MAIL_FROM", def: defaultMailFrom, set: func(c *Config, v string) (err error) {
		c.MailFrom, err = parseMailFrom(v)
		return err
	}},
	// Per instance: a provider's per-second quota (SES's starts at 14)
	// divided by the number of instances.
	intKey("LOSTINNL_MAIL_RATE", 100, 1, 100000, func(c *Config) *int { return &c.MailRate }),
	{name: "LOSTINNL_TRUSTED_PROXIES", def: constant(""), set: func(c *Config, v string) (err error) {
		c.TrustedProxies, err = parsePrefixes(v)
		return err
	}},
	{name: "LOSTINNL_LOG_FORMAT", def: constant("text"), set: func(c *Config, v string) error {
		switch strings.ToLower(v) {
		case "text", "json":
			c.LogFormat = strings.ToLower(v)
			return nil
		}
		return errors.New("want text or json")
	}},
	{name: "LOSTINNL_LOG_LEVEL", def: constant("info"), set: func(c *Config, v string) error {
		switch strings.ToLower(v) {
		case "debug":
			c.LogLevel = slog.LevelDebug
		case "info":
			c.LogLevel = slog.LevelInfo
		case "warn", "warning":
			c.LogLevel = slog.LevelWarn
		case "error":
			c.LogLevel = slog.LevelError
		default:
			return errors.New("want debug, info, warn or error")
		}
		return nil
	}},
	intKey("LOSTINNL_DB_MAX_OPEN_CONNS", 0, 0, 10000, func(c *Config) *int { return &c.DBMaxOpenConns }),
	intKey("LOSTINNL_DB_MAX_IDLE_CONNS", 0, 0, 10000, func(c *Config) *int { return &c.DBMaxIdleConns }),
	durationKey("LOSTINNL_DB_CONN_MAX_LIFETIME", "0", 0, 0, func(c *Config) *time.Duration { return &c.DBConnMaxLifetime }),
	durationKey("LOSTINNL_DB_CONN_MAX_IDLE_TIME", "0", 0, 0, func(c *Config) *time.Duration { return &c.DBConnMaxIdleTime }),
	durationKey("LOSTINNL_SHUTDOWN_TIMEOUT", "20s", time.Second, time.Hour, func(c *Config) *time.Duration { return &c.ShutdownTimeout }),
	intKey("LOSTINNL_FORM_RATE_LIMIT", 10, 1, 1000000, func(c *Config) *int { return &c.FormRateLimit }),
	intKey("LOSTINNL_FORM_RATE_BURST", 5, 1, 1000000, func(c *Config) *int { return &c.FormRateBurst }),
	intKey("LOSTINNL_MAX_UPLOAD_MB", 10, 1, 100, func(c *Config) *int { return &c.MaxUploadMB }),
	{name: "LOSTINNL_IMAGE_CONCURRENCY", def: func(*Config) string { return strconv.Itoa(runtime.NumCPU()) },
		set: intSetter(1, 256, func(c *Config) *int { return &c.ImageConcurrency })},
	intKey("LOSTINNL_PAGE_CACHE_MB", 20, 0, 4096, func(c *Config) *int { return &c.PageCacheMB }),
	intKey("LOSTINNL_LOCATED_RETENTION_DAYS", DefaultLocatedRetentionDays, 0, 36500, func(c *Config) *int { return &c.LocatedRetentionDays }),
	// How long a located case's name-only notice stays public before the
	// case is archived and its address answers 410. At least one day, so
	// people who shared the appeal can learn that the person was found.
	intKey("LOSTINNL_LOCATED_PUBLIC_DAYS", DefaultLocatedPublicDays, 1, 36500, func(c *Config) *int { return &c.LocatedPublicDays }),
	// What the retention job deletes, and after how many days (the
	// defaults and why are in retention.go). At least one day: 0 would
	// delete a report while its reporter is still on the thanks page, and
	// "never" is not on offer.
	intKey("LOSTINNL_PENDING_RETENTION_DAYS", DefaultPendingRetentionDays, 1, 36500, func(c *Config) *int { return &c.PendingRetentionDays }),
	intKey("LOSTINNL_REJECTED_RETENTION_DAYS", DefaultRejectedRetentionDays, 1, 36500, func(c *Config) *int { return &c.RejectedRetentionDays }),
	intKey("LOSTINNL_TIP_RETENTION_DAYS", DefaultTipRetentionDays, 1, 36500, func(c *Config) *int { return &c.TipRetentionDays }),
	intKey("LOSTINNL_MESSAGE_RETENTION_DAYS", DefaultMessageRetentionDays, 1, 36500, func(c *Config) *int { return &c.MessageRetentionDays }),
	durationKey("LOSTINNL_SESSION_IDLE_TIMEOUT", "30m", time.Minute, 365*24*time.Hour, func(c *Config) *time.Duration { return &c.SessionIdleTimeout }),
	durationKey("LOSTINNL_SESSION_LIFETIME", "12h", time.Minute, 365*24*time.Hour, func(c *Config) *time.Duration { return &c.SessionLifetime }),
	intKey("LOSTINNL_LOGIN_IP_MAX_FAILURES", 25, 1, 100000, func(c *Config) *int { return &c.LoginIPMaxFailures }),
	durationKey("LOSTINNL_LOGIN_IP_WINDOW", "5m", time.Minute, 24*time.Hour, func(c *Config) *time.Duration { return &c.LoginIPWindow }),
	{name: "LOSTINNL_TLS_DOMAINS", def: constant(""), set: func(c *Config, v string) (err error) {
		c.TLSDomains, err = parseDomains(v)
		return err
	}},
	{name: "LOSTINNL_TLS_ADDR", def: constant(":443"), set: func(c *Config, v string) error {
		err := checkHostPort(v)
		c.TLSAddr = v
		return err
	}},
	{name: "LOSTINNL_ACME_DIRECTORY", def: constant(DefaultACMEDirectory), set: func(c *Config, v string) (err error) {
		c.ACMEDirectory, err = parseACMEDirectory(v)
		return err
	}},
	{name: "LOSTINNL_MEDIA_PRESIGN", def: constant("false"), set: func(c *Config, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("want true or false")
		}
		c.MediaPresign = b
		return nil
	}},
	intKey("LOSTINNL_MIN_FREE_DISK_MB", 256, 0, 1<<20, func(c *Config) *int { return &c.MinFreeDiskMB }),
	durationKey("LOSTINNL_DRAIN_DELAY", "0", 0, 5*time.Minute, func(c *Config) *time.Duration { return &c.DrainDelay }),
	{name: "LOSTINNL_DATABASE_CA_FILE", def: constant(""), set: func(c *Config, v string) error {
		// Read when the database is opened, where a missing or empty file
		// is reported with the reason; here only the shape is checked.
		if v != "" {
			v = filepath.Clean(v)
		}
		c.DatabaseCAFile = v
		return nil
	}},
	// The maps' tile server (internal/geo): its origin is the one host
	// the Content-Security-Policy adds to img-src.
	{name: "LOSTINNL_MAP_TILES", def: constant(geo.DefaultTiles), set: func(c *Config, v string) error {
		t, err := geo.ParseTiles(v)
		c.MapTiles = t.Template
		return err
	}},
}

// KeyNames lists every key Load reads (without the _ENCRYPTED forms), in
// table order. Used by tests that check the docs and example file.
func KeyNames() []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// SecretKeyNames lists the keys that may also be given as X_ENCRYPTED.
func SecretKeyNames() []string {
	var out []string
	for _, k := range keys {
		if k.secret {
			out = append(out, k.name)
		}
	}
	return out
}

// isKnown reports whether name is a key Load reads, including X_ENCRYPTED
// forms of secret keys.
func isKnown(name string) bool {
	base, enc := strings.CutSuffix(name, EncryptedSuffix)
	for _, k := range keys {
		if k.name == name || (enc && k.secret && k.name == base) {
			return true
		}
	}
	return false
}

func intKey(name string, def, lo, hi int, field func(*Config) *int) key {
	return key{name: name, def: constant(strconv.Itoa(def)), set: intSetter(lo, hi, field)}
}

func intSetter(lo, hi int, field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("not a whole number")
		}
		if n < lo || n > hi {
			return fmt.Errorf("must be between %d and %d", lo, hi)
		}
		*field(c) = n
		return nil
	}
}

// durationKey parses Go durations ("90s", "30m", "12h"); a bare "0" is
// allowed because it reads naturally for "dialect default". hi == 0 means
// no upper bound.
func durationKey(name, def string, lo, hi time.Duration, field func(*Config) *time.Duration) key {
	return key{name: name, def: constant(def), set: func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return errors.New("not a duration (like 90s, 30m or 12h)")
		}
		if d < 0 {
			return errors.New("must not be negative")
		}
		if d < lo || (hi > 0 && d > hi) {
			if hi > 0 {
				return fmt.Errorf("must be between %s and %s", lo, hi)
			}
			return fmt.Errorf("must be at least %s", lo)
		}
		*field(c) = d
		return nil
	}}
}

// checkHostPort accepts "host:port" and ":port" with a numeric port
// (0 = any free port, which tests use) and an IP or DNS-name host.
func checkHostPort(v string) error {
	host, port, err := net.SplitHostPort(v)
	if err != nil {
		return errors.New("not a host:port")
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 || strings.HasPrefix(port, "+") {
		return errors.New("port must be a number from 0 to 65535")
	}
	if host != "" && !validHost(host) {
		return errors.New("not a valid host name or IP address")
	}
	return nil
}

func splitAddr(v string) (host, port string) {
	h, p, err := net.SplitHostPort(v)
	if err != nil {
		return v, ""
	}
	return strings.ToLower(h), p
}

func validHost(h string) bool {
	if _, err := netip.ParseAddr(h); err == nil {
		return true
	}
	return hostname.Valid(h)
}

func parseBaseURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return "", errors.New("not an absolute http:// or https:// URL")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(v, "?#") {
		return "", errors.New("must not have a query or fragment")
	}
	if u.User != nil {
		return "", errors.New("must not contain a user name or password")
	}
	if u.Path != "" && u.Path != "/" {
		// Routes and cookies are rooted at "/"; serving under a sub-path
		// would silently produce broken links, so refuse it up front.
		return "", errors.New("must not have a path (LostInNL is served at the root of its host)")
	}
	if !validHost(u.Hostname()) {
		return "", errors.New("not a valid host name")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "", errors.New("port must be a number from 1 to 65535")
		}
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host), nil
}

// parseDatabaseURL accepts "sqlite:PATH" (also "sqlite://PATH") and
// "mysql://DSN" where DSN is go-sql-driver/mysql's format. Messages never
// echo the value: it may hold a password.
func parseDatabaseURL(v string) (string, error) {
	switch {
	case strings.HasPrefix(v, "sqlite:"):
		p := strings.TrimPrefix(strings.TrimPrefix(v, "sqlite:"), "//")
		if p == "" {
			return "", errors.New("sqlite: needs a file path, like sqlite:/var/lib/lostinnl/lostinnl.db")
		}
		return "sqlite:" + p, nil
	case strings.HasPrefix(v, "mysql://"):
		dsn := strings.TrimPrefix(v, "mysql://")
		cfg, err := mysql.ParseDSN(dsn)
		if err != nil {
			// The driver's messages may quote parts of the DSN; cut out
			// the user:password part before showing them.
			return "", fmt.Errorf("not a valid MySQL address (want mysql://user:pass@tcp(host:3306)/dbname): %s",
				scrub(err.Error(), dsn, mysqlUserInfo(dsn), mysqlPasswordPart(dsn)))
		}
		if cfg.DBName == "" {
			return "", errors.New("MySQL address has no database name (want mysql://user:pass@tcp(host:3306)/dbname)")
		}
		return v, nil
	}
	return "", errors.New("want sqlite:PATH or mysql://user:pass@tcp(host:3306)/dbname")
}

// mysqlUserInfo returns the "user:pass" part of a go-sql-driver DSN, found
// the way the driver finds it (last '@' before the last '/').
func mysqlUserInfo(dsn string) string {
	slash := strings.LastIndex(dsn, "/")
	if slash < 0 {
		slash = len(dsn)
	}
	at := strings.LastIndex(dsn[:slash], "@")
	if at < 0 {
		return ""
	}
	return dsn[:at]
}

// mysqlPasswordPart is the text after the first ':' of the user info.
func mysqlPasswordPart(dsn string) string {
	_, pw, _ := strings.Cut(mysqlUserInfo(dsn), ":")
	return pw
}

// mysqlPassword returns the password of a mysql:// database URL, or "".
func mysqlPassword(v string) string {
	dsn, ok := strings.CutPrefix(v, "mysql://")
	if !ok {
		return ""
	}
	if cfg, err := mysql.ParseDSN(dsn); err == nil {
		return cfg.Passwd
	}
	return ""
}

func parseMediaURL(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil {
		return "", errors.New("not a URL (want file:///dir, s3://bucket?region=... or mem://)")
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", errors.New("file:// URL must name a local directory, like file:///var/lib/lostinnl/media")
		}
		if u.Path == "" || !strings.HasPrefix(u.Path, "/") {
			return "", errors.New("file:// URL needs an absolute directory path, like file:///var/lib/lostinnl/media")
		}
	case "s3":
		if u.Host == "" {
			return "", errors.New("s3:// URL needs a bucket name, like s3://my-bucket?region=ca-central-1")
		}
	case "mem":
	default:
		return "", errors.New("want a file://, s3:// or mem:// URL")
	}
	return v, nil
}

// parseKeeperURL accepts what secrets.OpenKeeper takes: empty (the local key
// file), or one or more keeper URLs separated by spaces — the first encrypts,
// the others only decrypt (for rotation from an old key to a new one).
func parseKeeperURL(v string) (string, error) {
	urls := strings.Fields(v)
	for i, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return "", fmt.Errorf("keeper %d is not a URL (want awskms://, base64key:// or keyfile:///path; empty for the local key file)", i+1)
		}
		switch u.Scheme {
		case "awskms", "base64key", "keyfile":
		default:
			return "", fmt.Errorf("keeper %d: want an awskms://, base64key:// or keyfile:///path URL (empty for the local key file)", i+1)
		}
	}
	return strings.Join(urls, " "), nil
}

// parseSMTPURL checks LOSTINNL_SMTP_URL with the rules internal/mail
// connects by (smtpurl.Parse): STARTTLS required unless ?tls=none on a
// loopback host, or smtps://. Its errors never echo the value.
func parseSMTPURL(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	if _, err := smtpurl.Parse(v); err != nil {
		return "", err
	}
	return v, nil
}

// defaultMailFrom is alerts@ the base URL's host.
func defaultMailFrom(c *Config) string {
	host := "localhost"
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" && !strings.Contains(u.Hostname(), ":") {
		host = u.Hostname()
	}
	return "alerts@" + host
}

// parseMailFrom takes an address, optionally with a display name
// ("LostInNL Alerts <alerts@example.ca>"). It becomes the From header of
// every message, so line breaks are refused outright.
func parseMailFrom(v string) (string, error) {
	if strings.ContainsAny(v, "\r\n\x00") {
		return "", errors.New("contains a line break")
	}
	if len(v) > 320 {
		return "", errors.New("longer than 320 characters")
	}
	a, err := mail.ParseAddress(v)
	if err != nil {
		return "", fmt.Errorf("not an email address like alerts@example.ca: %s", quoteShort(v))
	}
	if !strings.Contains(a.Address, "@") || strings.HasPrefix(a.Address, "@") || strings.HasSuffix(a.Address, "@") {
		return "", fmt.Errorf("not an email address like alerts@example.ca: %s", quoteShort(v))
	}
	return strings.TrimSpace(v), nil
}

// parsePrefixes reads comma-separated IPs and CIDRs. A bare IP becomes a
// single-address prefix; host bits in a CIDR are masked off (10.1.2.3/8
// means 10.0.0.0/8); IPv4-mapped IPv6 is unmapped so it matches the IPv4
// peers net/http reports.
func parsePrefixes(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(part, "/") {
			pp, err := netip.ParsePrefix(part)
			if err != nil {
				return nil, fmt.Errorf("not an IP address or CIDR: %s", quoteShort(part))
			}
			if pp.Addr().Is4In6() && pp.Bits() >= 96 {
				pp = netip.PrefixFrom(pp.Addr().Unmap(), pp.Bits()-96)
			}
			p = pp.Masked()
		} else {
			a, err := netip.ParseAddr(part)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("not an IP address or CIDR: %s", quoteShort(part))
			}
			a = a.Unmap()
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out, nil
}

func parseDomains(v string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, part := range strings.Split(v, ",") {
		d := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(part), "."))
		if d == "" {
			continue
		}
		if strings.HasPrefix(d, "*.") {
			return nil, fmt.Errorf("wildcard names need DNS-01 validation, which is not supported: %s", quoteShort(d))
		}
		if _, err := netip.ParseAddr(d); err == nil {
			return nil, fmt.Errorf("certificates are issued for names, not IP addresses: %s", quoteShort(d))
		}
		if !hostname.Valid(d) {
			return nil, fmt.Errorf("not a valid domain name: %s", quoteShort(d))
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out, nil
}

// parseACMEDirectory wants https, except on loopback where test CAs (pebble)
// may be reached over plain http.
func parseACMEDirectory(v string) (string, error) {
	u, err := url.Parse(v)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", errors.New("not an absolute https:// URL")
	}
	if u.Scheme == "http" {
		h := u.Hostname()
		a, err := netip.ParseAddr(h)
		if h != "localhost" && (err != nil || !a.IsLoopback()) {
			return "", errors.New("must be https:// (plain http only for a loopback test CA)")
		}
	}
	return v, nil
}
