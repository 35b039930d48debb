package config

import (
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const redactedMark = "REDACTED"

type entry struct{ key, value string }

// entries renders every key for display, with secret parts replaced.
func (c *Config) entries() []entry {
	prox := make([]string, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		prox[i] = p.String()
	}
	ops := c.OpsAddr
	if ops == "" {
		ops = "off"
	}
	dur := func(d time.Duration) string { return d.String() }
	return []entry{
		{"LOSTINNL_ADDR", c.Addr},
		{"LOSTINNL_OPS_ADDR", ops},
		{"LOSTINNL_BASE_URL", c.BaseURL},
		{"LOSTINNL_DATA_DIR", c.DataDir},
		{"LOSTINNL_DATABASE_URL", c.redactedValue("LOSTINNL_DATABASE_URL", c.DatabaseURL)},
		{"LOSTINNL_MEDIA_URL", c.redactedValue("LOSTINNL_MEDIA_URL", c.MediaURL)},
		{"LOSTINNL_SECRETS_KEEPER", c.redactedValue("LOSTINNL_SECRETS_KEEPER", c.SecretsKeeper)},
		{"LOSTINNL_SMTP_URL", c.redactedValue("LOSTINNL_SMTP_URL", c.SMTPURL)},
		{"LOSTINNL_MAIL_FROM", c.MailFrom},
		{"LOSTINNL_MAIL_RATE", strconv.Itoa(c.MailRate)},
		{"LOSTINNL_TRUSTED_PROXIES", strings.Join(prox, ",")},
		{"LOSTINNL_LOG_FORMAT", c.LogFormat},
		{"LOSTINNL_LOG_LEVEL", strings.ToLower(c.LogLevel.String())},
		{"LOSTINNL_DB_MAX_OPEN_CONNS", strconv.Itoa(c.DBMaxOpenConns)},
		{"LOSTINNL_DB_MAX_IDLE_CONNS", strconv.Itoa(c.DBMaxIdleConns)},
		{"LOSTINNL_DB_CONN_MAX_LIFETIME", dur(c.DBConnMaxLifetime)},
		{"LOSTINNL_DB_CONN_MAX_IDLE_TIME", dur(c.DBConnMaxIdleTime)},
		{"LOSTINNL_SHUTDOWN_TIMEOUT", dur(c.ShutdownTimeout)},
		{"LOSTINNL_FORM_RATE_LIMIT", strconv.Itoa(c.FormRateLimit)},
		{"LOSTINNL_FORM_RATE_BURST", strconv.Itoa(c.FormRateBurst)},
		{"LOSTINNL_MAX_UPLOAD_MB", strconv.Itoa(c.MaxUploadMB)},
		{"LOSTINNL_IMAGE_CONCURRENCY", strconv.Itoa(c.ImageConcurrency)},
		{"LOSTINNL_PAGE_CACHE_MB", strconv.Itoa(c.PageCacheMB)},
		{"LOSTINNL_LOCATED_RETENTION_DAYS", strconv.Itoa(c.LocatedRetentionDays)},
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", strconv.Itoa(c.LocatedPublicDays)},
		{"LOSTINNL_PENDING_RETENTION_DAYS", strconv.Itoa(c.PendingRetentionDays)},
		{"LOSTINNL_REJECTED_RETENTION_DAYS", strconv.Itoa(c.RejectedRetentionDays)},
		{"LOSTINNL_TIP_RETENTION_DAYS", strconv.Itoa(c.TipRetentionDays)},
		{"LOSTINNL_MESSAGE_RETENTION_DAYS", strconv.Itoa(c.MessageRetentionDays)},
		{"LOSTINNL_SESSION_IDLE_TIMEOUT", dur(c.SessionIdleTimeout)},
		{"LOSTINNL_SESSION_LIFETIME", dur(c.SessionLifetime)},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", strconv.Itoa(c.LoginIPMaxFailures)},
		{"LOSTINNL_LOGIN_IP_WINDOW", dur(c.LoginIPWindow)},
		{"LOSTINNL_TLS_DOMAINS", strings.Join(c.TLSDomains, ",")},
		{"LOSTINNL_TLS_ADDR", c.TLSAddr},
		{"LOSTINNL_ACME_DIRECTORY", c.ACMEDirectory},
		{"LOSTINNL_MEDIA_PRESIGN", strconv.FormatBool(c.MediaPresign)},
		{"LOSTINNL_MIN_FREE_DISK_MB", strconv.Itoa(c.MinFreeDiskMB)},
		{"LOSTINNL_DRAIN_DELAY", dur(c.DrainDelay)},
		{"LOSTINNL_DATABASE_CA_FILE", c.DatabaseCAFile},
		{"LOSTINNL_MAP_TILES", c.MapTiles},
	}
}

// redactedValue shows a secret-bearing value with its secret parts replaced.
// A value that arrived encrypted is hidden whole (only its scheme is shown),
// since the operator chose to keep all of it out of plain sight.
func (c *Config) redactedValue(name, v string) string {
	if v == "" {
		if _, pending := c.pending[name]; pending {
			return "(encrypted, not yet decrypted)"
		}
		return ""
	}
	if c.decrypted[name] {
		scheme, _, _ := strings.Cut(v, ":")
		return scheme + ":" + redactedMark
	}
	switch {
	case strings.HasPrefix(v, "sqlite:"):
		return v
	case strings.HasPrefix(v, "mysql://"):
		dsn := strings.TrimPrefix(v, "mysql://")
		ui := mysqlUserInfo(dsn)
		if user, _, hasPw := strings.Cut(ui, ":"); hasPw {
			return "mysql://" + user + ":" + redactedMark + dsn[len(ui):]
		}
		return v
	case name == "LOSTINNL_SECRETS_KEEPER":
		// A base64key:// URL is the key itself.
		parts := strings.Fields(v)
		for i, p := range parts {
			if strings.HasPrefix(p, "base64key:") {
				parts[i] = "base64key://" + redactedMark
			}
		}
		return strings.Join(parts, " ")
	}
	u, err := url.Parse(v)
	if err != nil {
		return redactedMark
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), redactedMark)
		}
	}
	if q := u.Query(); len(q) > 0 {
		changed := false
		for k := range q {
			if sensitiveParam(k) {
				q.Set(k, redactedMark)
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	return u.String()
}

// sensitiveParam guesses whether a URL query parameter carries a credential.
func sensitiveParam(k string) bool {
	k = strings.ToLower(k)
	for _, w := range []string{"secret", "password", "passwd", "token", "key", "credential", "signature", "session"} {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// Redacted renders the configuration as KEY=VALUE lines with every secret
// replaced by REDACTED. Safe to print and to log.
func (c *Config) Redacted() string {
	var b strings.Builder
	for _, e := range c.entries() {
		b.WriteString(e.key)
		b.WriteByte('=')
		b.WriteString(e.value)
		b.WriteByte('\n')
	}
	return b.String()
}

// String is Redacted, so a stray fmt.Print(cfg) cannot leak a secret.
func (c *Config) String() string { return c.Redacted() }

// GoString is Redacted too, for %#v.
func (c *Config) GoString() string { return c.Redacted() }

// LogValue makes slog.Any("config", cfg) log the redacted values.
func (c *Config) LogValue() slog.Value {
	es := c.entries()
	attrs := make([]slog.Attr, len(es))
	for i, e := range es {
		attrs[i] = slog.String(e.key, e.value)
	}
	return slog.GroupValue(attrs...)
}

// SecretValues returns every secret string in the configuration (whole
// secret-bearing values and the passwords and keys inside them), for the log
// redactor to scrub from any line that would contain one.
func (c *Config) SecretValues() []string {
	seen := map[string]bool{}
	var out []string
	add := func(vs ...string) {
		for _, v := range vs {
			if v != "" && !seen[v] {
				seen[v] = true
				out = append(out, v)
			}
		}
	}
	urlSecrets := func(v string) {
		u, err := url.Parse(v)
		if err != nil || u.User == nil {
			return
		}
		if pw, ok := u.User.Password(); ok {
			add(v, pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	}
	if strings.HasPrefix(c.DatabaseURL, "mysql://") {
		if pw := mysqlPassword(c.DatabaseURL); pw != "" {
			add(c.DatabaseURL, strings.TrimPrefix(c.DatabaseURL, "mysql://"), pw)
		}
	}
	if c.decrypted["LOSTINNL_DATABASE_URL"] {
		add(c.DatabaseURL)
	}
	urlSecrets(c.SMTPURL)
	add(c.SMTPURL)
	urlSecrets(c.MediaURL)
	if c.decrypted["LOSTINNL_MEDIA_URL"] {
		add(c.MediaURL)
	}
	if u, err := url.Parse(c.MediaURL); err == nil {
		for k, vs := range u.Query() {
			if sensitiveParam(k) {
				add(c.MediaURL)
				add(vs...)
			}
		}
	}
	for _, p := range strings.Fields(c.SecretsKeeper) {
		if k, ok := strings.CutPrefix(p, "base64key://"); ok {
			add(p, k)
		}
	}
	return out
}
