// Package telemetry holds everything an operator uses to see what LostInNL is
// doing: structured logs that are safe to ship anywhere, request ids, the
// client address behind trusted proxies, the access log, Prometheus metrics,
// health endpoints and systemd notification.
//
// Nothing here keeps configuration in package-level variables: every value is
// passed in by the caller (cmd/lostinnl wires it from internal/config).
package telemetry

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Redacted replaces every configured secret value found in a log line.
const Redacted = "[redacted]"

// minSecretLen is the shortest secret value we redact. Shorter values ("on",
// "1", "yes") would match ordinary words everywhere and make logs useless,
// and a real secret that short is not a secret anyway.
const minSecretLen = 4

// NewLogger builds the process logger. format is "json" (production, the
// default when empty) or "text" (development); level is "debug", "info" (the
// default when empty), "warn" or "error". Every secret value of at least four
// bytes is replaced by "[redacted]" wherever it appears in a message or a
// string attribute, and control characters in every string are escaped so
// that hostile input cannot forge or hide log lines, in either format.
func NewLogger(w io.Writer, format, level string, secrets []string) (*slog.Logger, error) {
	lvl, err := ParseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: lvl}
	var inner slog.Handler
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "json":
		inner = slog.NewJSONHandler(w, opts)
	case "text":
		inner = slog.NewTextHandler(w, opts)
	default:
		return nil, fmt.Errorf("log format %q: want json or text", format)
	}
	return slog.New(NewSafeHandler(inner, secrets)), nil
}

// ParseLevel turns a configured level name into a slog.Level.
func ParseLevel(level string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(level)) {
	case "", "info":
		return slog.LevelInfo, nil
	case "debug":
		return slog.LevelDebug, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("log level %q: want debug, info, warn or error", level)
}

// SafeHandler wraps another slog.Handler and cleans every record before it is
// written: secret values are redacted and control characters escaped. It also
// adds the request id found in the context (see RequestID) to records that do
// not carry one, so handler code that logs with a request's context can be
// correlated with the access log line.
type SafeHandler struct {
	inner    slog.Handler
	replacer *strings.Replacer // nil when there is nothing to redact
	secrets  []string          // the values the replacer looks for, longest first
	// hasID is set once WithAttrs attached a request_id, so Handle does not
	// add a second one from the context.
	hasID bool
}

// NewSafeHandler wraps inner. Secrets shorter than four bytes are ignored.
func NewSafeHandler(inner slog.Handler, secrets []string) *SafeHandler {
	var vals []string
	for _, s := range secrets {
		if len(s) < minSecretLen {
			continue
		}
		vals = append(vals, s)
		// A secret embedded in a URL (a DSN in an error message, say) is
		// often printed in its escaped form; redact that spelling too.
		for _, v := range []string{url.QueryEscape(s), url.PathEscape(s)} {
			if v != s {
				vals = append(vals, v)
			}
		}
	}
	// Longest first, so that a secret which contains another secret is
	// replaced whole instead of leaving its remainder in the log.
	slices.SortFunc(vals, func(a, b string) int { return len(b) - len(a) })
	vals = slices.Compact(vals)
	h := &SafeHandler{inner: inner, secrets: vals}
	if len(vals) > 0 {
		pairs := make([]string, 0, 2*len(vals))
		for _, v := range vals {
			pairs = append(pairs, v, Redacted)
		}
		h.replacer = strings.NewReplacer(pairs...)
	}
	return h
}

// Enabled reports whether the wrapped handler logs at level.
func (h *SafeHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

// Handle cleans the record and passes it on.
func (h *SafeHandler) Handle(ctx context.Context, r slog.Record) error {
	if clean, hasID := h.alreadyClean(r); clean {
		// Most records (every access log line) hold nothing to clean:
		// they go on as they are, without a copy.
		if !hasID {
			if id := RequestID(ctx); id != "" {
				r = r.Clone() // the caller may share its attributes
				r.AddAttrs(slog.String(requestIDKey, id))
			}
		}
		return h.inner.Handle(ctx, r)
	}
	out := slog.NewRecord(r.Time, r.Level, h.clean(r.Message), r.PC)
	hasID := h.hasID
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == requestIDKey {
			hasID = true
		}
		out.AddAttrs(h.cleanAttr(a))
		return true
	})
	if !hasID {
		if id := RequestID(ctx); id != "" {
			out.AddAttrs(slog.String(requestIDKey, id))
		}
	}
	return h.inner.Handle(ctx, out)
}

// alreadyClean reports whether cleaning would leave r as it is: its
// message, keys and string values hold no secret and no control character,
// and it has no value of another kind that cleaning may rewrite (errors,
// groups, values logged with slog.Any). hasID: it carries a request id.
func (h *SafeHandler) alreadyClean(r slog.Record) (clean, hasID bool) {
	if h.clean(r.Message) != r.Message {
		return false, false
	}
	clean, hasID = true, h.hasID
	r.Attrs(func(a slog.Attr) bool {
		hasID = hasID || a.Key == requestIDKey
		switch a.Value.Kind() {
		case slog.KindString:
			clean = h.clean(a.Value.String()) == a.Value.String()
		case slog.KindGroup, slog.KindAny, slog.KindLogValuer:
			clean = false
		}
		clean = clean && h.clean(a.Key) == a.Key
		return clean
	})
	return clean, hasID
}

// WithAttrs cleans the attributes once, when they are attached.
func (h *SafeHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	cleaned := make([]slog.Attr, len(attrs))
	hasID := h.hasID
	for i, a := range attrs {
		cleaned[i] = h.cleanAttr(a)
		hasID = hasID || a.Key == requestIDKey
	}
	return &SafeHandler{inner: h.inner.WithAttrs(cleaned), replacer: h.replacer, secrets: h.secrets, hasID: hasID}
}

// WithGroup cleans the group name like any other key.
func (h *SafeHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h // slog's rule: an empty group name is no group
	}
	// Inside a group an added request_id would be nested in it; claim it is
	// present so records stay predictable (callers of WithGroup loggers add
	// it themselves if they want it).
	return &SafeHandler{inner: h.inner.WithGroup(h.clean(name)), replacer: h.replacer, secrets: h.secrets, hasID: true}
}

// Redact replaces the handler's secrets in s, without escaping. Other code
// that must show text to people (error pages, health output) can use it.
func (h *SafeHandler) Redact(s string) string {
	// strings.Replacer allocates even when nothing matches; most log text
	// holds no secret, so look first.
	if h.replacer == nil || !h.containsSecret(s) {
		return s
	}
	return h.replacer.Replace(s)
}

func (h *SafeHandler) clean(s string) string {
	return EscapeControl(h.Redact(s))
}

func (h *SafeHandler) containsSecret(s string) bool {
	for _, v := range h.secrets {
		if strings.Contains(s, v) {
			return true
		}
	}
	return false
}

func (h *SafeHandler) cleanAttr(a slog.Attr) slog.Attr {
	a.Key = h.clean(a.Key)
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		a.Value = slog.StringValue(h.clean(v.String()))
	case slog.KindGroup:
		group := v.Group()
		cleaned := make([]slog.Attr, len(group))
		for i, g := range group {
			cleaned[i] = h.cleanAttr(g)
		}
		a.Value = slog.GroupValue(cleaned...)
	case slog.KindAny:
		a.Value = h.cleanAny(v.Any())
	default:
		// Numbers, booleans, times and durations cannot carry text.
		a.Value = v
	}
	return a
}

// cleanAny handles values logged with slog.Any. Errors and Stringers become
// their cleaned text (an error message is the most likely place for a DSN to
// leak). Other values keep their structure unless their printed form contains
// a secret or a control character, in which case they are logged as cleaned
// text: losing structure is better than leaking.
func (h *SafeHandler) cleanAny(x any) slog.Value {
	switch t := x.(type) {
	case nil:
		return slog.AnyValue(nil)
	case error:
		return slog.StringValue(h.clean(safeText(t.Error)))
	case fmt.Stringer:
		return slog.StringValue(h.clean(safeText(t.String)))
	case []byte:
		return slog.StringValue(h.clean(string(t)))
	}
	s := fmt.Sprintf("%+v", x)
	if h.containsSecret(s) || EscapeControl(s) != s {
		return slog.StringValue(h.clean(s))
	}
	return slog.AnyValue(x)
}

// safeText calls an Error or String method, which panics for a typed nil
// pointer with a value receiver (or a buggy method); logging must never take a
// request down, so the panic becomes text, as slog itself does.
func safeText(f func() string) (s string) {
	defer func() {
		if p := recover(); p != nil {
			s = fmt.Sprintf("!PANIC: %v", p)
		}
	}()
	return f()
}

// EscapeControl returns s with every character that could break a log line or
// fool a terminal written as a visible escape: C0 and C1 control characters
// (newline, carriage return, ESC of ANSI sequences, DEL …), the Unicode line
// and paragraph separators, bidirectional overrides ("Trojan Source" style
// reordering) and invalid UTF-8 bytes. Printable text is returned unchanged
// and without allocating.
func EscapeControl(s string) string {
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !needsEscape(r, size) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

func needsEscape(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size <= 1:
		return true // invalid byte
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true // C0, DEL, C1 (0x9b is a one-character CSI)
	case r == 0x2028, r == 0x2029:
		return true // line and paragraph separators
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true // bidirectional controls
	}
	return false
}
