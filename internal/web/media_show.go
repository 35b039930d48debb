package web

import (
	"net/http"
	"strings"
)

// mediaVariants are the photo sizes the media pipeline produces.
var mediaVariants = map[string]bool{"320": true, "800": true, "1600": true, "social": true}

// mediaShow is GET /media/{name}. It serves a photo variant only when the
// photo belongs to a public case, so pending, rejected and archived cases'
// photos (and withdrawn ones, whose rows are gone) are never reachable even
// by someone who knows the key. The bytes come from Deps.Media.
func (h *handler) mediaShow(w http.ResponseWriter, r *http.Request) error {
	if h.media == nil {
		return errNotFound()
	}
	name := r.PathValue("name")
	base, ok := strings.CutSuffix(name, ".jpg")
	if !ok {
		return errNotFound()
	}
	i := strings.LastIndexByte(base, '_')
	if i <= 0 || !mediaVariants[base[i+1:]] {
		return errNotFound()
	}
	_, status, err := h.st.PhotoByKey(r.Context(), base[:i])
	if err != nil {
		return err
	}
	if !status.Public() {
		return errNotFound()
	}
	h.media.ServeHTTP(w, r)
	return nil
}
