package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildBinary compiles lostinnl into a temp dir, as an operator would, or
// uses $LOSTINNL_TEST_BINARY when CI has built it once already.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the real binary; skipped with -short")
	}
	if p := os.Getenv("LOSTINNL_TEST_BINARY"); p != "" {
		return p
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "lostinnl")
	cmd := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// cleanEnv is the parent's environment without any LOSTINNL_* variable, so
// a CI job's settings cannot change what this test starts.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LOSTINNL_") && !strings.HasPrefix(kv, "NOTIFY_SOCKET=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

type logLine struct {
	Msg string `json:"msg"`
	URL string `json:"url"`
	Ops string `json:"ops"`
	Raw string `json:"-"`
}

// TestBinaryGracefulShutdown starts the real binary, begins a request,
// delivers SIGTERM while the request is still in flight, and checks that the
// request completes, new work stops, and the process exits 0.
func TestBinaryGracefulShutdown(t *testing.T) {
	bin := buildBinary(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(bin, "serve")
	cmd.Env = cleanEnv(
		"LOSTINNL_DATA_DIR="+dataDir,
		"LOSTINNL_ADDR=127.0.0.1:0",
		"LOSTINNL_OPS_ADDR=127.0.0.1:0",
		"LOSTINNL_LOG_FORMAT=json",
		"LOSTINNL_SHUTDOWN_TIMEOUT=1m",
	)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	lines := make(chan logLine, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var l logLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				l.Msg = "NOT JSON"
			}
			l.Raw = sc.Text()
			lines <- l
		}
		close(lines)
		exited <- cmd.Wait()
	}()
	defer func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill() // test failed midway; do not leave it running
		}
	}()
	// next returns the next log line, failing the test if the process ends
	// first. The deadline is only a guard against a hung binary.
	next := func(want string) logLine {
		t.Helper()
		deadline := time.After(2 * time.Minute)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("process ended before logging %q", want)
				}
				if l.Msg == "NOT JSON" {
					t.Errorf("non-JSON log line: %s", l.Raw)
				}
				if l.Msg == want {
					return l
				}
			case <-deadline:
				t.Fatalf("no %q log line", want)
			}
		}
	}

	serving := next("lostinnl serving")
	u, err := url.Parse(serving.URL)
	if err != nil || u.Host == "" {
		t.Fatalf("serving line has no URL: %q", serving.URL)
	}
	resp, err := http.Get(serving.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<html") {
		t.Fatalf("GET / = %d %q", resp.StatusCode, body)
	}

	// The slow request: a form POST whose body is only partly sent. The
	// contact handler reads the form, so it is running and blocked on the
	// rest of the body across the signal — whatever the size of the page
	// it will answer with (a handler that answers without reading would
	// leave it to net/http's buffering whether the request is still open).
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const bodyText = "name=Ada&email=ada%40example.org&subject=Hello&message=seen+near+Gander"
	head := "POST /contact HTTP/1.1\r\nHost: " + u.Host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Content-Length: " + itoa(len(bodyText)) + "\r\n\r\n"
	if _, err := io.WriteString(conn, head+bodyText[:7]); err != nil {
		t.Fatal(err)
	}
	// Wait until the handler is running (the in-flight gauge counts it):
	// signalling earlier would test a different case, a request that
	// arrives during shutdown.
	waitForGauge(t, serving.Ops+"/metrics", "http_requests_in_flight 1")

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	next("shutting down")
	// Wait until the listener is closed: shutdown is then really under way
	// (new connections are refused) while our request is still open.
	waitRefused(t, u.Host)

	// The rest of the body arrives and the answer comes back.
	if _, err := io.WriteString(conn, bodyText[7:]); err != nil {
		t.Fatalf("in-flight connection was cut: %v", err)
	}
	if err := conn.SetReadDeadline(time.Now().Add(time.Minute)); err != nil { // guard, not an assertion
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	resp, err = http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("in-flight request got no response: %v", err)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("in-flight response cut off: %v", err)
	}
	if resp.StatusCode >= 500 {
		t.Errorf("in-flight request answered %d", resp.StatusCode)
	}
	// Then the server closes the connection instead of keeping it alive.
	if n, err := br.Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("after the response: read %d bytes, err %v; want the server to close the connection", n, err)
	}

	next("shutdown complete")
	for range lines { // drain until the process closes stderr
	}
	err = <-exited
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("exit status %d, want 0", ee.ExitCode())
		}
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "lostinnl.db")); err != nil {
		t.Errorf("database file: %v", err)
	}
	// SQLite removes the WAL file when the last connection closes cleanly:
	// its absence shows the database was closed, not abandoned.
	if _, err := os.Stat(filepath.Join(dataDir, "lostinnl.db-wal")); !os.IsNotExist(err) {
		t.Errorf("lostinnl.db-wal still present after exit (database not closed?): %v", err)
	}
}

// TestBinaryBadConfig: one line on stderr, exit 2, no stack trace.
func TestBinaryBadConfig(t *testing.T) {
	bin := buildBinary(t)
	cmd := exec.CommandContext(t.Context(), bin)
	cmd.Env = cleanEnv("LOSTINNL_ADDR=abc", "LOSTINNL_DATA_DIR="+t.TempDir())
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("err %v, want exit 2", err)
	}
	if string(out) != "LOSTINNL_ADDR: not a host:port: \"abc\"\n" {
		t.Errorf("output %q", out)
	}
}

// waitRefused dials addr until the connection is refused.
func waitRefused(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // guard against a hung binary only
	for time.Now().Before(deadline) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			return
		}
		c.Close()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s still accepts connections during shutdown", addr)
}

// waitForGauge polls url until a metrics line equals line.
func waitForGauge(t *testing.T, url, line string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // guard against a hung binary only
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(strings.Split(string(b), "\n"), line) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%q never appeared at %s", line, url)
}

func itoa(n int) string {
	b := []byte{}
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}
