package telemetry

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Fictional secret values, of the kinds we configure.
const (
	secretDBPass  = "s3cr3t-Pa55word!"
	secretSession = "c2Vzc2lvbi1rZXktMTIzNDU2Nzg5MA=="
	secretShort   = "abc" // below the minimum: must not be redacted
)

func testLogger(t *testing.T, format string) (*slog.Logger, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	l, err := NewLogger(&buf, format, "debug", []string{secretDBPass, secretSession, secretShort, ""})
	if err != nil {
		t.Fatalf("NewLogger: %v", err)
	}
	return l, &buf
}

func TestNewLoggerRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct{ format, level string }{
		{"xml", "info"}, {"json", "verbose"}, {"json", "inf"},
	} {
		if _, err := NewLogger(&bytes.Buffer{}, tc.format, tc.level, nil); err == nil {
			t.Errorf("NewLogger(%q, %q): want error", tc.format, tc.level)
		}
	}
	for _, tc := range []struct{ format, level string }{
		{"", ""}, {"JSON", "DEBUG"}, {"text", "warn"}, {" json ", "error"},
		// slog.Level.String() spellings, as config holds a slog.Level
		{"json", slog.LevelDebug.String()}, {"json", slog.LevelInfo.String()},
		{"json", slog.LevelWarn.String()}, {"json", slog.LevelError.String()},
	} {
		if _, err := NewLogger(&bytes.Buffer{}, tc.format, tc.level, nil); err != nil {
			t.Errorf("NewLogger(%q, %q): %v", tc.format, tc.level, err)
		}
	}
}

func TestLoggerLevel(t *testing.T) {
	var buf bytes.Buffer
	l, err := NewLogger(&buf, "json", "warn", nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Info("quiet")
	l.Warn("loud")
	if strings.Contains(buf.String(), "quiet") || !strings.Contains(buf.String(), "loud") {
		t.Fatalf("level filter wrong: %q", buf.String())
	}
}

type secretStringer struct{}

func (secretStringer) String() string { return "dsn=mysql://app:" + secretDBPass + "@tcp(db:3306)/x" }

type configDump struct {
	User     string
	Password string
}

func TestRedaction(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			l, buf := testLogger(t, format)
			wrapped := fmt.Errorf("open database: %w", errors.New("dial mysql://app:"+secretDBPass+"@tcp(db)/lostinnl"))
			l.Error("message with "+secretDBPass+" inside", slog.String("dsn", "mysql://app:"+secretDBPass+"@tcp(db)/x"))
			l.Info("attr kinds",
				slog.Any("err", wrapped),
				slog.Any("stringer", secretStringer{}),
				slog.Any("struct", configDump{User: "app", Password: secretSession}),
				slog.Any("bytes", []byte(secretSession)),
				slog.Group("grp", slog.String("inner", "x"+secretSession+"y")),
				slog.String("escaped", "pass="+"s3cr3t-Pa55word%21"), // url.QueryEscape form
				slog.String(secretDBPass, "key is a secret"),
			)
			l.With(slog.String("with", secretSession)).WithGroup("g"+secretDBPass).Info("with attrs", slog.String("k", secretDBPass))
			l.Info("short values stay", slog.String("v", secretShort))

			out := buf.String()
			for _, s := range []string{secretDBPass, secretSession, "s3cr3t-Pa55word%21", "Pa55word"} {
				if strings.Contains(out, s) {
					t.Errorf("output contains secret %q:\n%s", s, out)
				}
			}
			if n := strings.Count(out, Redacted); n < 10 {
				t.Errorf("want at least 10 redactions, got %d:\n%s", n, out)
			}
			if !strings.Contains(out, secretShort) {
				t.Errorf("short value %q should not be redacted:\n%s", secretShort, out)
			}
			if got := strings.Count(out, "\n"); got != 4 {
				t.Errorf("want 4 lines, got %d:\n%s", got, out)
			}
		})
	}
}

type valueErr struct{ msg string }

func (e valueErr) Error() string { return e.msg }

func TestLoggingTypedNilErrorDoesNotPanic(t *testing.T) {
	l, buf := testLogger(t, "json")
	var e *valueErr // Error has a value receiver: calling it on nil panics
	l.Error("failed", slog.Any("error", e))
	if !strings.Contains(buf.String(), "PANIC") {
		t.Errorf("got %s", buf)
	}
}

func TestRedactionKeepsStructureWhenClean(t *testing.T) {
	l, buf := testLogger(t, "json")
	l.Info("m", slog.Any("ids", []int{1, 2, 3}), slog.Int("n", 7))
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if ids, ok := rec["ids"].([]any); !ok || len(ids) != 3 {
		t.Errorf("ids lost structure: %#v", rec["ids"])
	}
	if rec["n"] != float64(7) {
		t.Errorf("n = %#v", rec["n"])
	}
}

// hostile inputs a person could type into a form field or URL.
var hostile = []string{
	"line1\nlevel=ERROR msg=\"forged\"",
	"carriage\rreturn",
	"\r\n{\"level\":\"ERROR\",\"msg\":\"forged\"}",
	"ansi \x1b[31mred\x1b[0m and \x1b]0;title\x07",
	"c1 csi \u009b31m",
	"nul\x00byte and del\x7f",
	"unicode line\u2028sep and para\u2029sep",
	"bidi \u202eevil\u202c",
	"bad utf8 \xff\xfe",
}

func TestInjectionSafe(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			l, buf := testLogger(t, format)
			for _, h := range hostile {
				l.Info(h, slog.String("field", h), slog.Any("err", errors.New(h)),
					slog.Group("g", slog.String("x", h)), slog.String(h, "key"))
			}
			out := buf.String()
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(hostile) {
				t.Fatalf("want %d lines, got %d:\n%s", len(hostile), len(lines), out)
			}
			for i, line := range lines {
				if strings.ContainsAny(line, "\r\x1b\x00\x7f\u009b\u2028\u2029\u202e") {
					t.Errorf("line %d keeps a raw control character: %q", i, line)
				}
				if !strings.HasPrefix(line, map[string]string{"json": "{", "text": "time="}[format]) {
					t.Errorf("line %d does not start a record: %q", i, line)
				}
				if format == "json" {
					var rec map[string]any
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Errorf("line %d is not one JSON object: %v: %q", i, err, line)
					}
					if rec["level"] != "INFO" {
						t.Errorf("line %d level forged: %v", i, rec["level"])
					}
				}
			}
			if format == "json" {
				// The escape is visible to a human reading the log.
				sc := bufio.NewScanner(strings.NewReader(out))
				sc.Scan()
				var rec map[string]any
				if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
					t.Fatal(err)
				}
				if rec["msg"] != `line1\nlevel=ERROR msg="forged"` {
					t.Errorf("msg = %q", rec["msg"])
				}
			}
		})
	}
}

func TestEscapeControl(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, é ü 漢字 🙂": "plain text, é ü 漢字 🙂",
		"a\nb":                 `a\nb`,
		"a\r\nb":               `a\r\nb`,
		"tab\there":            `tab\there`,
		"\x1b[2J":              `\x1b[2J`,
		"\u009b":               `\u009b`,
		"\u2028":               `\u2028`,
		"\u202e":               `\u202e`,
		"\xff":                 `\xff`,
		"":                     "",
	} {
		if got := EscapeControl(in); got != want {
			t.Errorf("EscapeControl(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLoggerAddsRequestIDFromContext(t *testing.T) {
	l, buf := testLogger(t, "json")
	ctx := WithRequestID(context.Background(), "abc123")
	l.InfoContext(ctx, "from handler")
	l.InfoContext(ctx, "explicit", slog.String("request_id", "other"))
	l.Info("no context")
	l.With(slog.String("request_id", "bound")).InfoContext(ctx, "bound id")
	var recs []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	if recs[0]["request_id"] != "abc123" || recs[1]["request_id"] != "other" {
		t.Errorf("request ids: %v / %v", recs[0]["request_id"], recs[1]["request_id"])
	}
	if _, ok := recs[2]["request_id"]; ok {
		t.Errorf("record without context got a request id: %v", recs[2])
	}
	if recs[3]["request_id"] != "bound" {
		t.Errorf("bound id replaced: %v", recs[3])
	}
	if strings.Count(buf.String(), "request_id") != 3 {
		t.Errorf("duplicate request_id keys:\n%s", buf.String())
	}
}

func BenchmarkSafeHandlerJSON(b *testing.B) {
	var buf bytes.Buffer
	l, err := NewLogger(&buf, "json", "info", []string{secretDBPass, secretSession})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		l.Info("request", slog.String("method", "GET"), slog.String("route", "GET /cases/{id}"),
			slog.Int("status", 200), slog.String("client_ip", "192.0.2.1"))
	}
}

// Baseline for BenchmarkSafeHandlerJSON: the bare slog JSON handler.
func BenchmarkPlainJSONHandler(b *testing.B) {
	var buf bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&buf, nil))
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		l.Info("request", slog.String("method", "GET"), slog.String("route", "GET /cases/{id}"),
			slog.Int("status", 200), slog.String("client_ip", "192.0.2.1"))
	}
}
