package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "lostinnl.env")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFileSyntax(t *testing.T) {
	p := writeFile(t, "\uFEFF# LostInNL test config\r\n"+
		"\n"+
		"   # indented comment\n"+
		"LOSTINNL_ADDR=127.0.0.1:8081\r\n"+
		"export LOSTINNL_LOG_FORMAT=json\n"+
		"LOSTINNL_DATABASE_URL=\"mysql://app:p#ss \\\"q\\\" \\\\x@tcp(db:3306)/lostinnl\"   # trailing comment\n"+
		"LOSTINNL_BASE_URL='https://example.ca'\n"+
		"LOSTINNL_DATA_DIR = /srv/lostinnl # spaces around = and a comment\n"+
		"LOSTINNL_SHUTDOWN_TIMEOUT=\n"+
		"LOSTINNL_MEDIA_URL='file:///srv/it''s'\n"[:0]+ // (single quotes cannot be escaped; not used)
		"AWS_REGION=ca-central-1\n"+
		"PATH=/not/read\n"+
		"LOSTINNL_TRUSTED_PROXIES=10.0.0.1#no space: part of the value\n")
	_, err := Load(env(), p)
	if err == nil {
		t.Fatal("10.0.0.1#no should not parse as an IP")
	}
	if want := `LOSTINNL_TRUSTED_PROXIES: not an IP address or CIDR: "10.0.0.1#no space: part of the value"`; err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}

	data, _ := os.ReadFile(p)
	fixed := strings.Replace(string(data), "10.0.0.1#no space: part of the value", "10.0.0.1 # now a comment", 1)
	c, err := Load(env(), writeFile(t, fixed))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8081" || c.LogFormat != "json" || c.BaseURL != "https://example.ca" ||
		c.DataDir != "/srv/lostinnl" || c.ShutdownTimeout != 20*time.Second ||
		c.DatabaseURL != `mysql://app:p#ss "q" \x@tcp(db:3306)/lostinnl` ||
		len(c.TrustedProxies) != 1 || c.TrustedProxies[0].String() != "10.0.0.1/32" {
		t.Errorf("parsed %+v", c.entries())
	}
}

func TestEnvWinsOverFile(t *testing.T) {
	p := writeFile(t, "LOSTINNL_ADDR=:7000\nLOSTINNL_LOG_LEVEL=debug\nLOSTINNL_MAX_UPLOAD_MB=5\n")
	c, err := Load(env("LOSTINNL_ADDR", ":7001", "LOSTINNL_MAX_UPLOAD_MB", ""), p)
	if err != nil {
		t.Fatal(err)
	}
	// Env wins; an empty env value is "unset", so the file's value stands.
	if c.Addr != ":7001" || c.LogLevel.String() != "DEBUG" || c.MaxUploadMB != 5 {
		t.Errorf("Addr=%q LogLevel=%v MaxUploadMB=%d", c.Addr, c.LogLevel, c.MaxUploadMB)
	}
}

func TestEncryptedAcrossFileAndEnv(t *testing.T) {
	// X in the file and X_ENCRYPTED in the env is still "both".
	p := writeFile(t, "LOSTINNL_DATABASE_URL=sqlite:/tmp/x.db\n")
	_, err := Load(env("LOSTINNL_DATABASE_URL_ENCRYPTED", seal("sqlite:/y.db")), p)
	if err == nil || !strings.HasPrefix(err.Error(), "LOSTINNL_DATABASE_URL: set both") {
		t.Errorf("got %v", err)
	}
	// X_ENCRYPTED in the file is accepted.
	p = writeFile(t, "LOSTINNL_SMTP_URL_ENCRYPTED="+seal("smtp://u:pw@mail.example.ca:587")+"\n")
	c, err := Load(env(), p)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.ResolveSecrets(t.Context(), fakeKeeper{}); err != nil {
		t.Fatal(err)
	}
	if c.SMTPURL != "smtp://u:pw@mail.example.ca:587" {
		t.Errorf("SMTPURL=%q", c.SMTPURL)
	}
}

func TestFileErrors(t *testing.T) {
	cases := []struct{ name, content, want string }{
		{"typo", "LOSTINNL_ADRR=:8080\n", `LOSTINNL_ADRR: unknown key (config file "%s" line 1); did you mean LOSTINNL_ADDR?`},
		{"unknown far from any key", "# x\nLOSTINNL_FROBNICATE=1\n", `LOSTINNL_FROBNICATE: unknown key (config file "%s" line 2)`},
		{"encrypted form of a plain key", "LOSTINNL_ADDR_ENCRYPTED=abc\n", `LOSTINNL_ADDR_ENCRYPTED: unknown key (config file "%s" line 1); only LOSTINNL_DATABASE_URL, LOSTINNL_MEDIA_URL, LOSTINNL_SMTP_URL may be given encrypted`},
		{"lower case is a different key", "lostinnl_addr=:1\nLOSTINNL_LOG_LEVEL=loud\n", `LOSTINNL_LOG_LEVEL: want debug, info, warn or error: "loud"`},
		{"duplicate", "LOSTINNL_ADDR=:1\n\nLOSTINNL_ADDR=:2\n", `LOSTINNL_ADDR: set twice in config file "%s" (lines 1 and 3)`},
		{"no equals", "LOSTINNL_ADDR :8080\n", `--config "%s" line 1: not a KEY=VALUE line`},
		{"bad key chars", "LOSTINNL-ADDR=:8080\n", `--config "%s" line 1: not a KEY=VALUE line`},
		{"empty key", "=x\n", `--config "%s" line 1: not a KEY=VALUE line`},
		{"unterminated double", "LOSTINNL_DATABASE_URL=\"mysql://u:hunter22@tcp(x)/y\n", `LOSTINNL_DATABASE_URL: missing closing double quote (config file "%s" line 1)`},
		{"unterminated single", "LOSTINNL_ADDR=':80\n", `LOSTINNL_ADDR: missing closing single quote (config file "%s" line 1)`},
		{"text after quote", "LOSTINNL_SMTP_URL=\"smtp://u:hunter22@x\"junk\n", `LOSTINNL_SMTP_URL: unexpected text after the closing quote (config file "%s" line 1)`},
		{"bad value in file", "LOSTINNL_ADDR=abc\n", `LOSTINNL_ADDR: not a host:port: "abc"`},
		{"binary garbage", "\x00\x01\x02\xff\xfe", `--config "%s" line 1: not a KEY=VALUE line`},
		{"control char in value", "LOSTINNL_ADDR=:80\x1b[2J\n", `LOSTINNL_ADDR: contains control characters: ":80\x1b[2J"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, tc.content)
			want := strings.ReplaceAll(tc.want, "%s", p)
			_, err := Load(env(), p)
			if err == nil || err.Error() != want {
				t.Fatalf("got  %v\nwant %s", err, want)
			}
			if strings.Contains(err.Error(), "hunter22") {
				t.Errorf("leaks a secret: %v", err)
			}
		})
	}
}

func TestFileUnreadable(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.env")
	_, err := Load(env(), missing)
	if err == nil || err.Error() != `--config: cannot read "`+missing+`": no such file or directory` {
		t.Errorf("missing: %v", err)
	}
	_, err = Load(env(), dir)
	if err == nil || !strings.HasPrefix(err.Error(), `--config: cannot read "`+dir+`": `) {
		t.Errorf("directory: %v", err)
	}
	_, err = Load(env(), "/dev/zero") // endless: must stop at the size limit
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("/dev/zero: %v", err)
	}
	big := writeFile(t, strings.Repeat("# padding\n", maxFileSize/10+1))
	_, err = Load(env(), big)
	if err == nil || !strings.Contains(err.Error(), "larger than 1 MiB") {
		t.Errorf("big: %v", err)
	}
}

func FuzzParseFile(f *testing.F) {
	f.Add([]byte("LOSTINNL_ADDR=:8080\n# c\nexport LOSTINNL_LOG_LEVEL='debug'\n"))
	f.Add([]byte("LOSTINNL_DATABASE_URL=\"a\\\"b\" # x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		vals, err := parseFile("fuzz.env", data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		for k := range vals {
			if !isKnown(k) {
				t.Errorf("accepted unknown key %q", k)
			}
		}
	})
}

// FuzzLoadValue feeds arbitrary values to every key: Load must never panic,
// and every error must be one line starting with a key name.
func FuzzLoadValue(f *testing.F) {
	f.Add(uint8(0), ":8080")
	f.Add(uint8(4), "mysql://u:p@tcp(h:1)/d?x=%zz")
	f.Add(uint8(8), "::ffff:1.2.3.4/200")
	f.Add(uint8(23), "a..b,*.c")
	f.Fuzz(func(t *testing.T, i uint8, v string) {
		k := keys[int(i)%len(keys)].name
		c, err := Load(env(k, v), "")
		if err != nil {
			if !strings.HasPrefix(err.Error(), k+": ") || strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("bad error for %s=%q: %q", k, v, err)
			}
			return
		}
		_ = c.Validate()
		_ = c.Redacted()
		_ = c.SecretValues()
	})
}
