package kit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
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

func apiMessage(status int, msg string) string {
	if msg != "" {
		return msg
	}
	switch status {
	case http.StatusNotFound:
		return "not found"
	case http.StatusMethodNotAllowed:
		return "method not allowed"
	case http.StatusTooManyRequests:
		return "too many requests"
	case http.StatusServiceUnavailable:
		return "service temporarily unavailable"
	case http.StatusForbidden:
		return "forbidden"
	}
	if status >= 500 {
		return "internal error"
	}
	return http.StatusText(status)
}
