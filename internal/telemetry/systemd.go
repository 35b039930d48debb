package telemetry

import (
	"context"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"
)

// Notify sends a state string ("READY=1", "STOPPING=1", "STATUS=…") to the
// service manager over the datagram socket named by $NOTIFY_SOCKET, as
// sd_notify(3) does. It does nothing when the variable is unset (not run by
// systemd, or not Type=notify). Names starting with '@' are Linux abstract
// sockets; Go's net package maps the '@' to the leading NUL byte.
func Notify(state string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return nil
	}
	if addr[0] != '/' && addr[0] != '@' {
		return fmt.Errorf("sd_notify: NOTIFY_SOCKET %q is neither a path nor an abstract socket", addr)
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return fmt.Errorf("sd_notify: dial: %w", err)
	}
	defer conn.Close()
	// A datagram write to a stuck manager could block; never let that hang
	// start-up or shutdown.
	if err := conn.SetWriteDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return fmt.Errorf("sd_notify: set deadline: %w", err)
	}
	if _, err := conn.Write([]byte(state)); err != nil {
		return fmt.Errorf("sd_notify: send %q: %w", firstLine(state), err)
	}
	return nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Ready tells systemd start-up is complete (listeners open, database
// reachable): Type=notify units are "active" only from then on.
func Ready() error { return Notify("READY=1") }

// Stopping tells systemd a graceful shutdown has begun.
func Stopping() error { return Notify("STOPPING=1") }

// WatchdogInterval returns how often to ping the watchdog — half of
// $WATCHDOG_USEC, as sd_watchdog_enabled(3) recommends — and whether the
// watchdog is enabled for this process ($WATCHDOG_PID, when set, must be ours).
func WatchdogInterval() (time.Duration, bool, error) {
	usec := os.Getenv("WATCHDOG_USEC")
	if usec == "" {
		return 0, false, nil
	}
	n, err := strconv.ParseUint(usec, 10, 63)
	if err != nil || n == 0 {
		return 0, false, fmt.Errorf("watchdog: bad WATCHDOG_USEC %q", usec)
	}
	if pid := os.Getenv("WATCHDOG_PID"); pid != "" {
		p, err := strconv.Atoi(pid)
		if err != nil {
			return 0, false, fmt.Errorf("watchdog: bad WATCHDOG_PID %q", pid)
		}
		if p != os.Getpid() {
			return 0, false, nil // meant for another process (a parent shell, say)
		}
	}
	return time.Duration(n) * time.Microsecond / 2, true, nil
}

// Watchdog pings WATCHDOG=1 every half $WATCHDOG_USEC until ctx is done; run
// it in its own goroutine. It returns nil at once when the watchdog is not
// enabled, and an error only for malformed variables. A failed ping is not
// returned: pinging again is the only remedy, and if pings keep failing
// systemd restarts the service, which is the point of a watchdog.
func Watchdog(ctx context.Context) error {
	interval, ok, err := WatchdogInterval()
	if err != nil || !ok {
		return err
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			_ = Notify("WATCHDOG=1") // see above: retrying at the next tick is the handling
		}
	}
}
