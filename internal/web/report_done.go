package web

import "net/http"

type reportDoneView struct{ PhotosLater bool }

// reportDone is the confirmation after a report was received.
func (h *handler) reportDone(w http.ResponseWriter, r *http.Request) error {
	p := h.page(r, "Thank you: your report was received")
	p.Nav = "report"
	p.NoIndex = true
	p.Data = reportDoneView{PhotosLater: r.URL.Query().Get("photos") == "later"}
	return h.html(w, http.StatusOK, cacheNone, "submitted.html", p)
}
