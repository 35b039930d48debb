package kit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"lostinnl/internal/i18n"
)

// WriteJSON encodes into a buffer first so an encoding failure is still a
// clean error rather than half a document.
func (h *Env) WriteJSON(w http.ResponseWriter, status int, cache string, v any) error {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/json; charset=utf-8")
	hd.Set("Cache-Control", cache)
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a write error means the client left
	return nil
}

func (h *Env) writeJSONError(w http.ResponseWriter, status int, msg string) {
	// Encoding a struct of one string cannot fail.
	_ = h.WriteJSON(w, status, "no-store", struct {
		Error string `json:"error"`
	}{msg})
}

// apiMessage is the JSON error's text: the handler's own message, or the
// status in words, in the request's language (the API's lang parameter,
// web/querylang.go). The English words are the ones the OpenAPI
// description quotes.
func apiMessage(lz *i18n.Localizer, status int, msg string) string {
	if msg != "" {
		return msg
	}
	switch status {
	case http.StatusBadRequest:
		return lz.TC("api error", "bad request")
	case http.StatusNotFound:
		return lz.TC("api error", "not found")
	case http.StatusMethodNotAllowed:
		return lz.TC("api error", "method not allowed")
	case http.StatusGone:
		return lz.TC("api error", "gone")
	case http.StatusRequestEntityTooLarge:
		return lz.TC("api error", "request too large")
	case http.StatusTooManyRequests:
		return lz.TC("api error", "too many requests")
	case http.StatusServiceUnavailable:
		return lz.TC("api error", "service temporarily unavailable")
	case http.StatusForbidden:
		return lz.TC("api error", "forbidden")
	}
	if status >= 500 {
		return lz.TC("api error", "internal error")
	}
	return lz.TC("api error", "request failed")
}
