package deploy_test

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"lostinnl/internal/tlsauto/pebbletest"
)

// TestBinaryHonoursNotifyUnit runs the real binary the way the unit does — Type=notify
// with WatchdogSec — by playing systemd's side of the notify socket: it must send
// READY=1 once serving, WATCHDOG=1 pings well within WatchdogSec, and on SIGTERM
// STOPPING=1 and a clean exit 0 (so Restart=on-failure does not fire on a normal stop).
// Needs LOSTINNL_TEST_BINARY (CI sets it) so a plain `go test ./...` does not build it.
func TestBinaryHonoursNotifyUnit(t *testing.T) {
	bin := os.Getenv("LOSTINNL_TEST_BINARY")
	if bin == "" {
		t.Skip("set LOSTINNL_TEST_BINARY to a built lostinnl to run the systemd notify contract test")
	}
	unit := parseUnit(t, readFile(t, "systemd/lostinnl.service"))
	if typ, _ := unit.last("Service", "Type"); typ != "notify" {
		t.Fatalf("unit Type=%s; this test checks the notify contract", typ)
	}

	dir := t.TempDir()
	sockPath := filepath.Join(dir, "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: sockPath, Net: "unixgram"})
	if err != nil {
		t.Fatalf("notify socket: %v", err)
	}
	defer conn.Close()

	appPort := pebbletest.FreePort(t)
	// WATCHDOG_USEC is what WatchdogSec=… becomes; 2 s keeps the test short, and the
	// app must ping at least every second.
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"NOTIFY_SOCKET="+sockPath,
		"WATCHDOG_USEC=2000000",
		fmt.Sprintf("LOSTINNL_ADDR=127.0.0.1:%d", appPort),
		fmt.Sprintf("LOSTINNL_OPS_ADDR=127.0.0.1:%d", pebbletest.FreePort(t)),
		"LOSTINNL_DATA_DIR="+filepath.Join(dir, "data"),
		"LOSTINNL_LOG_FORMAT=json",
	)
	logFile, err := os.Create(filepath.Join(dir, "lostinnl.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// systemd also sets WATCHDOG_PID to the main pid; it is optional and left unset here.
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // no-op when it already exited
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
		}
		if t.Failed() {
			if b, err := os.ReadFile(filepath.Join(dir, "lostinnl.log")); err == nil {
				t.Logf("--- lostinnl output ---\n%s", b[max(0, len(b)-4096):])
			}
		}
	})

	messages := make(chan string, 64)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				close(messages)
				return
			}
			messages <- string(buf[:n])
		}
	}()
	wait := func(state string, within time.Duration) {
		t.Helper()
		deadline := time.After(within)
		for {
			select {
			case m, ok := <-messages:
				if !ok {
					t.Fatalf("notify socket closed before %s", state)
				}
				for _, line := range strings.Split(m, "\n") {
					if line == state {
						return
					}
				}
			case err := <-exited:
				t.Fatalf("lostinnl exited (%v) before sending %s", err, state)
			case <-deadline:
				t.Fatalf("no %s within %s", state, within)
			}
		}
	}

	wait("READY=1", 60*time.Second)
	// Ready means serving: the listener answers right away.
	pebbletest.WaitHTTP(t, &http.Client{Timeout: 5 * time.Second}, fmt.Sprintf("http://127.0.0.1:%d/healthz", appPort), 200)
	// Two pings within 3 s: the app pings at least every WatchdogSec/2.
	wait("WATCHDOG=1", 3*time.Second)
	wait("WATCHDOG=1", 3*time.Second)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	wait("STOPPING=1", 10*time.Second)
	stopSec, _ := unit.last("Service", "TimeoutStopSec")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("lostinnl exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(40 * time.Second):
		t.Fatalf("lostinnl still running 40s after SIGTERM (unit TimeoutStopSec=%s)", stopSec)
	}
}
