package securitytest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lostinnl/internal/cli"
	"lostinnl/internal/testdb"
)

// childEnv marks the test binary re-executed as a lostinnl process (see
// TestMain): crash tests kill a real process without building one.
const childEnv = "LOSTINNL_SECURITYTEST_CHILD"

const mysqlEnv = "LOSTINNL_TEST_MYSQL_DSN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		// Run as `lostinnl <args>` with this process's environment.
		os.Exit(cli.Run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.LookupEnv))
	}
	os.Exit(m.Run())
}

// guard bounds every wait in this package. It is never an assertion about
// speed: it only stops a hung server from hanging the run.
const guard = 60 * time.Second

// syncBuffer collects a server's log while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
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

// baseEnv is a configuration that keeps everything in a temp dir, listens on
// free loopback ports and does not rate-limit the public forms (tests that
// are about the limit set their own).
func baseEnv(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{
		"LOSTINNL_DATA_DIR":        filepath.Join(t.TempDir(), "data"),
		"LOSTINNL_ADDR":            "127.0.0.1:0",
		"LOSTINNL_OPS_ADDR":        "127.0.0.1:0",
		"LOSTINNL_BASE_URL":        "http://127.0.0.1",
		"LOSTINNL_LOG_FORMAT":      "text",
		"LOSTINNL_FORM_RATE_LIMIT": "1000000",
		"LOSTINNL_FORM_RATE_BURST": "1000000",
	}
}

// eachDialect runs fn as a subtest on SQLite and, when LOSTINNL_TEST_MYSQL_DSN
// is set, on a fresh MariaDB/MySQL database dropped afterwards. env is a
// fresh baseEnv with LOSTINNL_DATABASE_URL set.
func eachDialect(t *testing.T, fn func(t *testing.T, env map[string]string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, baseEnv(t)) })
	t.Run("mysql", func(t *testing.T) {
		dsn := os.Getenv(mysqlEnv)
		if dsn == "" {
			t.Skip(mysqlEnv + " not set")
		}
		env := baseEnv(t)
		env["LOSTINNL_DATABASE_URL"] = mysqlDatabase(t, dsn)
		fn(t, env)
	})
}

// mysqlDatabase creates a database for one test and returns its
// LOSTINNL_DATABASE_URL; it is dropped when the test ends.
func mysqlDatabase(t *testing.T, adminDSN string) string {
	return testdb.MySQL(t, adminDSN, "lostinnl_sec_")
}

// command runs `lostinnl args...` in-process with env and stdin; it returns
// the exit code, stdout and stderr.
func command(t *testing.T, env map[string]string, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := cli.Run(t.Context(), args, strings.NewReader(stdin), &out, &errb, lookup)
	return code, out.String(), errb.String()
}

// addStaff creates a staff account with the given password through
// `lostinnl user add` (which also migrates the database on first use).
func addStaff(t *testing.T, env map[string]string, email, role, password string) {
	t.Helper()
	if code, _, stderr := command(t, env, "", "migrate"); code != 0 {
		t.Fatalf("migrate: exit %d: %s", code, stderr)
	}
	if code, _, stderr := command(t, env, password+"\n", "user", "add", "--email", email, "--role", role); code != 0 {
		t.Fatalf("user add %s: exit %d: %s", email, code, stderr)
	}
}

var servingRe = regexp.MustCompile(`msg="lostinnl serving" url=(\S+) ops=(\S+)`)

// site is a running `lostinnl serve` (in-process).
type site struct {
	URL string // public listener
	Ops string // ops listener ("off" when disabled)
	Log *syncBuffer
}

// startSite runs `serve` in-process with env until the test ends.
func startSite(t *testing.T, env map[string]string, args ...string) *site {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logb := &syncBuffer{}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), io.Discard, logb, lookup)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d; log:\n%s", code, logb.String())
		}
	})
	deadline := time.After(guard)
	for {
		if m := servingRe.FindStringSubmatch(logb.String()); m != nil {
			return &site{URL: m[1], Ops: m[2], Log: logb}
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited early with %d: %s", code, logb.String())
		case <-deadline:
			t.Fatalf("serve did not start; log:\n%s", logb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// child is `lostinnl serve` run as a separate process (this test binary
// re-executed), so a test can kill it with SIGKILL.
type child struct {
	URL string
	Log *syncBuffer
	cmd *exec.Cmd
}

// startChild starts `lostinnl args...` (e.g. "serve") as a child process
// with env and waits for it to serve.
func startChild(t *testing.T, env map[string]string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = []string{childEnv + "=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	logb := &syncBuffer{}
	cmd.Stdout = io.Discard
	cmd.Stderr = logb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	c := &child{Log: logb, cmd: cmd}
	t.Cleanup(func() { c.Kill(); <-exited })
	deadline := time.After(guard)
	for {
		if m := servingRe.FindStringSubmatch(logb.String()); m != nil {
			c.URL = m[1]
			return c
		}
		select {
		case <-exited:
			t.Fatalf("child exited early: %s", logb.String())
		case <-deadline:
			t.Fatalf("child did not start; log:\n%s", logb.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Kill sends SIGKILL: no deferred clean-up, no graceful shutdown.
func (c *child) Kill() {
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// newClient is an HTTP client with its own cookie jar that does not follow
// redirects (tests look at the 303s themselves).
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:     jar,
		Timeout: guard,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// together runs n copies of fn released at the same moment and waits for
// all of them. fn gets its index.
func together(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// body reads and closes a response body.
func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(fmt.Sprintf("securitytest: %v", err))
	}
	return v
}
