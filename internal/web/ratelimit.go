package web

import (
	"math"
	"net/http"
	"strings"

	"lostinnl/internal/web/kit"
)

// rateLimited guards a public form post with the per-IP limit
// (internal/ratelimit); over the
// limit the visitor gets the 429 page with Retry-After.
func (h *handler) rateLimited(next kit.HandlerFunc) kit.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ok, wait := h.limiter.Allow(h.ClientIP(r))
		if !ok {
			if h.onRateLimited != nil {
				h.onRateLimited(formName(r))
			}
			secs := int(math.Ceil(wait.Seconds()))
			if secs < 1 {
				secs = 1
			}
			return &kit.HTTPError{Status: http.StatusTooManyRequests, RetryAfter: secs}
		}
		return next(w, r)
	}
}

// formName names a public form for metrics by its path, so the label set
// stays bounded whatever the request says.
func formName(r *http.Request) string {
	switch {
	case r.URL.Path == "/submit":
		return "report"
	case r.URL.Path == "/contact":
		return "contact"
	case r.URL.Path == "/alerts" || strings.HasPrefix(r.URL.Path, "/alerts/") || strings.HasSuffix(r.URL.Path, "/follow"):
		return "alerts"
	case strings.HasPrefix(r.URL.Path, "/cases/") && strings.HasSuffix(r.URL.Path, "/notes"):
		return "note"
	case strings.HasPrefix(r.URL.Path, "/cases/"):
		return "tip"
	case strings.HasPrefix(r.URL.Path, "/report/"):
		return "report_link"
	}
	return "other"
}
