package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp"

	"lostinnl/internal/web"
)

// TestClientInFrench: the scripts speak French on the French site (issue
// 18): /fr/map's status line, markers and popups (whose links stay under
// /fr), /fr/saved's messages (French plural rule: 0 takes the singular),
// and, without a network, the worker's French offline page for a French
// address. The messages come from the page (<body data-messages>), not
// from any request.
func TestClientInFrench(t *testing.T) {
	tb := newTab(t)
	var down atomic.Bool
	s := newSite(t, withDeps(func(d *web.Deps) {
		d.AccessLog = func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if down.Load() {
					panic(http.ErrAbortHandler) // unreachable: no answer
				}
				next.ServeHTTP(w, r)
			})
		}
	}))
	ids := s.seed(seedCases)
	winifred := ids["Winifred Capelin"]
	s.placeCase(winifred, 48.953117, -54.608421)          // Gander
	s.placeCase(ids["Tobias Tuckamore"], 47.5698, -52.68) // Signal Hill

	// --- the map ---
	tb.navigate(s.url + "/fr/map")
	tb.waitFor("the markers", `(document.querySelector("[data-map=cases]") || {dataset: {}}).dataset.markers === "2"`,
		`document.getElementById("map-status").textContent`)
	mustHave(t, tb, "the map's status", `document.getElementById("map-status").textContent`,
		"2 dossiers sont sur la carte. Appuyez sur Tab")
	alts := eval[string](tb, `Array.from(document.querySelectorAll(".leaflet-marker-icon")).map(m => m.alt).join("\n")`)
	if !strings.Contains(alts, "Winifred Capelin, vue pour la dernière fois le ") || strings.Contains(alts, "last seen") {
		t.Errorf("marker names:\n%s", alts)
	}
	sel := `.leaflet-marker-icon[alt^="Winifred Capelin"]`
	tb.do("press Enter on a marker", chromedp.SendKeys(chromedp.CSS(sel), "\r"))
	tb.waitFor("the popup's French link", fmt.Sprintf(`document.activeElement && document.activeElement.closest(".leaflet-popup") && document.activeElement.getAttribute("href") === "/fr/cases/%d"`, winifred),
		`document.activeElement ? document.activeElement.outerHTML : "none"`)
	mustHave(t, tb, "the popup", `document.querySelector(".leaflet-popup").innerText`,
		"Winifred Capelin, vue pour la dernière fois le ", "Lieu indiqué à environ 1 km près.")
	if txt := eval[string](tb, `document.querySelector(".leaflet-popup").innerText`); strings.Contains(txt, "last seen") {
		t.Errorf("English in the French popup: %q", txt)
	}
	if src := axeIfConfigured(t); src != "" {
		tb.axeCheck(src, "map (fr)", "/fr/map")
		tb.navigate(s.url + "/fr/stats")
		tb.axeCheck(src, "stats (fr)", "/fr/stats")
	}
	tb.noPageErrors()

	// --- the saved list, with the worker ---
	tb.navigate(s.url + "/fr/saved")
	tb.waitFor("the saved list", `document.querySelector("#saved-list[data-loaded]") !== null`, `document.getElementById("saved-status").textContent`)
	mustHave(t, tb, "the saved list's status", `document.getElementById("saved-status").textContent`, "0 dossier est enregistré sur cet appareil.")
	if src := axeIfConfigured(t); src != "" {
		tb.axeCheck(src, "saved list (fr)", "/fr/saved")
	}
	// The worker is active (installed: its precache is complete). It
	// controls the pages loaded from now on; this one may have started
	// loading before it was active, so its controller is not waited for.
	if !evalAwait[bool](tb, `navigator.serviceWorker.ready.then(r => !!r.active)`) {
		t.Fatal("no active service worker")
	}
	static := evalAwait[[]string](tb, `caches.keys().then(ns => ns.filter(n => n.indexOf("lostinnl-static-") === 0))`)
	if len(static) != 1 {
		t.Fatalf("static caches %v", static)
	}
	have := cachedURLs(tb, static[0])
	for _, u := range []string{"/offline", "/fr/offline", "/saved", "/fr/saved", "/manifest.webmanifest?lang=fr"} {
		if !have[u] {
			t.Errorf("the worker did not precache %s (has %v)", u, have)
		}
	}

	// --- a case saved from its French page is kept under /fr ---
	frCase := fmt.Sprintf("/fr/cases/%d", winifred)
	tb.navigate(s.url + frCase)
	tb.waitFor("the Save for offline button", `(() => { const b = document.querySelector("[data-offline-save]"); return b && !b.hidden; })()`, `""`)
	tb.do("save for offline", chromedp.Click(chromedp.CSS(`[data-offline-save] button`)))
	tb.waitFor("the French confirmation", `document.querySelector(".offline-save-status").textContent.indexOf("Enregistré sur cet appareil le ") === 0`,
		`document.querySelector(".offline-save-status").textContent`)
	if saved := cachedURLs(tb, "lostinnl-saved"); !saved[frCase] || saved[fmt.Sprintf("/cases/%d", winifred)] {
		t.Errorf("saved from the French page: %v, want %s only", saved, frCase)
	}

	// --- offline: a French address gets the French offline page ---
	setOffline(tb, true)
	down.Store(true)
	tb.navigate(s.url + "/fr/about")
	tb.waitFor("the French offline page", `document.querySelector("h1") && document.querySelector("h1").textContent === "Vous êtes hors ligne"`,
		`document.body.innerText.slice(0, 300)`)
	if href := eval[string](tb, `document.querySelector("a.button").getAttribute("href")`); href != "/fr/saved" {
		t.Errorf("the offline page's link: %q", href)
	}
	tb.navigate(s.url + "/about")
	tb.waitFor("the English offline page", `document.querySelector("h1") && document.querySelector("h1").textContent === "You are offline"`,
		`document.body.innerText.slice(0, 300)`)
	tb.navigate(s.url + frCase)
	tb.waitFor("the French saved copy", `document.querySelector(".offline-banner") !== null`, `document.body.innerText.slice(0, 300)`)
	mustHave(t, tb, "the saved copy's banner", `document.querySelector(".offline-banner").innerText`, "Enregistré le ", "vérifiez s'il y a du nouveau")
	tb.navigate(s.url + "/fr/saved")
	tb.waitFor("the French saved list offline", `document.querySelector("#saved-list[data-loaded]") !== null`, `document.getElementById("saved-status").textContent`)
	mustHave(t, tb, "the offline saved list", `document.getElementById("saved-status").textContent`, "1 dossier est enregistré sur cet appareil.", "Vous êtes hors ligne : vérifiez")
	mustHave(t, tb, "the offline saved list's entry", `document.getElementById("saved-list").innerText`, "Winifred Capelin", "Enregistré le ", "Retirer")
	if href := eval[string](tb, `document.querySelector("#saved-list a").getAttribute("href")`); href != frCase {
		t.Errorf("the saved entry links %q, want %s", href, frCase)
	}
	down.Store(false)
	setOffline(tb, false)
}
