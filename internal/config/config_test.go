package config

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/mail/smtpurl"
)

// env is a test lookup: a map, never the process environment.
func env(kv ...string) LookupFunc {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func mustLoad(t *testing.T, lookup LookupFunc) *Config {
	t.Helper()
	c, err := Load(lookup, "")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return c
}

func TestDefaults(t *testing.T) {
	c := mustLoad(t, env())
	absMedia, _ := filepath.Abs("data/media")
	want := map[string]any{
		"Addr":                 ":8080",
		"OpsAddr":              "127.0.0.1:9090",
		"BaseURL":              "http://localhost:8080",
		"DataDir":              "data",
		"DatabaseURL":          "sqlite:data/lostinnl.db",
		"MediaURL":             "file://" + filepath.ToSlash(absMedia),
		"SecretsKeeper":        "",
		"SMTPURL":              "",
		"MailFrom":             "alerts@localhost",
		"MailRate":             100,
		"LogFormat":            "text",
		"LogLevel":             slog.LevelInfo,
		"DBMaxOpenConns":       0,
		"DBMaxIdleConns":       0,
		"DBConnMaxLifetime":    time.Duration(0),
		"DBConnMaxIdleTime":    time.Duration(0),
		"ShutdownTimeout":      20 * time.Second,
		"FormRateLimit":        10,
		"FormRateBurst":        5,
		"MaxUploadMB":          10,
		"ImageConcurrency":     runtime.NumCPU(),
		"PageCacheMB":          20,
		"LocatedRetentionDays": 30,
		"SessionIdleTimeout":   30 * time.Minute,
		"SessionLifetime":      12 * time.Hour,
		"ACMEDirectory":        DefaultACMEDirectory,
		"MediaPresign":         false,
		"MinFreeDiskMB":        256,
		"DrainDelay":           time.Duration(0),
		"DatabaseCAFile":       "",
		"MapTiles":             "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
	}
	v := reflect.ValueOf(c).Elem()
	for field, w := range want {
		if got := v.FieldByName(field).Interface(); !reflect.DeepEqual(got, w) {
			t.Errorf("%s = %#v, want %#v", field, got, w)
		}
	}
	if len(c.TrustedProxies) != 0 || len(c.TLSDomains) != 0 {
		t.Errorf("TrustedProxies=%v TLSDomains=%v, want none", c.TrustedProxies, c.TLSDomains)
	}
	if c.MaxUploadBytes() != 10<<20 || c.LocatedRetention() != 30*24*time.Hour || c.DatabaseDialect() != "sqlite" {
		t.Errorf("helpers: %d %s %q", c.MaxUploadBytes(), c.LocatedRetention(), c.DatabaseDialect())
	}
}

func TestDataDirMovesDefaults(t *testing.T) {
	c := mustLoad(t, env("LOSTINNL_DATA_DIR", "/var/lib/lostinnl/"))
	if c.DataDir != "/var/lib/lostinnl" || c.DatabaseURL != "sqlite:/var/lib/lostinnl/lostinnl.db" ||
		c.MediaURL != "file:///var/lib/lostinnl/media" {
		t.Errorf("got %q %q %q", c.DataDir, c.DatabaseURL, c.MediaURL)
	}
}

// TestKeyValues checks, for every key, accepted values and the field they set.
func TestKeyValues(t *testing.T) {
	type tc struct {
		key, val string
		field    string
		want     any
	}
	cases := []tc{
		{"LOSTINNL_ADDR", "127.0.0.1:8080", "Addr", "127.0.0.1:8080"},
		{"LOSTINNL_TLS_ADDR", "127.0.0.1:8443", "TLSAddr", "127.0.0.1:8443"},
		{"LOSTINNL_ADDR", "[::1]:0", "Addr", "[::1]:0"},
		{"LOSTINNL_ADDR", "app.internal:80", "Addr", "app.internal:80"},
		{"LOSTINNL_OPS_ADDR", "off", "OpsAddr", ""},
		{"LOSTINNL_OPS_ADDR", "OFF", "OpsAddr", ""},
		{"LOSTINNL_OPS_ADDR", "0.0.0.0:9100", "OpsAddr", "0.0.0.0:9100"},
		{"LOSTINNL_BASE_URL", "https://MissingPersons.example.ca/", "BaseURL", "https://missingpersons.example.ca"},
		{"LOSTINNL_BASE_URL", "http://127.0.0.1:8080", "BaseURL", "http://127.0.0.1:8080"},
		{"LOSTINNL_BASE_URL", "https://[::1]:8443", "BaseURL", "https://[::1]:8443"},
		{"LOSTINNL_DATA_DIR", "/srv/lostinnl/../data", "DataDir", "/srv/data"},
		{"LOSTINNL_DATA_DIR", "Données NL", "DataDir", "Données NL"},
		{"LOSTINNL_DATABASE_URL", "sqlite:/tmp/x.db", "DatabaseURL", "sqlite:/tmp/x.db"},
		{"LOSTINNL_DATABASE_URL", "sqlite:///tmp/x.db", "DatabaseURL", "sqlite:/tmp/x.db"},
		{"LOSTINNL_DATABASE_URL", "sqlite:rel.db", "DatabaseURL", "sqlite:rel.db"},
		{"LOSTINNL_DATABASE_URL", "mysql://app:s3cr#t@tcp(db:3306)/lostinnl?tls=true", "DatabaseURL", "mysql://app:s3cr#t@tcp(db:3306)/lostinnl?tls=true"},
		{"LOSTINNL_MEDIA_URL", "s3://bucket?region=ca-central-1", "MediaURL", "s3://bucket?region=ca-central-1"},
		{"LOSTINNL_MEDIA_URL", "file:///srv/media", "MediaURL", "file:///srv/media"},
		{"LOSTINNL_MEDIA_URL", "mem://", "MediaURL", "mem://"},
		{"LOSTINNL_SECRETS_KEEPER", "awskms://alias/lostinnl?region=ca-central-1", "SecretsKeeper", "awskms://alias/lostinnl?region=ca-central-1"},
		{"LOSTINNL_SECRETS_KEEPER", "base64key://smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4=", "SecretsKeeper", "base64key://smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4="},
		{"LOSTINNL_SECRETS_KEEPER", "  awskms://alias/new?region=ca-central-1   keyfile:///var/lib/lostinnl/secret.key ", "SecretsKeeper", "awskms://alias/new?region=ca-central-1 keyfile:///var/lib/lostinnl/secret.key"},
		{"LOSTINNL_SMTP_URL", "smtps://mail:pw@smtp.example.ca:465", "SMTPURL", "smtps://mail:pw@smtp.example.ca:465"},
		{"LOSTINNL_SMTP_URL", "smtp://127.0.0.1:2525?tls=none", "SMTPURL", "smtp://127.0.0.1:2525?tls=none"},
		{"LOSTINNL_MAIL_FROM", "LostInNL Alerts <alerts@missingpersons.example.ca>", "MailFrom", "LostInNL Alerts <alerts@missingpersons.example.ca>"},
		{"LOSTINNL_MAIL_RATE", "1", "MailRate", 1},
		{"LOSTINNL_MAIL_RATE", "14", "MailRate", 14},
		{"LOSTINNL_MAIL_RATE", "100000", "MailRate", 100000},
		{"LOSTINNL_TRUSTED_PROXIES", "127.0.0.1/32, ::1 ,10.1.2.3/8,", "TrustedProxies",
			[]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("::1/128"), netip.MustParsePrefix("10.0.0.0/8")}},
		{"LOSTINNL_TRUSTED_PROXIES", "::ffff:192.0.2.1", "TrustedProxies", []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32")}},
		{"LOSTINNL_TRUSTED_PROXIES", "::ffff:192.0.2.0/120", "TrustedProxies", []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}},
		{"LOSTINNL_LOG_FORMAT", "JSON", "LogFormat", "json"},
		{"LOSTINNL_LOG_LEVEL", "debug", "LogLevel", slog.LevelDebug},
		{"LOSTINNL_LOG_LEVEL", "WARN", "LogLevel", slog.LevelWarn},
		{"LOSTINNL_LOG_LEVEL", "error", "LogLevel", slog.LevelError},
		{"LOSTINNL_DB_MAX_OPEN_CONNS", "25", "DBMaxOpenConns", 25},
		{"LOSTINNL_DB_MAX_IDLE_CONNS", "0", "DBMaxIdleConns", 0},
		{"LOSTINNL_DB_CONN_MAX_LIFETIME", "5m", "DBConnMaxLifetime", 5 * time.Minute},
		{"LOSTINNL_DB_CONN_MAX_IDLE_TIME", "90s", "DBConnMaxIdleTime", 90 * time.Second},
		{"LOSTINNL_SHUTDOWN_TIMEOUT", "1m30s", "ShutdownTimeout", 90 * time.Second},
		{"LOSTINNL_FORM_RATE_LIMIT", "1000", "FormRateLimit", 1000},
		{"LOSTINNL_FORM_RATE_BURST", "1", "FormRateBurst", 1},
		{"LOSTINNL_MAX_UPLOAD_MB", "100", "MaxUploadMB", 100},
		{"LOSTINNL_IMAGE_CONCURRENCY", "3", "ImageConcurrency", 3},
		{"LOSTINNL_PAGE_CACHE_MB", "0", "PageCacheMB", 0},
		{"LOSTINNL_PAGE_CACHE_MB", "4096", "PageCacheMB", 4096},
		{"LOSTINNL_LOCATED_RETENTION_DAYS", "0", "LocatedRetentionDays", 0},
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", "1", "LocatedPublicDays", 1},
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", "36500", "LocatedPublicDays", 36500},
		{"LOSTINNL_PENDING_RETENTION_DAYS", "1", "PendingRetentionDays", 1},
		{"LOSTINNL_PENDING_RETENTION_DAYS", "36500", "PendingRetentionDays", 36500},
		{"LOSTINNL_REJECTED_RETENTION_DAYS", "7", "RejectedRetentionDays", 7},
		{"LOSTINNL_TIP_RETENTION_DAYS", "730", "TipRetentionDays", 730},
		{"LOSTINNL_MESSAGE_RETENTION_DAYS", "90", "MessageRetentionDays", 90},
		{"LOSTINNL_SESSION_IDLE_TIMEOUT", "1h", "SessionIdleTimeout", time.Hour},
		{"LOSTINNL_SESSION_LIFETIME", "720h", "SessionLifetime", 720 * time.Hour},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "1", "LoginIPMaxFailures", 1},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "100000", "LoginIPMaxFailures", 100000},
		{"LOSTINNL_LOGIN_IP_WINDOW", "1m", "LoginIPWindow", time.Minute},
		{"LOSTINNL_LOGIN_IP_WINDOW", "24h", "LoginIPWindow", 24 * time.Hour},
		{"LOSTINNL_TLS_DOMAINS", "Example.ca, www.example.ca., example.ca", "TLSDomains", []string{"example.ca", "www.example.ca"}},
		{"LOSTINNL_ACME_DIRECTORY", "https://127.0.0.1:14000/dir", "ACMEDirectory", "https://127.0.0.1:14000/dir"},
		{"LOSTINNL_ACME_DIRECTORY", "http://localhost:14000/dir", "ACMEDirectory", "http://localhost:14000/dir"},
		{"LOSTINNL_MEDIA_PRESIGN", "false", "MediaPresign", false},
		{"LOSTINNL_MEDIA_PRESIGN", "0", "MediaPresign", false},
		{"LOSTINNL_MIN_FREE_DISK_MB", "0", "MinFreeDiskMB", 0},
		{"LOSTINNL_MIN_FREE_DISK_MB", "1048576", "MinFreeDiskMB", 1 << 20},
		{"LOSTINNL_DRAIN_DELAY", "10s", "DrainDelay", 10 * time.Second},
		{"LOSTINNL_DRAIN_DELAY", "5m", "DrainDelay", 5 * time.Minute},
		{"LOSTINNL_DRAIN_DELAY", "0", "DrainDelay", time.Duration(0)},
		{"LOSTINNL_DATABASE_CA_FILE", "/etc/ssl/rds//global-bundle.pem", "DatabaseCAFile", "/etc/ssl/rds/global-bundle.pem"},
		{"LOSTINNL_MAP_TILES", "https://tiles.example.ca/osm/{z}/{x}/{y}{r}.png?key=k1", "MapTiles", "https://tiles.example.ca/osm/{z}/{x}/{y}{r}.png?key=k1"},
		{"LOSTINNL_MAP_TILES", "http://127.0.0.1:8081/{z}/{x}/{y}.png", "MapTiles", "http://127.0.0.1:8081/{z}/{x}/{y}.png"},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.key] = true
		t.Run(tc.key+"="+tc.val, func(t *testing.T) {
			c, err := Load(env(tc.key, tc.val), "")
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			got := reflect.ValueOf(c).Elem().FieldByName(tc.field).Interface()
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s = %#v, want %#v", tc.field, got, tc.want)
			}
		})
	}
	for _, k := range KeyNames() {
		if !covered[k] {
			t.Errorf("no accepted-value case for %s", k)
		}
	}
}

// TestKeyErrors checks each key's error messages, including hostile values.
func TestKeyErrors(t *testing.T) {
	long := strings.Repeat("é", 100)
	cases := []struct{ key, val, want string }{
		{"LOSTINNL_ADDR", "abc", `LOSTINNL_ADDR: not a host:port: "abc"`},
		{"LOSTINNL_TLS_ADDR", "443", `LOSTINNL_TLS_ADDR: not a host:port: "443"`},
		{"LOSTINNL_ADDR", "8080", `LOSTINNL_ADDR: not a host:port: "8080"`},
		{"LOSTINNL_ADDR", ":http", `LOSTINNL_ADDR: port must be a number from 0 to 65535: ":http"`},
		{"LOSTINNL_ADDR", ":70000", `LOSTINNL_ADDR: port must be a number from 0 to 65535: ":70000"`},
		{"LOSTINNL_ADDR", ":-1", `LOSTINNL_ADDR: port must be a number from 0 to 65535: ":-1"`},
		{"LOSTINNL_ADDR", ":+80", `LOSTINNL_ADDR: port must be a number from 0 to 65535: ":+80"`},
		{"LOSTINNL_ADDR", "bad_host!:80", `LOSTINNL_ADDR: not a valid host name or IP address: "bad_host!:80"`},
		{"LOSTINNL_ADDR", ":80\n\x1b[31mFAKE", `LOSTINNL_ADDR: contains control characters: ":80\n\x1b[31mFAKE"`},
		{"LOSTINNL_ADDR", "\x00", `LOSTINNL_ADDR: contains control characters: "\x00"`},
		{"LOSTINNL_ADDR", "a\xffb", `LOSTINNL_ADDR: is not valid UTF-8: "a\xffb"`},
		{"LOSTINNL_ADDR", long, `LOSTINNL_ADDR: not a host:port: "` + strings.Repeat("é", 40) + `"…`},
		{"LOSTINNL_OPS_ADDR", "localhost", `LOSTINNL_OPS_ADDR: not a host:port: "localhost"`},
		{"LOSTINNL_BASE_URL", "localhost:8080", `LOSTINNL_BASE_URL: not an absolute http:// or https:// URL: "localhost:8080"`},
		{"LOSTINNL_BASE_URL", "/cases", `LOSTINNL_BASE_URL: not an absolute http:// or https:// URL: "/cases"`},
		{"LOSTINNL_BASE_URL", "ftp://example.ca", `LOSTINNL_BASE_URL: not an absolute http:// or https:// URL: "ftp://example.ca"`},
		{"LOSTINNL_BASE_URL", "javascript:alert(1)", `LOSTINNL_BASE_URL: not an absolute http:// or https:// URL: "javascript:alert(1)"`},
		{"LOSTINNL_BASE_URL", "https://example.ca/?x=1", `LOSTINNL_BASE_URL: must not have a query or fragment: "https://example.ca/?x=1"`},
		{"LOSTINNL_BASE_URL", "https://example.ca?", `LOSTINNL_BASE_URL: must not have a query or fragment: "https://example.ca?"`},
		{"LOSTINNL_BASE_URL", "https://example.ca/#top", `LOSTINNL_BASE_URL: must not have a query or fragment: "https://example.ca/#top"`},
		{"LOSTINNL_BASE_URL", "https://u:p@example.ca", `LOSTINNL_BASE_URL: must not contain a user name or password: "https://u:p@example.ca"`},
		{"LOSTINNL_BASE_URL", "https://example.ca/nl", `LOSTINNL_BASE_URL: must not have a path (LostInNL is served at the root of its host): "https://example.ca/nl"`},
		{"LOSTINNL_BASE_URL", "https://exa mple.ca", `LOSTINNL_BASE_URL: not an absolute http:// or https:// URL: "https://exa mple.ca"`},
		{"LOSTINNL_BASE_URL", "https://<script>/", `LOSTINNL_BASE_URL: not a valid host name: "https://<script>/"`},
		{"LOSTINNL_BASE_URL", "https://example.ca:99999", `LOSTINNL_BASE_URL: port must be a number from 1 to 65535: "https://example.ca:99999"`},
		{"LOSTINNL_DATA_DIR", "data\x00/x", `LOSTINNL_DATA_DIR: contains control characters: "data\x00/x"`},
		{"LOSTINNL_DATABASE_URL", "postgres://u:hunter22@db/x", `LOSTINNL_DATABASE_URL: want sqlite:PATH or mysql://user:pass@tcp(host:3306)/dbname`},
		{"LOSTINNL_DATABASE_URL", "sqlite:", `LOSTINNL_DATABASE_URL: sqlite: needs a file path, like sqlite:/var/lib/lostinnl/lostinnl.db`},
		{"LOSTINNL_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)", `LOSTINNL_DATABASE_URL: not a valid MySQL address (want mysql://user:pass@tcp(host:3306)/dbname): invalid DSN: missing the slash separating the database name`},
		{"LOSTINNL_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306)/", `LOSTINNL_DATABASE_URL: MySQL address has no database name (want mysql://user:pass@tcp(host:3306)/dbname)`},
		{"LOSTINNL_DATABASE_URL", "mysql://u:hunter22@tcp(db:3306/x", `LOSTINNL_DATABASE_URL: not a valid MySQL address (want mysql://user:pass@tcp(host:3306)/dbname): invalid DSN: network address not terminated (missing closing brace)`},
		{"LOSTINNL_DATABASE_URL", "mysql://u:hunter22@tcp(db)/x?parseTime=hunter22", `LOSTINNL_DATABASE_URL: not a valid MySQL address (want mysql://user:pass@tcp(host:3306)/dbname): invalid bool value: [redacted]`},
		{"LOSTINNL_DATABASE_URL", "sqlite:/x\nhunter22", `LOSTINNL_DATABASE_URL: contains control characters`},
		{"LOSTINNL_MEDIA_URL", "http://example.ca/media", `LOSTINNL_MEDIA_URL: want a file://, s3:// or mem:// URL`},
		{"LOSTINNL_MEDIA_URL", "file://relative/dir", `LOSTINNL_MEDIA_URL: file:// URL must name a local directory, like file:///var/lib/lostinnl/media`},
		{"LOSTINNL_MEDIA_URL", "file://", `LOSTINNL_MEDIA_URL: file:// URL needs an absolute directory path, like file:///var/lib/lostinnl/media`},
		{"LOSTINNL_MAP_TILES", "http://tile.openstreetmap.org/{z}/{x}/{y}.png", `LOSTINNL_MAP_TILES: must be https:// (plain http:// only for a tile server on this machine: localhost, 127.0.0.1 or ::1): "http://tile.openstreetmap.org/{z}/{x}/{y}.png"`},
		{"LOSTINNL_MAP_TILES", "https://tile.openstreetmap.org/tiles.png", `LOSTINNL_MAP_TILES: must contain {z}, {x} and {y}, like https://tile.openstreetmap.org/{z}/{x}/{y}.png: "https://tile.openstreetmap.org/tiles.png"`},
		{"LOSTINNL_MAP_TILES", "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", `LOSTINNL_MAP_TILES: subdomains ({s}) are not supported: name one host, so the Content-Security-Policy can allow exactly it: "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png"`},
		{"LOSTINNL_MAP_TILES", "https://t.example/{z}/{x}/{y}.png; script-src *", `LOSTINNL_MAP_TILES: contains a space, a control or non-ASCII character, or one of " ' < > \ ; , ` + "`" + ` (percent-encode it): "https://t.example/{z}/{x}/{y}.png; script-src *"`},
		{"LOSTINNL_MAP_TILES", "javascript:alert(1)//{z}{x}{y}", `LOSTINNL_MAP_TILES: not an absolute https:// URL, like https://tile.openstreetmap.org/{z}/{x}/{y}.png: "javascript:alert(1)//{z}{x}{y}"`},
		{"LOSTINNL_MAP_TILES", "https://t.example/{z}/{x}/{y}\n", `LOSTINNL_MAP_TILES: contains control characters: "https://t.example/{z}/{x}/{y}\n"`},
		{"LOSTINNL_MEDIA_URL", "s3://", `LOSTINNL_MEDIA_URL: s3:// URL needs a bucket name, like s3://my-bucket?region=ca-central-1`},
		{"LOSTINNL_MEDIA_URL", "s3://%zz", `LOSTINNL_MEDIA_URL: not a URL (want file:///dir, s3://bucket?region=... or mem://)`},
		{"LOSTINNL_SECRETS_KEEPER", "gcpkms://projects/x", `LOSTINNL_SECRETS_KEEPER: keeper 1: want an awskms://, base64key:// or keyfile:///path URL (empty for the local key file)`},
		{"LOSTINNL_SECRETS_KEEPER", "awskms://alias/x hashivault://hunter22", `LOSTINNL_SECRETS_KEEPER: keeper 2: want an awskms://, base64key:// or keyfile:///path URL (empty for the local key file)`},
		{"LOSTINNL_SECRETS_KEEPER", "base64key%zz://hunter22", `LOSTINNL_SECRETS_KEEPER: keeper 1 is not a URL (want awskms://, base64key:// or keyfile:///path; empty for the local key file)`},
		{"LOSTINNL_SMTP_URL", "mail.example.ca:25", `LOSTINNL_SMTP_URL: scheme must be smtp or smtps; ` + smtpurl.Usage},
		{"LOSTINNL_SMTP_URL", "smtp://", `LOSTINNL_SMTP_URL: no host; ` + smtpurl.Usage},
		{"LOSTINNL_SMTP_URL", "smtp://u:hunter22@mail.example.ca?tls=none", `LOSTINNL_SMTP_URL: tls=none is only allowed for a loopback host (the password and the mail would cross the network in clear text); ` + smtpurl.Usage},
		{"LOSTINNL_SMTP_URL", "smtp://u:hunter22@mail.example.ca?auth=xoauth", `LOSTINNL_SMTP_URL: auth= takes plain or login; ` + smtpurl.Usage},
		{"LOSTINNL_MAIL_FROM", "alerts@example.ca\r\nBcc: victim@example.org", `LOSTINNL_MAIL_FROM: contains control characters: "alerts@example.ca\r\nBcc: victim@example.org"`},
		{"LOSTINNL_MAIL_FROM", "not an address", `LOSTINNL_MAIL_FROM: not an email address like alerts@example.ca: "not an address"`},
		{"LOSTINNL_MAIL_FROM", "alerts@", `LOSTINNL_MAIL_FROM: not an email address like alerts@example.ca: "alerts@"`},
		{"LOSTINNL_MAIL_FROM", strings.Repeat("a", 1000) + "@example.ca", `LOSTINNL_MAIL_FROM: longer than 320 characters: "` + strings.Repeat("a", 80) + `"…`},
		{"LOSTINNL_TRUSTED_PROXIES", "127.0.0.1,proxy.local", `LOSTINNL_TRUSTED_PROXIES: not an IP address or CIDR: "proxy.local"`},
		{"LOSTINNL_TRUSTED_PROXIES", "10.0.0.0/33", `LOSTINNL_TRUSTED_PROXIES: not an IP address or CIDR: "10.0.0.0/33"`},
		{"LOSTINNL_TRUSTED_PROXIES", "fe80::1%eth0", `LOSTINNL_TRUSTED_PROXIES: not an IP address or CIDR: "fe80::1%eth0"`},
		{"LOSTINNL_TRUSTED_PROXIES", "*", `LOSTINNL_TRUSTED_PROXIES: not an IP address or CIDR: "*"`},
		{"LOSTINNL_LOG_FORMAT", "xml", `LOSTINNL_LOG_FORMAT: want text or json: "xml"`},
		{"LOSTINNL_LOG_LEVEL", "verbose", `LOSTINNL_LOG_LEVEL: want debug, info, warn or error: "verbose"`},
		{"LOSTINNL_LOG_LEVEL", "-4", `LOSTINNL_LOG_LEVEL: want debug, info, warn or error: "-4"`},
		{"LOSTINNL_DB_MAX_OPEN_CONNS", "-1", `LOSTINNL_DB_MAX_OPEN_CONNS: must be between 0 and 10000: "-1"`},
		{"LOSTINNL_DB_MAX_OPEN_CONNS", "ten", `LOSTINNL_DB_MAX_OPEN_CONNS: not a whole number: "ten"`},
		{"LOSTINNL_DB_MAX_OPEN_CONNS", "99999999999999999999999", `LOSTINNL_DB_MAX_OPEN_CONNS: not a whole number: "99999999999999999999999"`},
		{"LOSTINNL_DB_MAX_IDLE_CONNS", "1.5", `LOSTINNL_DB_MAX_IDLE_CONNS: not a whole number: "1.5"`},
		{"LOSTINNL_DB_CONN_MAX_LIFETIME", "5", `LOSTINNL_DB_CONN_MAX_LIFETIME: not a duration (like 90s, 30m or 12h): "5"`},
		{"LOSTINNL_DB_CONN_MAX_LIFETIME", "-5m", `LOSTINNL_DB_CONN_MAX_LIFETIME: must not be negative: "-5m"`},
		{"LOSTINNL_DB_CONN_MAX_IDLE_TIME", "1d", `LOSTINNL_DB_CONN_MAX_IDLE_TIME: not a duration (like 90s, 30m or 12h): "1d"`},
		{"LOSTINNL_SHUTDOWN_TIMEOUT", "0", `LOSTINNL_SHUTDOWN_TIMEOUT: must be between 1s and 1h0m0s: "0"`},
		{"LOSTINNL_SHUTDOWN_TIMEOUT", "2h", `LOSTINNL_SHUTDOWN_TIMEOUT: must be between 1s and 1h0m0s: "2h"`},
		{"LOSTINNL_SHUTDOWN_TIMEOUT", "9999999999h", `LOSTINNL_SHUTDOWN_TIMEOUT: not a duration (like 90s, 30m or 12h): "9999999999h"`},
		{"LOSTINNL_FORM_RATE_LIMIT", "0", `LOSTINNL_FORM_RATE_LIMIT: must be between 1 and 1000000: "0"`},
		// 0 would never send; "unlimited" is what starves the site.
		{"LOSTINNL_MAIL_RATE", "0", `LOSTINNL_MAIL_RATE: must be between 1 and 100000: "0"`},
		{"LOSTINNL_MAIL_RATE", "-14", `LOSTINNL_MAIL_RATE: must be between 1 and 100000: "-14"`},
		{"LOSTINNL_MAIL_RATE", "100001", `LOSTINNL_MAIL_RATE: must be between 1 and 100000: "100001"`},
		{"LOSTINNL_MAIL_RATE", "14.5", `LOSTINNL_MAIL_RATE: not a whole number: "14.5"`},
		{"LOSTINNL_MAIL_RATE", "14/s", `LOSTINNL_MAIL_RATE: not a whole number: "14/s"`},
		{"LOSTINNL_MAIL_RATE", "99999999999999999999999", `LOSTINNL_MAIL_RATE: not a whole number: "99999999999999999999999"`},
		{"LOSTINNL_MAIL_RATE", "1\r\nX: y", `LOSTINNL_MAIL_RATE: contains control characters: "1\r\nX: y"`},
		{"LOSTINNL_FORM_RATE_BURST", "0x10", `LOSTINNL_FORM_RATE_BURST: not a whole number: "0x10"`},
		{"LOSTINNL_MAX_UPLOAD_MB", "101", `LOSTINNL_MAX_UPLOAD_MB: must be between 1 and 100: "101"`},
		{"LOSTINNL_MAX_UPLOAD_MB", "10MB", `LOSTINNL_MAX_UPLOAD_MB: not a whole number: "10MB"`},
		{"LOSTINNL_IMAGE_CONCURRENCY", "0", `LOSTINNL_IMAGE_CONCURRENCY: must be between 1 and 256: "0"`},
		{"LOSTINNL_PAGE_CACHE_MB", "-1", `LOSTINNL_PAGE_CACHE_MB: must be between 0 and 4096: "-1"`},
		{"LOSTINNL_PAGE_CACHE_MB", "4097", `LOSTINNL_PAGE_CACHE_MB: must be between 0 and 4096: "4097"`},
		{"LOSTINNL_PAGE_CACHE_MB", "20MB", `LOSTINNL_PAGE_CACHE_MB: not a whole number: "20MB"`},
		{"LOSTINNL_LOCATED_RETENTION_DAYS", "-30", `LOSTINNL_LOCATED_RETENTION_DAYS: must be between 0 and 36500: "-30"`},
		// 0 would archive a case the moment it is located, before anyone who shared it could read that the person was found.
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", "0", `LOSTINNL_LOCATED_PUBLIC_DAYS: must be between 1 and 36500: "0"`},
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", "36501", `LOSTINNL_LOCATED_PUBLIC_DAYS: must be between 1 and 36500: "36501"`},
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", "30 days", `LOSTINNL_LOCATED_PUBLIC_DAYS: not a whole number: "30 days"`},
		{"LOSTINNL_LOCATED_PUBLIC_DAYS", "-1", `LOSTINNL_LOCATED_PUBLIC_DAYS: must be between 1 and 36500: "-1"`},
		// 0 would delete a report or tip at the next hourly pass; "never" is not on offer.
		{"LOSTINNL_PENDING_RETENTION_DAYS", "0", `LOSTINNL_PENDING_RETENTION_DAYS: must be between 1 and 36500: "0"`},
		{"LOSTINNL_PENDING_RETENTION_DAYS", "36501", `LOSTINNL_PENDING_RETENTION_DAYS: must be between 1 and 36500: "36501"`},
		{"LOSTINNL_REJECTED_RETENTION_DAYS", "-1", `LOSTINNL_REJECTED_RETENTION_DAYS: must be between 1 and 36500: "-1"`},
		{"LOSTINNL_REJECTED_RETENTION_DAYS", "30d", `LOSTINNL_REJECTED_RETENTION_DAYS: not a whole number: "30d"`},
		{"LOSTINNL_TIP_RETENTION_DAYS", "99999999999999999999", `LOSTINNL_TIP_RETENTION_DAYS: not a whole number: "99999999999999999999"`},
		{"LOSTINNL_TIP_RETENTION_DAYS", "1e3", `LOSTINNL_TIP_RETENTION_DAYS: not a whole number: "1e3"`},
		{"LOSTINNL_MESSAGE_RETENTION_DAYS", "180 ; rm -rf /", `LOSTINNL_MESSAGE_RETENTION_DAYS: not a whole number: "180 ; rm -rf /"`},
		{"LOSTINNL_MESSAGE_RETENTION_DAYS", "0x10", `LOSTINNL_MESSAGE_RETENTION_DAYS: not a whole number: "0x10"`},
		{"LOSTINNL_SESSION_IDLE_TIMEOUT", "30s", `LOSTINNL_SESSION_IDLE_TIMEOUT: must be between 1m0s and 8760h0m0s: "30s"`},
		{"LOSTINNL_SESSION_LIFETIME", "forever", `LOSTINNL_SESSION_LIFETIME: not a duration (like 90s, 30m or 12h): "forever"`},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "0", `LOSTINNL_LOGIN_IP_MAX_FAILURES: must be between 1 and 100000: "0"`},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "-25", `LOSTINNL_LOGIN_IP_MAX_FAILURES: must be between 1 and 100000: "-25"`},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "1e9", `LOSTINNL_LOGIN_IP_MAX_FAILURES: not a whole number: "1e9"`},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "99999999999999999999999", `LOSTINNL_LOGIN_IP_MAX_FAILURES: not a whole number: "99999999999999999999999"`},
		{"LOSTINNL_LOGIN_IP_MAX_FAILURES", "25; DROP TABLE users", `LOSTINNL_LOGIN_IP_MAX_FAILURES: not a whole number: "25; DROP TABLE users"`},
		{"LOSTINNL_LOGIN_IP_WINDOW", "0", `LOSTINNL_LOGIN_IP_WINDOW: must be between 1m0s and 24h0m0s: "0"`},
		{"LOSTINNL_LOGIN_IP_WINDOW", "59s", `LOSTINNL_LOGIN_IP_WINDOW: must be between 1m0s and 24h0m0s: "59s"`},
		{"LOSTINNL_LOGIN_IP_WINDOW", "-5m", `LOSTINNL_LOGIN_IP_WINDOW: must not be negative: "-5m"`},
		{"LOSTINNL_LOGIN_IP_WINDOW", "5", `LOSTINNL_LOGIN_IP_WINDOW: not a duration (like 90s, 30m or 12h): "5"`},
		{"LOSTINNL_LOGIN_IP_WINDOW", "9999999h", `LOSTINNL_LOGIN_IP_WINDOW: not a duration (like 90s, 30m or 12h): "9999999h"`},
		{"LOSTINNL_TLS_DOMAINS", "*.example.ca", `LOSTINNL_TLS_DOMAINS: wildcard names need DNS-01 validation, which is not supported: "*.example.ca"`},
		{"LOSTINNL_TLS_DOMAINS", "192.0.2.1", `LOSTINNL_TLS_DOMAINS: certificates are issued for names, not IP addresses: "192.0.2.1"`},
		{"LOSTINNL_TLS_DOMAINS", "ex ample.ca", `LOSTINNL_TLS_DOMAINS: not a valid domain name: "ex ample.ca"`},
		{"LOSTINNL_TLS_DOMAINS", "-bad.ca", `LOSTINNL_TLS_DOMAINS: not a valid domain name: "-bad.ca"`},
		{"LOSTINNL_ACME_DIRECTORY", "http://acme.example.ca/dir", `LOSTINNL_ACME_DIRECTORY: must be https:// (plain http only for a loopback test CA): "http://acme.example.ca/dir"`},
		{"LOSTINNL_ACME_DIRECTORY", "letsencrypt", `LOSTINNL_ACME_DIRECTORY: not an absolute https:// URL: "letsencrypt"`},
		{"LOSTINNL_MEDIA_PRESIGN", "yes", `LOSTINNL_MEDIA_PRESIGN: want true or false: "yes"`},
		{"LOSTINNL_MIN_FREE_DISK_MB", "-1", `LOSTINNL_MIN_FREE_DISK_MB: must be between 0 and 1048576: "-1"`},
		{"LOSTINNL_MIN_FREE_DISK_MB", "1048577", `LOSTINNL_MIN_FREE_DISK_MB: must be between 0 and 1048576: "1048577"`},
		{"LOSTINNL_MIN_FREE_DISK_MB", "256MB", `LOSTINNL_MIN_FREE_DISK_MB: not a whole number: "256MB"`},
		{"LOSTINNL_MIN_FREE_DISK_MB", "1e3", `LOSTINNL_MIN_FREE_DISK_MB: not a whole number: "1e3"`},
		{"LOSTINNL_MIN_FREE_DISK_MB", "99999999999999999999999", `LOSTINNL_MIN_FREE_DISK_MB: not a whole number: "99999999999999999999999"`},
		{"LOSTINNL_DRAIN_DELAY", "10", `LOSTINNL_DRAIN_DELAY: not a duration (like 90s, 30m or 12h): "10"`},
		{"LOSTINNL_DRAIN_DELAY", "-1s", `LOSTINNL_DRAIN_DELAY: must not be negative: "-1s"`},
		{"LOSTINNL_DRAIN_DELAY", "5m1s", `LOSTINNL_DRAIN_DELAY: must be between 0s and 5m0s: "5m1s"`},
		{"LOSTINNL_DRAIN_DELAY", "9999999999h", `LOSTINNL_DRAIN_DELAY: not a duration (like 90s, 30m or 12h): "9999999999h"`},
		{"LOSTINNL_DRAIN_DELAY", "10s\x1b[2J", `LOSTINNL_DRAIN_DELAY: contains control characters: "10s\x1b[2J"`},
		{"LOSTINNL_DATABASE_CA_FILE", "/etc/ssl/rds.pem\n/etc/passwd", `LOSTINNL_DATABASE_CA_FILE: contains control characters: "/etc/ssl/rds.pem\n/etc/passwd"`},
		{"LOSTINNL_DATABASE_CA_FILE", "/etc/\xffrds.pem", `LOSTINNL_DATABASE_CA_FILE: is not valid UTF-8: "/etc/\xffrds.pem"`},
	}
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.key] = true
		t.Run(tc.key+"="+tc.val, func(t *testing.T) {
			_, err := Load(env(tc.key, tc.val), "")
			if err == nil {
				t.Fatalf("Load accepted %q", tc.val)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
			var ke *KeyError
			if !errors.As(err, &ke) || ke.Key != tc.key {
				t.Errorf("error %#v is not a KeyError for %s", err, tc.key)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("message is not one line: %q", err)
			}
			if strings.Contains(err.Error(), "hunter22") {
				t.Errorf("message leaks a secret: %s", err)
			}
		})
	}
	for _, k := range KeyNames() {
		if !covered[k] {
			t.Errorf("no error case for %s", k)
		}
	}
}

func TestEmptyValueMeansDefault(t *testing.T) {
	c := mustLoad(t, env("LOSTINNL_ADDR", "", "LOSTINNL_SHUTDOWN_TIMEOUT", ""))
	if c.Addr != ":8080" || c.ShutdownTimeout != 20*time.Second {
		t.Errorf("got %q %s", c.Addr, c.ShutdownTimeout)
	}
}

func TestValidateCrossKey(t *testing.T) {
	cases := []struct {
		env  []string
		want string
	}{
		{[]string{"LOSTINNL_ADDR", ":9090"}, `LOSTINNL_OPS_ADDR: must not use the same port as LOSTINNL_ADDR (:9090): metrics must stay off the public listener`},
		{[]string{"LOSTINNL_ADDR", "127.0.0.1:7000", "LOSTINNL_OPS_ADDR", "127.0.0.1:7000"}, `LOSTINNL_OPS_ADDR: must not use the same port as LOSTINNL_ADDR (127.0.0.1:7000): metrics must stay off the public listener`},
		{[]string{"LOSTINNL_DB_MAX_OPEN_CONNS", "5", "LOSTINNL_DB_MAX_IDLE_CONNS", "10"}, `LOSTINNL_DB_MAX_IDLE_CONNS: 10 is more than LOSTINNL_DB_MAX_OPEN_CONNS (5)`},
		{[]string{"LOSTINNL_SESSION_IDLE_TIMEOUT", "13h"}, `LOSTINNL_SESSION_IDLE_TIMEOUT: 13h0m0s is longer than LOSTINNL_SESSION_LIFETIME (12h0m0s)`},
		{[]string{"LOSTINNL_DATABASE_CA_FILE", "/etc/ssl/rds.pem"}, `LOSTINNL_DATABASE_CA_FILE: only used with a mysql:// LOSTINNL_DATABASE_URL`},
		{[]string{"LOSTINNL_MEDIA_PRESIGN", "true"}, `LOSTINNL_MEDIA_PRESIGN: needs an s3:// LOSTINNL_MEDIA_URL (local media cannot be presigned)`},
		{[]string{"LOSTINNL_TLS_DOMAINS", "example.ca"}, `LOSTINNL_BASE_URL: must be https:// when LOSTINNL_TLS_DOMAINS is set`},
		{[]string{"LOSTINNL_TLS_DOMAINS", "example.ca", "LOSTINNL_BASE_URL", "https://www.example.ca"}, `LOSTINNL_TLS_DOMAINS: does not include the LOSTINNL_BASE_URL host "www.example.ca"`},
	}
	for _, tc := range cases {
		t.Run(tc.want, func(t *testing.T) {
			c, err := Load(env(tc.env...), "")
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			err = c.Validate()
			if err == nil || err.Error() != tc.want {
				t.Errorf("Validate = %v, want %s", err, tc.want)
			}
		})
	}
	// And the legal neighbours of those rules.
	for _, e := range [][]string{
		{"LOSTINNL_ADDR", "127.0.0.1:0", "LOSTINNL_OPS_ADDR", "127.0.0.1:0"},
		{"LOSTINNL_ADDR", "127.0.0.1:9090", "LOSTINNL_OPS_ADDR", "127.0.0.2:9090"},
		{"LOSTINNL_ADDR", ":9090", "LOSTINNL_OPS_ADDR", "off"},
		{"LOSTINNL_MEDIA_PRESIGN", "true", "LOSTINNL_MEDIA_URL", "s3://b?region=ca-central-1"},
		{"LOSTINNL_TLS_DOMAINS", "www.example.ca,example.ca", "LOSTINNL_BASE_URL", "https://example.ca:8443"},
		{"LOSTINNL_DB_MAX_IDLE_CONNS", "10"},
	} {
		mustLoad(t, env(e...))
	}
}

// fakeKeeper "encrypts" by reversing and prefixing, and can be told to fail.
type fakeKeeper struct{ fail error }

func seal(pt string) string {
	b := []byte("CT:" + pt)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return base64.StdEncoding.EncodeToString(b)
}

func (f fakeKeeper) Decrypt(_ context.Context, ct []byte) ([]byte, error) {
	if f.fail != nil {
		return nil, f.fail
	}
	b := append([]byte(nil), ct...)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	pt, ok := strings.CutPrefix(string(b), "CT:")
	if !ok {
		return nil, errors.New("message authentication failed")
	}
	return []byte(pt), nil
}

func TestEncryptedValues(t *testing.T) {
	ctx := context.Background()
	const dsn = "mysql://app:hunter22@tcp(db:3306)/lostinnl"

	c, err := Load(env("LOSTINNL_DATABASE_URL_ENCRYPTED", seal(dsn+"\n"),
		"LOSTINNL_MEDIA_URL_ENCRYPTED", seal("s3://bucket?region=ca-central-1")), "")
	if err != nil {
		t.Fatal(err)
	}
	if !c.NeedsDecryption() || c.DatabaseURL != "" {
		t.Fatalf("before ResolveSecrets: NeedsDecryption=%v DatabaseURL=%q", c.NeedsDecryption(), c.DatabaseURL)
	}
	if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "LOSTINNL_DATABASE_URL_ENCRYPTED: not decrypted") {
		t.Errorf("Validate before ResolveSecrets = %v", err)
	}
	if err := c.ResolveSecrets(ctx, fakeKeeper{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != dsn || c.MediaURL != "s3://bucket?region=ca-central-1" || c.DatabaseDialect() != "mysql" {
		t.Errorf("decrypted to %q %q", c.DatabaseURL, c.MediaURL)
	}
	red := c.Redacted()
	for _, leak := range []string{"hunter22", "bucket"} {
		if strings.Contains(red, leak) {
			t.Errorf("Redacted leaks %q:\n%s", leak, red)
		}
	}
	sv := strings.Join(c.SecretValues(), "\x00")
	for _, want := range []string{dsn, "hunter22", "s3://bucket?region=ca-central-1"} {
		if !strings.Contains(sv, want) {
			t.Errorf("SecretValues misses %q", want)
		}
	}
}

func TestEncryptedErrors(t *testing.T) {
	ctx := context.Background()
	const secret = "hunter22"
	goodCT := seal("mysql://app:" + secret + "@tcp(db:3306)/lostinnl")

	// Both forms given: refused at Load, naming the key.
	_, err := Load(env("LOSTINNL_DATABASE_URL", "sqlite:/x.db", "LOSTINNL_DATABASE_URL_ENCRYPTED", goodCT), "")
	if err == nil || err.Error() != "LOSTINNL_DATABASE_URL: set both LOSTINNL_DATABASE_URL and LOSTINNL_DATABASE_URL_ENCRYPTED; give only one" {
		t.Errorf("both: %v", err)
	}
	// _ENCRYPTED on a key that is not secret-bearing is simply not a key;
	// in a file it is an unknown key (see file tests).
	c := mustLoad(t, env("LOSTINNL_ADDR_ENCRYPTED", goodCT))
	if c.Addr != ":8080" {
		t.Errorf("LOSTINNL_ADDR_ENCRYPTED must not be read; Addr=%q", c.Addr)
	}

	cases := []struct {
		name, ct string
		keeper   Decrypter
		want     string
	}{
		{"bad base64", "!!!not base64", fakeKeeper{}, "LOSTINNL_DATABASE_URL_ENCRYPTED: not valid base64 (paste the output of `lostinnl secret encrypt`)"},
		{"tampered", base64.StdEncoding.EncodeToString([]byte("garbage" + secret)), fakeKeeper{}, "LOSTINNL_DATABASE_URL_ENCRYPTED: cannot decrypt (wrong keeper or key, or a damaged value): message authentication failed"},
		{"keeper error quoting ciphertext", goodCT, fakeKeeper{fail: fmt.Errorf("kms: InvalidCiphertext for %s\nline2", goodCT)}, "LOSTINNL_DATABASE_URL_ENCRYPTED: cannot decrypt (wrong keeper or key, or a damaged value): kms: InvalidCiphertext for [redacted] line2"},
		{"no keeper", goodCT, nil, "LOSTINNL_DATABASE_URL_ENCRYPTED: no secrets keeper to decrypt it with"},
		{"bad plaintext", seal("postgres://u:" + secret + "@db/x"), fakeKeeper{}, "LOSTINNL_DATABASE_URL_ENCRYPTED: decrypted value: want sqlite:PATH or mysql://user:pass@tcp(host:3306)/dbname"},
		{"bad mysql plaintext", seal("mysql://u:" + secret + "@tcp(db)/x?parseTime=" + secret), fakeKeeper{}, "LOSTINNL_DATABASE_URL_ENCRYPTED: decrypted value: not a valid MySQL address (want mysql://user:pass@tcp(host:3306)/dbname): invalid bool value: [redacted]"},
		{"empty plaintext", seal("\n"), fakeKeeper{}, "LOSTINNL_DATABASE_URL_ENCRYPTED: decrypts to an empty value"},
		{"control chars", seal("sqlite:/x\x00" + secret), fakeKeeper{}, "LOSTINNL_DATABASE_URL_ENCRYPTED: decrypted value contains control characters"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(env("LOSTINNL_DATABASE_URL_ENCRYPTED", tc.ct), "")
			if err == nil {
				var d Decrypter
				if tc.keeper != nil {
					d = tc.keeper
				}
				err = c.ResolveSecrets(ctx, d)
			}
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got  %v\nwant %s", err, tc.want)
			}
			if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), tc.ct) {
				t.Errorf("message leaks plaintext or ciphertext: %s", err)
			}
		})
	}
}

func TestRedactionAndSecretValues(t *testing.T) {
	c := mustLoad(t, env(
		"LOSTINNL_DATABASE_URL", "mysql://app:hunter22@tcp(db:3306)/lostinnl?tls=true",
		"LOSTINNL_SMTP_URL", "smtps://mailer:p%40ss%20word@smtp.example.ca:465",
		"LOSTINNL_MEDIA_URL", "s3://bucket?region=ca-central-1&secret_access_key=AKIASECRET",
		"LOSTINNL_SECRETS_KEEPER", "base64key://smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4= keyfile:///old.key",
	))
	for name, out := range map[string]string{
		"Redacted": c.Redacted(), "String": c.String(), "%v": fmt.Sprintf("%v", c),
		"%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c), "slog": logged(c),
	} {
		for _, leak := range []string{"hunter22", "p@ss word", "p%40ss", "AKIASECRET", "smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4"} {
			if strings.Contains(out, leak) {
				t.Errorf("%s leaks %q:\n%s", name, leak, out)
			}
		}
	}
	red := c.Redacted()
	for _, want := range []string{
		"LOSTINNL_DATABASE_URL=mysql://app:REDACTED@tcp(db:3306)/lostinnl?tls=true\n",
		"LOSTINNL_SMTP_URL=smtps://mailer:REDACTED@smtp.example.ca:465\n",
		"LOSTINNL_SECRETS_KEEPER=base64key://REDACTED keyfile:///old.key\n",
		"LOSTINNL_ADDR=:8080\n",
	} {
		if !strings.Contains(red, want) {
			t.Errorf("Redacted lacks %q:\n%s", want, red)
		}
	}
	for _, k := range KeyNames() {
		if !strings.Contains(red, k+"=") {
			t.Errorf("Redacted lacks %s", k)
		}
	}
	sv := c.SecretValues()
	for _, want := range []string{"hunter22", "p@ss word", "AKIASECRET", "smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4="} {
		if !containsStr(sv, want) {
			t.Errorf("SecretValues %q misses %q", sv, want)
		}
	}
	// Nothing secret configured: nothing to redact (the sqlite path is not a secret).
	if sv := mustLoad(t, env()).SecretValues(); len(sv) != 0 {
		t.Errorf("default SecretValues = %q", sv)
	}
}

func logged(c *Config) string {
	var b strings.Builder
	slog.New(slog.NewTextHandler(&b, nil)).Info("config", "config", c)
	return b.String()
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestDocsListEveryKey keeps the README and the example env file true.
func TestDocsListEveryKey(t *testing.T) {
	for _, f := range []string{"../../README.md", "../../lostinnl.example.env"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		for _, k := range KeyNames() {
			if !strings.Contains(string(data), k) {
				t.Errorf("%s does not document %s", f, k)
			}
		}
	}
}

// TestExampleEnvLoads proves the shipped example file is valid as it stands.
func TestExampleEnvLoads(t *testing.T) {
	c, err := Load(env(), "../../lostinnl.example.env")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

// TestMailFromFollowsBaseURL: the default sender is at the site's own host.
func TestMailFromFollowsBaseURL(t *testing.T) {
	for base, want := range map[string]string{
		"https://missingpersons.example.ca": "alerts@missingpersons.example.ca",
		"http://127.0.0.1:8080":             "alerts@127.0.0.1",
		"https://[::1]:8443":                "alerts@localhost",
	} {
		if c := mustLoad(t, env("LOSTINNL_BASE_URL", base)); c.MailFrom != want {
			t.Errorf("base %s: MailFrom %q, want %q", base, c.MailFrom, want)
		}
	}
}
