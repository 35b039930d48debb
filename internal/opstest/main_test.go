package opstest

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// binary is the lostinnl executable under test, set by TestMain ("" with
// -short, and every test skips).
var binary string

// buildErr is why the binary could not be built; every test fails with it.
var buildErr error

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "lostinnl-opstest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "opstest:", err)
		os.Exit(1)
	}
	binary, buildErr = build(dir)
	code := m.Run()
	os.RemoveAll(dir) // os.Exit skips defers
	os.Exit(code)
}

// build compiles ./cmd/lostinnl once for the whole package, or uses
// $LOSTINNL_TEST_BINARY when CI has built it already.
func build(dir string) (string, error) {
	if p := os.Getenv("LOSTINNL_TEST_BINARY"); p != "" {
		return filepath.Abs(p)
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "lostinnl")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/lostinnl")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/lostinnl: %v\n%s", err, out)
	}
	return bin, nil
}

// moduleRoot walks up from the working directory to the go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the test directory")
		}
		dir = parent
	}
}

func needBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the real binary; skipped with -short")
	}
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

// guard bounds every wait in this package. It is never an assertion about
// speed: it only stops a hung binary from hanging the test run.
const guard = 90 * time.Second

// logLine is one JSON log line of the process, kept raw and decoded.
type logLine struct {
	Raw    string
	Fields map[string]any    // nil when the line is not JSON
	Text   map[string]string // key=value pairs of a text-format line
}

func (l logLine) str(k string) string {
	if l.Fields == nil {
		return l.Text[k]
	}
	s, _ := l.Fields[k].(string)
	return s
}

// parseText reads slog's text format: key=value pairs separated by spaces,
// values quoted Go-style when they hold spaces or special characters.
func parseText(line string) map[string]string {
	out := map[string]string{}
	for line != "" {
		line = strings.TrimLeft(line, " ")
		k, rest, ok := strings.Cut(line, "=")
		if !ok || k == "" {
			break
		}
		var v string
		if strings.HasPrefix(rest, `"`) {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				break
			}
			v, _ = strconv.Unquote(q) // QuotedPrefix vouched for it
			rest = rest[len(q):]
		} else {
			v, rest, _ = strings.Cut(rest, " ")
		}
		out[k] = v
		line = rest
	}
	return out
}

// proc is a running lostinnl.
type proc struct {
	t       *testing.T
	cmd     *exec.Cmd
	DataDir string
	URL     string // public listener, http://127.0.0.1:port
	Ops     string // ops listener

	mu     sync.Mutex
	lines  []logLine
	notify chan struct{} // closed and replaced at every new line

	exited  chan struct{}
	waitErr error
}

// baseEnv is the parent environment without LOSTINNL_* (a CI job's settings
// must not change what a test starts) plus what every test wants: loopback
// ports chosen by the kernel, JSON logs, generous form limits, a short drain.
func baseEnv(dataDir string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LOSTINNL_") && !strings.HasPrefix(kv, "NOTIFY_SOCKET=") {
			env = append(env, kv)
		}
	}
	return append(env,
		"LOSTINNL_DATA_DIR="+dataDir,
		"LOSTINNL_ADDR=127.0.0.1:0",
		"LOSTINNL_OPS_ADDR=127.0.0.1:0",
		"LOSTINNL_LOG_FORMAT=json",
		"LOSTINNL_FORM_RATE_LIMIT=1000000",
		"LOSTINNL_FORM_RATE_BURST=1000000",
		"LOSTINNL_SHUTDOWN_TIMEOUT=10s",
	)
}

// start runs `lostinnl serve args...` on dataDir (extra env wins over the
// base) and waits for its "lostinnl serving" line.
func start(t *testing.T, dataDir string, extraEnv []string, args ...string) *proc {
	t.Helper()
	bin := needBinary(t)
	cmd := exec.Command(bin, append([]string{"serve"}, args...)...)
	cmd.Env = append(baseEnv(dataDir), extraEnv...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, cmd: cmd, DataDir: dataDir, notify: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			l := logLine{Raw: sc.Text()}
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				l.Fields = m
			} else {
				l.Text = parseText(l.Raw)
			}
			p.mu.Lock()
			p.lines = append(p.lines, l)
			close(p.notify)
			p.notify = make(chan struct{})
			p.mu.Unlock()
		}
		p.waitErr = cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-p.exited:
		default:
			_ = cmd.Process.Kill() // the test ended early; never leave it running
			<-p.exited
		}
		if t.Failed() {
			p.dumpLog(40)
		}
	})
	serving := p.waitLog(func(l logLine) bool { return l.str("msg") == "lostinnl serving" })
	p.URL, p.Ops = serving.str("url"), serving.str("ops")
	if u, err := url.Parse(p.URL); err != nil || u.Host == "" {
		t.Fatalf("serving line has no usable url: %s", serving.Raw)
	}
	return p
}

// waitLog returns the first log line (old or new) matching ok, failing the
// test if the process exits first.
func (p *proc) waitLog(ok func(logLine) bool) logLine {
	p.t.Helper()
	deadline := time.NewTimer(guard)
	defer deadline.Stop()
	seen := 0
	for {
		p.mu.Lock()
		lines, notify := p.lines[seen:], p.notify
		seen = len(p.lines)
		p.mu.Unlock()
		for _, l := range lines {
			if ok(l) {
				return l
			}
		}
		select {
		case <-notify:
		case <-p.exited:
			// One more pass: the line may have arrived with the exit.
			p.mu.Lock()
			rest := p.lines[seen:]
			p.mu.Unlock()
			for _, l := range rest {
				if ok(l) {
					return l
				}
			}
			p.t.Fatalf("lostinnl exited (%v) before the awaited log line", p.waitErr)
		case <-deadline.C:
			p.t.Fatalf("awaited log line did not come within %s", guard)
		}
	}
}

// logs returns a copy of every line so far.
func (p *proc) logs() []logLine {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]logLine(nil), p.lines...)
}

func (p *proc) dumpLog(n int) {
	ls := p.logs()
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	for _, l := range ls {
		p.t.Logf("lostinnl: %s", l.Raw)
	}
}

// stop sends SIGTERM and waits for the exit; it returns the exit code and
// how long the process took to exit after the signal.
func (p *proc) stop() (int, time.Duration) {
	p.t.Helper()
	t0 := time.Now()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.t.Fatal(err)
	}
	return p.wait(t0)
}

func (p *proc) wait(t0 time.Time) (int, time.Duration) {
	p.t.Helper()
	select {
	case <-p.exited:
	case <-time.After(guard):
		p.t.Fatalf("lostinnl still running %s after SIGTERM", guard)
	}
	d := time.Since(t0)
	var ee *exec.ExitError
	switch {
	case p.waitErr == nil:
		return 0, d
	case errors.As(p.waitErr, &ee):
		return ee.ExitCode(), d
	}
	p.t.Fatalf("wait: %v", p.waitErr)
	return -1, d
}

func (p *proc) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// newClient is a keep-alive client that never follows redirects (a 303 is
// the acknowledgement we look for) and never uses a proxy.
func newClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: 16, DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: guard,
	}
}

// response is a fully read answer.
type response struct {
	Status int
	Header http.Header
	Body   string
}

// get fetches url and reads the whole body, failing the test on any error.
func get(t *testing.T, c *http.Client, url string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return do(t, c, req)
}

func do(t *testing.T, c *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", req.Method, req.URL, err)
	}
	return response{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// contactRequest is a valid same-origin POST /contact. Cross-origin
// protection lets it through because of Sec-Fetch-Site, as a browser sends.
func contactRequest(ctx context.Context, base, subject, message string) (*http.Request, error) {
	form := url.Values{
		"name":    {"Opstest Visitor"},
		"email":   {"visitor@example.org"},
		"subject": {subject},
		"message": {message},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/contact", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req, nil
}

// waitFor polls cond until it is true (guarded).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(guard)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not reached within %s", what, guard)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// readyz returns the status and decoded body of GET base/readyz.
func readyz(t *testing.T, c *http.Client, base string) (int, readyBody) {
	t.Helper()
	r := get(t, c, base+"/readyz")
	var b readyBody
	if err := json.Unmarshal([]byte(r.Body), &b); err != nil {
		t.Fatalf("/readyz body is not JSON: %q", r.Body)
	}
	return r.Status, b
}

type readyBody struct {
	Status string            `json:"status"`
	Failed map[string]string `json:"failed"`
}

// siteWired fails the test when the binary still serves the placeholder
// home page instead of the site (internal/cli serve.go siteHandler).
func siteWired(t *testing.T, c *http.Client, p *proc) {
	t.Helper()
	if r := get(t, c, p.URL+"/contact"); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="message"`) {
		t.Fatalf("GET /contact = %d: the site is not wired into `lostinnl serve` (internal/cli/serve.go siteHandler); these tests need the real pages", r.Status)
	}
}
