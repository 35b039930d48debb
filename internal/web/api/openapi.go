package api

import (
	"net/http"
	"strconv"

	"lostinnl/internal/openapi"
)

// documentCache: the description changes only with a new release, but an
// hour keeps partners from holding an old one for long after one.
const documentCache = "public, max-age=3600"

// apiDocument is GET /api/v1/openapi.json: the OpenAPI 3.1 description of
// this API (internal/openapi), for partners and their tools.
func (h *handler) apiDocument(w http.ResponseWriter, r *http.Request) error {
	doc := openapi.Document()
	hd := w.Header()
	hd.Set("Content-Type", openapi.ContentType)
	hd.Set("Cache-Control", documentCache)
	hd.Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(doc) // a write error means the client left
	return nil
}
