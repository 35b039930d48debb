// Package e2e holds LostInNL's end-to-end browser tests: the real web
// handler (web.New) over a real SQLite store, field cipher and photo bucket,
// driven through Debian's chromium with chromedp (DESIGN.md §7).
//
// The tests run when LOSTINNL_TEST_CHROME names the browser binary and skip
// otherwise. LOSTINNL_TEST_AXE (path to axe.min.js) enables the
// accessibility checks, and LOSTINNL_TEST_ARTIFACTS (a directory) keeps
// the screenshots. The package has no non-test code besides this file.
package e2e
