package offline

import (
	"net/http"

	"lostinnl/internal/web/kit"
)

// saved is GET /saved: the list of cases saved on this device. The list
// itself is on the device, not on the server, so the page is a shell that
// offline.js fills from the worker's cache; without JavaScript it says
// that saving needs it. The same page is precached by the worker, so it
// opens with no signal too.
func (h *handler) saved(w http.ResponseWriter, r *http.Request) error {
	lz := kit.L(r)
	p := h.Page(r, lz.T("Saved for offline"))
	p.Nav = "saved"
	p.Description = lz.T("Case pages saved on this device to read where there is no signal.")
	p.NoIndex = true // the same shell for everyone: nothing to index
	return h.HTML(w, http.StatusOK, kit.CacheStatic, "saved.html", p)
}

// offlinePage is GET /offline: what the worker shows, from its precache,
// for a page that is not saved on the device while there is no network.
// It is an ordinary route so the worker can fetch it when it installs.
func (h *handler) offlinePage(w http.ResponseWriter, r *http.Request) error {
	lz := kit.L(r)
	p := h.Page(r, lz.T("You are offline"))
	p.Description = lz.T("This page is not saved on this device and there is no network connection.")
	p.NoIndex = true
	return h.HTML(w, http.StatusOK, kit.CacheStatic, "offline.html", p)
}
