package cli

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine to write while
// the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type result struct {
	code           int
	stdout, stderr string
}

// run calls Run in-process with only the given variables as environment
// (the test process's own environment is never read) and stdin.
func run(t *testing.T, envKV map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errb syncBuffer
	lookup := func(k string) (string, bool) { v, ok := envKV[k]; return v, ok }
	code := Run(t.Context(), args, strings.NewReader(stdin), &out, &errb, lookup)
	return result{code, out.String(), errb.String()}
}

// tempEnv is a configuration that keeps everything inside a temp dir and
// listens on free loopback ports.
func tempEnv(t *testing.T) map[string]string {
	return map[string]string{
		"LOSTINNL_DATA_DIR":  filepath.Join(t.TempDir(), "data", "nested"),
		"LOSTINNL_ADDR":      "127.0.0.1:0",
		"LOSTINNL_OPS_ADDR":  "127.0.0.1:0",
		"LOSTINNL_BASE_URL":  "http://127.0.0.1",
		"LOSTINNL_LOG_LEVEL": "info",
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args      []string
		firstLine string
	}{
		{[]string{"bogus"}, `lostinnl: unknown command "bogus"`},
		{[]string{"--config"}, `lostinnl: flag needs an argument: -config`},
		{[]string{"--nope"}, `lostinnl: flag provided but not defined: -nope`},
		{[]string{"serve", "--nope"}, `lostinnl: flag provided but not defined: -nope`},
		{[]string{"serve", "--demo=maybe"}, `lostinnl: invalid boolean value "maybe" for -demo: parse error`},
		{[]string{"serve", "extra"}, `lostinnl: serve: unexpected argument "extra"`},
		{[]string{"migrate", "--demo"}, `lostinnl: flag provided but not defined: -demo`},
		{[]string{"version", "now"}, `lostinnl: version: unexpected argument "now"`},
		{[]string{"secret"}, "lostinnl: secret: want `secret encrypt`"},
		{[]string{"secret", "frobnicate"}, `lostinnl: secret: unknown sub-command "frobnicate"`},
		{[]string{"secret", "encrypt", "hunter2"}, `lostinnl: secret encrypt: unexpected argument "hunter2"`},
		{[]string{"--config=", "version"}, `lostinnl: invalid value "" for flag -config: needs a file name`},
		{[]string{"\x1b[31mred\n"}, `lostinnl: unknown command "\x1b[31mred\n"`},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := run(t, tempEnv(t), "", tc.args...)
			if r.code != 2 {
				t.Errorf("exit %d, want 2", r.code)
			}
			first, rest, _ := strings.Cut(r.stderr, "\n")
			// A prefix: the list of alternatives grows as commands are added.
			if !strings.HasPrefix(first, tc.firstLine) {
				t.Errorf("stderr first line\n got: %s\nwant: %s", first, tc.firstLine)
			}
			if !strings.Contains(rest, "Usage: lostinnl") {
				t.Errorf("no usage on stderr: %q", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q", r.stdout)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"serve", "-h"}, {"secret", "decrypt", "--help"}} {
		r := run(t, tempEnv(t), "", args...)
		if r.code != 0 || !strings.HasPrefix(r.stdout, "Usage: lostinnl") || r.stderr != "" {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, r.code, r.stdout, r.stderr)
		}
		// --demo does more than label pages: a newcomer must learn from
		// the help that it adds demo cases.
		if !strings.Contains(r.stdout, "--demo: seed fictional demo cases") {
			t.Errorf("%v: help does not say that --demo seeds demo cases:\n%s", args, r.stdout)
		}
	}
}

func TestVersion(t *testing.T) {
	r := run(t, nil, "", "version")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if !regexp.MustCompile(`^lostinnl \S+ \(commit \S+, go1\.\d+\S* \w+/\w+\)\n$`).MatchString(r.stdout) {
		t.Errorf("stdout = %q", r.stdout)
	}
	// version needs no configuration at all, even a broken one.
	if r := run(t, map[string]string{"LOSTINNL_ADDR": "abc"}, "", "version"); r.code != 0 {
		t.Errorf("version with bad config: exit %d", r.code)
	}
}

func TestBadConfig(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.env")
	if err := os.WriteFile(typo, []byte("LOSTINNL_ADRR=:8080\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"bad addr, default command", map[string]string{"LOSTINNL_ADDR": "abc"}, nil, `LOSTINNL_ADDR: not a host:port: "abc"`},
		{"bad addr, serve", map[string]string{"LOSTINNL_ADDR": "abc"}, []string{"serve"}, `LOSTINNL_ADDR: not a host:port: "abc"`},
		{"bad level, migrate", map[string]string{"LOSTINNL_LOG_LEVEL": "loud"}, []string{"migrate"}, `LOSTINNL_LOG_LEVEL: want debug, info, warn or error: "loud"`},
		{"secret db url", map[string]string{"LOSTINNL_DATABASE_URL": "postgres://u:hunter22@db/x"}, []string{"migrate"}, `LOSTINNL_DATABASE_URL: want sqlite:PATH or mysql://user:pass@tcp(host:3306)/dbname`},
		{"cross-key", map[string]string{"LOSTINNL_ADDR": "127.0.0.1:9090", "LOSTINNL_OPS_ADDR": "127.0.0.1:9090"}, []string{"migrate"}, `LOSTINNL_OPS_ADDR: must not use the same port as LOSTINNL_ADDR (127.0.0.1:9090): metrics must stay off the public listener`},
		{"typo in file", nil, []string{"--config", typo, "migrate"}, `LOSTINNL_ADRR: unknown key (config file "` + typo + `" line 1); did you mean LOSTINNL_ADDR?`},
		{"config after command", nil, []string{"migrate", "--config", typo}, `LOSTINNL_ADRR: unknown key (config file "` + typo + `" line 1); did you mean LOSTINNL_ADDR?`},
		{"missing file", nil, []string{"--config", filepath.Join(dir, "nope.env")}, `--config: cannot read "` + filepath.Join(dir, "nope.env") + `": no such file or directory`},
		{"both plain and encrypted", map[string]string{"LOSTINNL_DATABASE_URL": "sqlite:/x", "LOSTINNL_DATABASE_URL_ENCRYPTED": "AAAA"}, []string{"migrate"}, `LOSTINNL_DATABASE_URL: set both LOSTINNL_DATABASE_URL and LOSTINNL_DATABASE_URL_ENCRYPTED; give only one`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := tempEnv(t)
			for k, v := range tc.env {
				env[k] = v
			}
			r := run(t, env, "", tc.args...)
			if r.code != 2 || r.stderr != tc.want+"\n" || r.stdout != "" {
				t.Errorf("exit %d\nstderr %q\nwant   %q", r.code, r.stderr, tc.want+"\n")
			}
			if strings.Contains(r.stderr, "hunter22") || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("stderr leaks a secret or a stack: %q", r.stderr)
			}
		})
	}
}

func TestMigrateSQLite(t *testing.T) {
	env := tempEnv(t)
	r := run(t, env, "", "migrate")
	if r.code != 0 {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	m := regexp.MustCompile(`^sqlite database at schema version (\d+) \((\d+) migrations applied\)\n$`).FindStringSubmatch(r.stdout)
	if m == nil || m[1] == "0" || m[1] != m[2] {
		t.Fatalf("stdout = %q", r.stdout)
	}
	fi, err := os.Stat(env["LOSTINNL_DATA_DIR"])
	if err != nil || fi.Mode().Perm() != 0o750 {
		t.Fatalf("data dir: %v %v", fi, err)
	}
	if _, err := os.Stat(filepath.Join(env["LOSTINNL_DATA_DIR"], "lostinnl.db")); err != nil {
		t.Fatalf("database file: %v", err)
	}
	// Idempotent.
	r = run(t, env, "", "migrate")
	if r.code != 0 || r.stdout != "sqlite database at schema version "+m[1]+" (0 migrations applied)\n" {
		t.Fatalf("second migrate: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestMigrateMySQL(t *testing.T) {
	dsn := os.Getenv("LOSTINNL_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("LOSTINNL_TEST_MYSQL_DSN not set")
	}
	name := fmt.Sprintf("lostinnl_cli_%d", time.Now().UnixNano())
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), "CREATE DATABASE "+name+" CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatal(err)
	}
	defer db.ExecContext(context.Background(), "DROP DATABASE "+name)

	env := tempEnv(t)
	env["LOSTINNL_DATABASE_URL"] = "mysql://" + strings.TrimSuffix(dsn, "/") + "/" + name
	r := run(t, env, "", "migrate")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "mysql database at schema version ") {
		t.Fatalf("exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
}

func TestDatabaseUnreachable(t *testing.T) {
	env := tempEnv(t)
	// A directory where the SQLite file should be: open fails at run time.
	env["LOSTINNL_DATABASE_URL"] = "sqlite:" + t.TempDir()
	r := run(t, env, "", "migrate")
	if r.code != 1 {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
	if n := strings.Count(r.stderr, "\n"); n != 1 || !strings.Contains(r.stderr, "open database") {
		t.Errorf("want one logged error line about the database, got %q", r.stderr)
	}
}

func TestSecretRoundTrip(t *testing.T) {
	env := tempEnv(t)
	dbPath := filepath.Join(t.TempDir(), "secret-path.db")
	plain := "sqlite:" + dbPath

	enc := run(t, env, plain+"\n", "secret", "encrypt")
	if enc.code != 0 {
		t.Fatalf("encrypt: exit %d stderr %q", enc.code, enc.stderr)
	}
	ct := strings.TrimSpace(enc.stdout)
	if _, err := base64.StdEncoding.DecodeString(ct); err != nil || strings.Contains(enc.stdout, dbPath) {
		t.Fatalf("encrypt output %q is not opaque base64", enc.stdout)
	}
	if fi, err := os.Stat(filepath.Join(env["LOSTINNL_DATA_DIR"], "secret.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("local key file: %v %v", fi, err)
	}

	dec := run(t, env, ct, "secret", "decrypt")
	if dec.code != 0 || dec.stdout != plain {
		t.Fatalf("decrypt: exit %d stdout %q stderr %q", dec.code, dec.stdout, dec.stderr)
	}

	// The ciphertext works as LOSTINNL_DATABASE_URL_ENCRYPTED.
	env["LOSTINNL_DATABASE_URL_ENCRYPTED"] = ct
	r := run(t, env, "", "migrate")
	if r.code != 0 {
		t.Fatalf("migrate with encrypted URL: exit %d stderr %q", r.code, r.stderr)
	}
	if _, err := os.Stat(dbPath); err != nil {
		t.Errorf("database not created at the decrypted path: %v", err)
	}

	// Tampered: one line naming the key, exit 2, neither plaintext nor ciphertext.
	raw, _ := base64.StdEncoding.DecodeString(ct)
	raw[len(raw)-1] ^= 1
	bad := base64.StdEncoding.EncodeToString(raw)
	env["LOSTINNL_DATABASE_URL_ENCRYPTED"] = bad
	r = run(t, env, "", "migrate")
	if r.code != 2 || !strings.HasPrefix(r.stderr, "LOSTINNL_DATABASE_URL_ENCRYPTED: ") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("tampered: exit %d stderr %q", r.code, r.stderr)
	}
	for _, leak := range []string{dbPath, bad, ct} {
		if strings.Contains(r.stderr, leak) {
			t.Errorf("stderr leaks %q", leak)
		}
	}

	// With a non-local keeper, `secret` leaves no data directory behind.
	kmsEnv := tempEnv(t)
	kmsEnv["LOSTINNL_SECRETS_KEEPER"] = "base64key://smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4="
	r = run(t, kmsEnv, "x", "secret", "encrypt")
	if _, err := os.Stat(kmsEnv["LOSTINNL_DATA_DIR"]); r.code != 0 || !os.IsNotExist(err) {
		t.Errorf("secret encrypt with base64key: exit %d stderr %q; data dir stat: %v", r.code, r.stderr, err)
	}

	// Garbage to decrypt: exit 2, one line.
	r = run(t, tempEnv(t), "not base64 at all!", "secret", "decrypt")
	if r.code != 2 || strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
		t.Errorf("decrypt garbage: exit %d stdout %q stderr %q", r.code, r.stdout, r.stderr)
	}
	// Nothing to encrypt.
	r = run(t, tempEnv(t), "", "secret", "encrypt")
	if r.code != 2 || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("encrypt empty: exit %d stderr %q", r.code, r.stderr)
	}
}

var urlRe = regexp.MustCompile(`msg="lostinnl serving" url=(\S+) ops=(\S+)`)

// startServe runs `serve` in-process until the returned cancel is called;
// wait returns its exit code.
func startServe(t *testing.T, env map[string]string, args ...string) (pub, ops string, errb *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	errb = &syncBuffer{}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), io.Discard, errb, lookup)
	}()
	for {
		if m := urlRe.FindStringSubmatch(errb.String()); m != nil {
			pub, ops = m[1], m[2]
			break
		}
		select {
		case code := <-done:
			cancel()
			t.Fatalf("serve exited early with %d: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	return pub, ops, errb, func() int { cancel(); return <-done }
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestServeInProcess(t *testing.T) {
	env := tempEnv(t)
	env["LOSTINNL_SMTP_URL"] = "smtps://mailer:hunter22-smtp@smtp.example.ca:465"
	pub, ops, errb, stop := startServe(t, env, "--demo")

	if code, body := get(t, pub+"/"); code != 200 || !strings.Contains(body, "<html") || !strings.Contains(body, "Demo data") {
		t.Errorf("GET / = %d %q", code, body)
	}
	if code, _ := get(t, pub+"/no-such-page"); code != 404 {
		t.Errorf("GET /no-such-page = %d", code)
	}
	for _, u := range []string{pub + "/healthz", pub + "/readyz", ops + "/healthz", ops + "/readyz", ops + "/metrics"} {
		if code, _ := get(t, u); code != 200 {
			t.Errorf("GET %s = %d", u, code)
		}
	}
	if code, _ := get(t, pub+"/metrics"); code != 404 {
		t.Errorf("metrics must not be on the public listener; GET /metrics = %d", code)
	}
	if code := stop(); code != 0 {
		t.Errorf("exit %d; log:\n%s", code, errb.String())
	}
	log := errb.String()
	if strings.Count(log, "lostinnl serving") != 1 || !strings.Contains(log, "shutdown complete") {
		t.Errorf("log:\n%s", log)
	}
	if strings.Contains(log, "hunter22-smtp") {
		t.Errorf("log leaks a configured secret:\n%s", log)
	}
	// The local key file now exists (serve always opens the keeper).
	if _, err := os.Stat(filepath.Join(env["LOSTINNL_DATA_DIR"], "secret.key")); err != nil {
		t.Errorf("secret.key: %v", err)
	}
}

func TestServeJSONLogs(t *testing.T) {
	env := tempEnv(t)
	env["LOSTINNL_LOG_FORMAT"] = "json"
	env["LOSTINNL_OPS_ADDR"] = "off"
	ctx, cancel := context.WithCancel(t.Context())
	errb := &syncBuffer{}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	done := make(chan int, 1)
	go func() { done <- Run(ctx, nil, strings.NewReader(""), io.Discard, errb, lookup) }()
	for !strings.Contains(errb.String(), `"msg":"lostinnl serving"`) {
		select {
		case code := <-done:
			t.Fatalf("exited %d: %s", code, errb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, line := range strings.Split(strings.TrimSpace(errb.String()), "\n") {
		if !strings.HasPrefix(line, "{") {
			t.Errorf("non-JSON log line %q", line)
		}
	}
	if !strings.Contains(errb.String(), `"ops":"off"`) {
		t.Errorf("ops listener not reported off: %s", errb.String())
	}
}

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	env := tempEnv(t)
	env["LOSTINNL_ADDR"] = ln.Addr().String()
	r := run(t, env, "", "serve")
	// One error, reported once; start-up's info lines (the read model
	// loaded) may come before it.
	if r.code != 1 || !strings.Contains(r.stderr, "listen public on "+ln.Addr().String()) || strings.Count(r.stderr, "level=ERROR") != 1 || strings.Count(r.stderr, "listen public on") != 1 {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
}
