package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"lostinnl/internal/store"
	"lostinnl/internal/web"
)

// TestOfflineSavedCases is issue 19 point 1 in a real browser: a volunteer
// saves two case pages, loses the network (the browser emulates being
// offline, service worker included, and the server drops every connection
// meanwhile), and still opens the saved pages, with the "saved on" banner,
// photo and poster, while an unsaved page shows the offline page. Back
// online, a moderator marks one case located, and the volunteer's next
// visit takes it off the device.
func TestOfflineSavedCases(t *testing.T) {
	tb := newTab(t)
	// down makes the server drop connections without an answer, as when
	// it is unreachable; dropped counts the attempts.
	var down atomic.Bool
	var dropped atomic.Int64
	s := newSite(t, withDeps(func(d *web.Deps) {
		d.AccessLog = func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if down.Load() {
					dropped.Add(1)
					panic(http.ErrAbortHandler) // net/http closes the connection, no answer
				}
				next.ServeHTTP(w, r)
			})
		}
	}))
	ids := s.seed(seedCases)
	withPhoto := ids["Marigold Bakeapple"]
	noPhoto := ids["Winifred Capelin"]
	unsaved := ids["Tobias Tuckamore"]
	caseURL := func(id int64) string { return fmt.Sprintf("%s/cases/%d", s.url, id) }

	// --- online: save two cases ---
	for _, id := range []int64{withPhoto, noPhoto} {
		tb.navigate(caseURL(id))
		tb.waitFor("the Save for offline button (shown once the service worker is active)",
			`(() => { const b = document.querySelector("[data-offline-save]"); return b && !b.hidden; })()`,
			`"controller: " + !!navigator.serviceWorker.controller`)
		if got := eval[string](tb, `document.querySelector("[data-offline-save] button").textContent`); got != "Save for offline" {
			t.Errorf("case %d: button says %q", id, got)
		}
		tb.do("save for offline", chromedp.Click(chromedp.CSS(`[data-offline-save] button`)))
		tb.waitFor("the saved confirmation", `document.querySelector(".offline-save-status").textContent.indexOf("Saved on this device on") === 0`,
			`document.querySelector(".offline-save-status").textContent`)
	}
	// Chromium reads the manifest without complaint, finds the site
	// installable, and the worker's scope is the whole site.
	mf, err := chromedp.Call(tb.ctx, page.GetAppManifest, page.GetAppManifestParams{})
	if err != nil {
		t.Fatalf("get the app manifest: %v", err)
	}
	if !strings.HasSuffix(mf.URL, "/manifest.webmanifest") || len(mf.Errors) > 0 {
		t.Errorf("manifest %s: errors %+v", mf.URL, mf.Errors)
	}
	inst, err := chromedp.Call(tb.ctx, page.GetInstallabilityErrors, cdp.Empty{})
	if err != nil {
		t.Fatalf("installability: %v", err)
	}
	for _, e := range inst.InstallabilityErrors {
		t.Errorf("not installable: %s %+v", e.ErrorID, e.ErrorArguments)
	}
	if scope := evalAwait[string](tb, `navigator.serviceWorker.getRegistration().then(r => r ? r.scope : "")`); scope != s.url+"/" {
		t.Errorf("service worker scope %q", scope)
	}

	saved := cachedURLs(tb, "lostinnl-saved")
	posterPath := fmt.Sprintf("/cases/%d/poster.pdf", withPhoto)
	for _, want := range []string{
		fmt.Sprintf("/cases/%d", withPhoto), posterPath, posterPath + "?size=a4",
		fmt.Sprintf("/cases/%d", noPhoto), fmt.Sprintf("/cases/%d/poster.pdf", noPhoto),
	} {
		if !saved[want] {
			t.Errorf("the saved cache lacks %s (has %v)", want, saved)
		}
	}
	// Every photo variant the page uses (src and srcset) is on the device.
	tb.navigate(caseURL(withPhoto))
	photos := eval[[]string](tb, `(() => {
		const out = [];
		document.querySelectorAll("#main img").forEach(i => {
			[i.getAttribute("src")].concat((i.getAttribute("srcset") || "").split(",").map(s => s.trim().split(" ")[0]))
				.filter(u => u && u.indexOf("/media/") === 0).forEach(u => out.push(u));
		});
		return out;
	})()`)
	if len(photos) < 3 {
		t.Fatalf("the case page shows %d photo URLs, want the primary's variants: %v", len(photos), photos)
	}
	for _, u := range photos {
		if !saved[u] {
			t.Errorf("photo %s is not saved", u)
		}
	}

	// --- offline ---
	setOffline(tb, true)
	down.Store(true)

	tb.navigate(caseURL(withPhoto))
	tb.waitFor("the saved-on banner", `document.querySelector(".offline-banner") !== null`, `document.title + " | " + document.body.innerText.slice(0, 300)`)
	banner := eval[string](tb, `document.querySelector(".offline-banner").innerText`)
	if !strings.HasPrefix(banner, "Saved on ") || !strings.Contains(banner, "— check for updates when you have signal") {
		t.Errorf("banner %q", banner)
	}
	if name := eval[string](tb, `document.getElementById("case-name").textContent`); name != "Marigold Bakeapple" {
		t.Errorf("the saved page shows %q", name)
	}
	tb.waitFor("the saved photo", imagesLoaded+` && document.querySelector(".primary-photo img").naturalWidth > 0`,
		`document.querySelector(".primary-photo img").currentSrc`)
	// The poster opens from the device.
	poster := evalAwait[string](tb, fmt.Sprintf(`fetch(%q).then(r => r.arrayBuffer().then(b => r.status + " " + r.headers.get("Content-Type") + " " + new TextDecoder().decode(b.slice(0, 5))))`, posterPath))
	if poster != "200 application/pdf %PDF-" {
		t.Errorf("poster offline: %q", poster)
	}
	posterA4 := evalAwait[string](tb, fmt.Sprintf(`fetch(%q).then(r => r.status + " " + r.headers.get("Content-Type"))`, posterPath+"?size=a4"))
	if posterA4 != "200 application/pdf" {
		t.Errorf("A4 poster offline: %q", posterA4)
	}
	// A saved case without a photo opens too, placeholder portrait and all.
	tb.navigate(caseURL(noPhoto))
	tb.waitFor("the second saved page", `document.querySelector(".offline-banner") !== null && document.getElementById("case-name").textContent === "Winifred Capelin"`, `document.body.innerText.slice(0, 300)`)
	tb.waitFor("the placeholder portrait", imagesLoaded+` && document.querySelector(".primary-photo img").naturalWidth > 0`, ``)

	// A case that was not saved, and the home page: the offline page.
	for _, u := range []string{caseURL(unsaved), s.url + "/"} {
		tb.navigate(u)
		tb.waitFor("the offline page at "+u, `document.querySelector("h1") && document.querySelector("h1").textContent === "You are offline"`, `document.body.innerText.slice(0, 300)`)
		if eval[bool](tb, `document.querySelector(".offline-banner") !== null`) {
			t.Errorf("%s: the offline page shows a saved-on banner", u)
		}
	}
	if src := axeIfConfigured(t); src != "" {
		tb.axeCheck(src, "offline page", "/offline (from the service worker)")
	}

	// The saved list works offline, from the device.
	tb.navigate(s.url + "/saved")
	tb.waitFor("the saved list", `document.querySelector("#saved-list[data-loaded]") !== null`, `document.getElementById("saved-status").textContent`)
	list := eval[string](tb, `document.getElementById("saved").innerText`)
	for _, want := range []string{"Marigold Bakeapple", "Winifred Capelin", "Saved on ", "You are offline"} {
		if !strings.Contains(list, want) {
			t.Errorf("offline saved list lacks %q:\n%s", want, list)
		}
	}
	t.Logf("connections the server dropped while offline: %d", dropped.Load())

	// --- back online; a moderator marks one case located ---
	down.Store(false)
	setOffline(tb, false)
	const email, password = "ida.admin@example.org", "tuckamore-kittiwake-1997"
	secret := s.addAdmin(email, password)
	tb.adminSignIn(s, "/admin", email, password, secret)
	tb.navigate(fmt.Sprintf("%s/admin/cases/%d", s.url, withPhoto))
	tb.do("choose Mark located", chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/admin/cases/%d/status?to=located"]`, withPhoto))))
	tb.waitFor("the confirmation step", `document.getElementById("status-form") !== null`, `location.href`)
	tb.do("confirm", chromedp.Click(chromedp.ID("f-confirm")), chromedp.Click(chromedp.CSS(`#status-form button[type=submit]`)))
	tb.waitFor("the case after marking located", fmt.Sprintf(`location.pathname === "/admin/cases/%d" && document.readyState === "complete"`, withPhoto), `location.href`)

	// The volunteer's next visit to the saved list checks every saved
	// case: the located one leaves the device, the open one stays.
	tb.navigate(s.url + "/saved")
	tb.waitFor("the rechecked saved list", `document.querySelector("#saved-list[data-loaded]") !== null`, `document.getElementById("saved-status").textContent`)
	list = eval[string](tb, `document.getElementById("saved-list").innerText`)
	if strings.Contains(list, "Marigold Bakeapple") || !strings.Contains(list, "Winifred Capelin") {
		t.Errorf("after the takedown the saved list is:\n%s", list)
	}
	if st := eval[string](tb, `document.getElementById("saved-status").textContent`); !strings.Contains(st, "Removed because the appeal has ended: Marigold Bakeapple") {
		t.Errorf("saved-list status %q does not say what was removed", st)
	}
	saved = cachedURLs(tb, "lostinnl-saved")
	for u := range saved {
		if strings.HasPrefix(u, fmt.Sprintf("/cases/%d", withPhoto)) {
			t.Errorf("%s is still on the device after the takedown", u)
		}
		for _, p := range photos {
			if u == p {
				t.Errorf("photo %s is still on the device after the takedown", u)
			}
		}
	}
	if src := axeIfConfigured(t); src != "" {
		tb.axeCheck(src, "saved list", "/saved (one case saved)")
	}

	// Remove the other one with its button.
	tb.do("remove the remaining case", chromedp.Click(chromedp.CSS(`#saved-list button`)))
	tb.waitFor("the empty list", `!document.getElementById("saved-empty").hidden && document.querySelectorAll("#saved-list li").length === 0`, `document.getElementById("saved").innerText`)
	if n := len(cachedURLs(tb, "lostinnl-saved")); n != 0 {
		t.Errorf("%d entries left in the saved cache after removing everything", n)
	}

	// The closed case's own page, once opened again online, shows the
	// Located notice (the network answer, not an old copy).
	tb.navigate(caseURL(withPhoto))
	if eval[bool](tb, `document.querySelector(".offline-banner") !== null || document.querySelector(".located-banner") === null`) {
		t.Error("the located case's page is not the server's Located page")
	}
	tb.noPageErrors()
}

// TestOfflineTakedownOnVisit: a saved case whose appeal ends is removed
// from the device by the next visit to its own page, not only from the
// saved list (an archived case answers 410).
func TestOfflineTakedownOnVisit(t *testing.T) {
	tb := newTab(t)
	// No page cache: the case is archived straight through the store,
	// which does not purge it (the admin area does; see above).
	s := newSite(t, withDeps(func(d *web.Deps) { d.PageCache = nil }))
	ids := s.seed(seedCases[:3])
	id := ids["Winifred Capelin"]
	u := fmt.Sprintf("%s/cases/%d", s.url, id)
	tb.navigate(u)
	tb.waitFor("the Save for offline button", `(() => { const b = document.querySelector("[data-offline-save]"); return b && !b.hidden; })()`, ``)
	tb.do("save for offline", chromedp.Click(chromedp.CSS(`[data-offline-save] button`)))
	tb.waitFor("the saved confirmation", `document.querySelector(".offline-save-status").textContent.indexOf("Saved on this device on") === 0`, `document.querySelector(".offline-save-status").textContent`)
	// Reloaded online, a saved page is the network's, refreshed in the
	// background, and says it is saved.
	tb.navigate(u)
	tb.waitFor("the saved state", `document.querySelector(".offline-save-status").textContent.indexOf("Saved on this device on") === 0`, ``)
	if eval[bool](tb, `document.querySelector(".offline-banner") !== null`) {
		t.Error("an online page load shows the offline banner")
	}
	if got := eval[string](tb, `document.querySelector("[data-offline-save] button").textContent`); got != "Update saved copy" {
		t.Errorf("button on a saved case says %q", got)
	}

	if err := s.st.TransitionCase(context.Background(), id, store.StatusArchived, "e2e: appeal ended", nil); err != nil {
		t.Fatal(err)
	}
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusGone {
		t.Errorf("the archived case's page: %d, want 410 (not the saved copy)", resp.Status)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(cachedURLs(tb, "lostinnl-saved-index")) > 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := len(cachedURLs(tb, "lostinnl-saved-index")); n != 0 {
		t.Errorf("the archived case is still in the saved list")
	}
	if n := len(cachedURLs(tb, "lostinnl-saved")); n != 0 {
		t.Errorf("%d entries left in the saved cache after the takedown", n)
	}
	tb.noPageErrors("status of 410")
}

// setOffline switches the tab's network off or on: the page and its
// service worker (emulateOfflineServiceWorker), and navigator.onLine.
func setOffline(tb *tab, offline bool) {
	tb.t.Helper()
	conds := []*network.Conditions{}
	if offline {
		conds = append(conds, &network.Conditions{Offline: true, DownloadThroughput: -1, UploadThroughput: -1})
	}
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.t.Fatalf("enable network domain: %v", err)
	}
	if _, err := chromedp.Call(tb.ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		EmulateOfflineServiceWorker: &offline,
		MatchedNetworkConditions:    conds,
	}); err != nil {
		tb.t.Fatalf("emulate network conditions (offline %v): %v", offline, err)
	}
	if _, err := chromedp.Call(tb.ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: offline, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		tb.t.Fatalf("override network state (offline %v): %v", offline, err)
	}
}

// cachedURLs lists the paths (with query) in one Cache Storage cache of the
// page's origin.
func cachedURLs(tb *tab, cache string) map[string]bool {
	tb.t.Helper()
	list := evalAwait[[]string](tb, fmt.Sprintf(`caches.open(%q).then(c => c.keys()).then(ks => ks.map(r => { const u = new URL(r.url); return u.pathname + u.search; }))`, cache))
	out := map[string]bool{}
	for _, u := range list {
		out[u] = true
	}
	return out
}

// evalAwait is eval for an expression whose value is a promise.
func evalAwait[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// axeIfConfigured returns axe's source when LOSTINNL_TEST_AXE is set, ""
// otherwise (this test runs without it; the axe checks are then skipped).
func axeIfConfigured(t *testing.T) string {
	t.Helper()
	p := os.Getenv("LOSTINNL_TEST_AXE")
	if p == "" {
		return ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read axe: %v", err)
	}
	return string(b)
}
