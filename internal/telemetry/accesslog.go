package telemetry

import (
	"log/slog"
	"net/http"
	"net/netip"
	"time"
)

// AccessLog writes one line per request after it has been served: method,
// route pattern (never the raw path, which holds ids, and never the query
// string or form values, which hold what people typed), status, body bytes,
// duration, client IP and request id.
//
// Place it just inside RequestIDMiddleware, and put CaptureRoute around the
// mux so the route is known even when middleware in between copies the
// request.
func AccessLog(logger *slog.Logger, trustedProxies []netip.Prefix) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			start := time.Now()
			r, slot := withRouteSlot(r)
			rec := newResponseRecorder(w)
			defer func() {
				// Deferred: if a handler panics past every recover
				// middleware, net/http still logs the panic, and we
				// still log the request (as status 200 if nothing was
				// written; the client sees a reset connection).
				ip := ""
				if a := ClientIP(r, trustedProxies); a.IsValid() {
					ip = a.String()
				}
				logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
					slog.String("method", r.Method),
					slog.String("route", routeOf(r, slot)),
					slog.Int("status", rec.Status()),
					slog.Int64("bytes", rec.bytes),
					slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
					slog.String("client_ip", ip),
					slog.String(requestIDKey, RequestID(r.Context())),
				)
			}()
			next.ServeHTTP(rec, r)
		})
	}
}
