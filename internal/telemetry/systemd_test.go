package telemetry

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// listenNotify opens a unixgram socket standing in for systemd's notify
// socket and points $NOTIFY_SOCKET at it.
func listenNotify(t *testing.T, name string) *net.UnixConn {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		t.Fatalf("listen %s: %v", name, err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", name)
	return conn
}

func readDatagram(t *testing.T, conn *net.UnixConn) string {
	t.Helper()
	// A generous deadline only so a broken implementation fails instead of
	// hanging the test run; nothing here measures time.
	if err := conn.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, err := conn.Read(buf)
	if err != nil {
		t.Fatalf("read notify socket: %v", err)
	}
	return string(buf[:n])
}

func TestNotifyPathSocket(t *testing.T) {
	conn := listenNotify(t, filepath.Join(t.TempDir(), "notify.sock"))
	if err := Ready(); err != nil {
		t.Fatal(err)
	}
	if got := readDatagram(t, conn); got != "READY=1" {
		t.Errorf("got %q", got)
	}
	if err := Stopping(); err != nil {
		t.Fatal(err)
	}
	if got := readDatagram(t, conn); got != "STOPPING=1" {
		t.Errorf("got %q", got)
	}
	if err := Notify("STATUS=serving\nREADY=1"); err != nil {
		t.Fatal(err)
	}
	if got := readDatagram(t, conn); got != "STATUS=serving\nREADY=1" {
		t.Errorf("got %q", got)
	}
}

func TestNotifyAbstractSocket(t *testing.T) {
	name := "@lostinnl-test-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	conn := listenNotify(t, name)
	if err := Ready(); err != nil {
		t.Fatal(err)
	}
	if got := readDatagram(t, conn); got != "READY=1" {
		t.Errorf("got %q", got)
	}
}

func TestNotifyUnsetIsNoop(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	if err := Ready(); err != nil {
		t.Errorf("unset NOTIFY_SOCKET: %v", err)
	}
}

func TestNotifyErrors(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "relative/path")
	if err := Ready(); err == nil {
		t.Error("relative socket path accepted")
	}
	missing := filepath.Join(t.TempDir(), "absent.sock")
	t.Setenv("NOTIFY_SOCKET", missing)
	err := Ready()
	if err == nil || !strings.Contains(err.Error(), "sd_notify") {
		t.Errorf("missing socket: %v", err)
	}
}

func TestWatchdogInterval(t *testing.T) {
	pid := strconv.Itoa(os.Getpid())
	for _, tc := range []struct {
		usec, pid string
		want      time.Duration
		on, err   bool
	}{
		{"", "", 0, false, false},
		{"30000000", "", 15 * time.Second, true, false},
		{"30000000", pid, 15 * time.Second, true, false},
		{"30000000", "1", 0, false, false},
		{"abc", "", 0, false, true},
		{"0", "", 0, false, true},
		{"-5", "", 0, false, true},
		{"30000000", "x", 0, false, true},
	} {
		t.Setenv("WATCHDOG_USEC", tc.usec)
		t.Setenv("WATCHDOG_PID", tc.pid)
		d, on, err := WatchdogInterval()
		if d != tc.want || on != tc.on || (err != nil) != tc.err {
			t.Errorf("USEC=%q PID=%q: got %v %v %v", tc.usec, tc.pid, d, on, err)
		}
	}
}

func TestWatchdogPings(t *testing.T) {
	conn := listenNotify(t, filepath.Join(t.TempDir(), "notify.sock"))
	t.Setenv("WATCHDOG_USEC", "20000") // ping every 10 ms
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Watchdog(ctx) }()
	for range 3 {
		if got := readDatagram(t, conn); got != "WATCHDOG=1" {
			t.Errorf("got %q", got)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watchdog returned %v", err)
	}
}

func TestWatchdogDisabledReturnsAtOnce(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "")
	if err := Watchdog(context.Background()); err != nil {
		t.Error(err)
	}
	t.Setenv("WATCHDOG_USEC", "junk")
	if err := Watchdog(context.Background()); err == nil {
		t.Error("bad WATCHDOG_USEC not reported")
	}
}
