package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// browserCtx is the one browser of this test binary, started by TestMain
// when LOSTINNL_TEST_CHROME is set (nil otherwise). Starting chromium costs
// about a second of CPU on the CI's two cores, so every test opens a tab in
// this browser instead of starting its own.
var browserCtx context.Context

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	exe := os.Getenv("LOSTINNL_TEST_CHROME")
	if exe == "" {
		return m.Run() // every browser test skips with a message
	}
	profile, err := os.MkdirTemp("", "lostinnl-e2e-profile-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e: create browser profile dir:", err)
		return 1
	}
	defer os.RemoveAll(profile)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		// Nothing but the loopback test server may be contacted: no QUIC
		// probing, no component or safe-browsing downloads, no sync.
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-client-side-phishing-detection", true),
		chromedp.Flag("no-pings", true),
		// /dev/shm is tiny in containers; chromium crashes when it fills.
		chromedp.Flag("disable-dev-shm-usage", true),
		// Background tabs must not be throttled: tests drive tabs that
		// are not in front.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "en-CA"),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		fmt.Fprintf(os.Stderr, "e2e: start %s: %v\n", exe, err)
		return 1
	}
	browserCtx = ctx
	return m.Run()
}

// tab is one browser tab for one test, with the page's JavaScript errors
// and console errors collected so a test can fail on them.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu   sync.Mutex
	errs []string
}

// tabTimeout bounds everything one test does in its tab, so a page that
// never loads fails the test instead of hanging CI.
const tabTimeout = 2 * time.Minute

// newTab opens a tab, or skips the test when no browser is configured.
func newTab(t *testing.T) *tab {
	t.Helper()
	if browserCtx == nil {
		t.Skip("browser tests skipped: set LOSTINNL_TEST_CHROME to a chromium binary (e.g. /usr/bin/chromium) to run them")
	}
	tctx, cancelTab := chromedp.NewContext(browserCtx)
	if err := chromedp.Do(tctx); err != nil { // opens the tab
		cancelTab()
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tctx, tabTimeout)
	tb := &tab{t: t, ctx: ctx}
	t.Cleanup(func() {
		cancel()
		cancelTab()
	})
	if err := chromedp.Listen(ctx, tb.onEvent); err != nil {
		t.Fatalf("listen: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("enable log domain: %v", err)
	}
	return tb
}

// onEvent collects uncaught exceptions, console.error calls and browser log
// errors (CSP violations and failed loads are reported there).
func (tb *tab) onEvent(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber)
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		msg = "console.error: " + strings.Join(parts, " ")
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		if e.Level != cdplog.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("browser log (%s): %s %s", e.Source, e.Text, e.URL)
	default:
		return
	}
	tb.mu.Lock()
	tb.errs = append(tb.errs, msg)
	tb.mu.Unlock()
}

// pageErrors returns the errors collected so far and forgets them.
func (tb *tab) pageErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	e := tb.errs
	tb.errs = nil
	return e
}

// noPageErrors fails the test if the pages showed JavaScript errors, CSP
// violations or failed loads. ignore lists substrings of expected messages
// (for example the 404 of a page that is meant to be missing).
func (tb *tab) noPageErrors(ignore ...string) {
	tb.t.Helper()
next:
	for _, e := range tb.pageErrors() {
		for _, ig := range ignore {
			if strings.Contains(e, ig) {
				continue next
			}
		}
		tb.t.Errorf("page error: %s", e)
	}
}

// do runs steps in the tab and fails the test with what step was running.
func (tb *tab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes the result.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it is truthy. what says what
// is awaited, for the failure message; diag is evaluated on timeout to show
// the page's state. Errors while polling are retried: the predicate often
// waits for a navigation, during which evaluation fails.
func (tb *tab) waitFor(what, predicate, diag string) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var lastErr error
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool]("!!("+predicate+")"))
		if err == nil && ok {
			return
		}
		lastErr = err
		if time.Now().After(deadline) || tb.ctx.Err() != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	state := ""
	if diag != "" {
		if s, derr := chromedp.Run(tb.ctx, chromedp.Evaluate[string](diag)); derr == nil {
			state = "\npage state: " + s
		}
	}
	if lastErr != nil {
		state += "\nlast error: " + lastErr.Error()
	}
	tb.t.Fatalf("waiting for %s: timed out%s", what, state)
}

// navigate loads url and waits until the document has loaded.
func (tb *tab) navigate(url string) {
	tb.t.Helper()
	tb.do("navigate to "+url, chromedp.Navigate(url))
}

// text returns document.body.innerText (what a reader sees).
func (tb *tab) text() string {
	tb.t.Helper()
	return eval[string](tb, `document.body ? document.body.innerText : ""`)
}

// path returns location.pathname + location.search of the page.
func (tb *tab) path() string {
	tb.t.Helper()
	return eval[string](tb, `location.pathname + location.search`)
}

// artifactDir is where screenshots go: LOSTINNL_TEST_ARTIFACTS when set
// (CI keeps it), else the test's temporary directory.
func artifactDir(t *testing.T) string {
	t.Helper()
	if d := os.Getenv("LOSTINNL_TEST_ARTIFACTS"); d != "" {
		d = filepath.Join(d, "screenshots")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("create artifacts dir: %v", err)
		}
		return d
	}
	return t.TempDir()
}
