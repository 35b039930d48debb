package deploy_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/tlsauto/pebbletest"
)

const shippedServerName = "missingpersons.example.ca"

// nginxSite describes one test instance of the shipped nginx config.
type nginxSite struct {
	Dir        string // server root: nginx.conf, sites/lostinnl.conf, logs/, tmp/
	ServerName string
	HTTPPort   int
	HTTPSPort  int
	AppPort    int
	CertFile   string // placeholder certificate (the snakeoil one in production)
	KeyFile    string
	IPv6       bool // also listen on [::1]
}

// conf is the path of the main config file, as certbot's --nginx-server-root expects.
func (s nginxSite) conf() string { return filepath.Join(s.Dir, "nginx.conf") }

// site is the path of our (rewritten) lostinnl.conf inside the test server root.
func (s nginxSite) site() string { return filepath.Join(s.Dir, "sites", "lostinnl.conf") }

func (s nginxSite) logDir() string { return filepath.Join(s.Dir, "logs") }

func ipv6Loopback() bool {
	l, err := net.Listen("tcp6", "[::1]:0")
	if err != nil {
		return false
	}
	l.Close()
	return true
}

// newNginxSite writes a server root around the shipped deploy/nginx/lostinnl.conf. Only
// environment-specific values are rewritten — listen addresses (loopback and test ports
// instead of every interface on 80/443), the upstream port, the server name, the
// placeholder certificate, log and error-page paths — and each rewrite must apply, so
// the test notices when the shipped file changes shape. The main nginx.conf mirrors the
// http {} settings of Debian's stock nginx.conf (gzip on, ssl_protocols, mime types), so
// a directive that would clash with them in production clashes here too.
func newNginxSite(t *testing.T, serverName string, appPort int) nginxSite {
	t.Helper()
	dir := t.TempDir()
	s := nginxSite{
		Dir:        dir,
		ServerName: serverName,
		HTTPPort:   pebbletest.FreePort(t),
		HTTPSPort:  pebbletest.FreePort(t),
		AppPort:    appPort,
		IPv6:       ipv6Loopback(),
	}
	for _, d := range []string{"sites", "logs", "tmp", "certs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	s.CertFile, s.KeyFile = pebbletest.SelfSigned(t, filepath.Join(dir, "certs"), "placeholder", serverName)

	text := readFile(t, "nginx/lostinnl.conf")
	v6http, v6https := fmt.Sprintf("listen [::1]:%d;", s.HTTPPort), fmt.Sprintf("listen [::1]:%d ssl http2;", s.HTTPSPort)
	if !s.IPv6 {
		v6http, v6https = "", ""
	}
	rewrites := []struct{ from, to string }{
		{"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", s.HTTPPort)},
		{"listen [::]:80;", v6http},
		{"listen 443 ssl http2;", fmt.Sprintf("listen 127.0.0.1:%d ssl http2;", s.HTTPSPort)},
		{"listen [::]:443 ssl http2;", v6https},
		{"server 127.0.0.1:8080;", fmt.Sprintf("server 127.0.0.1:%d;", appPort)},
		{shippedServerName, serverName},
		{"/etc/ssl/certs/ssl-cert-snakeoil.pem", s.CertFile},
		{"/etc/ssl/private/ssl-cert-snakeoil.key", s.KeyFile},
		{"/var/log/nginx/", s.logDir() + "/"},
		{"/usr/share/lostinnl/nginx/errors/413.html", filepath.Join(deployDir(t), "nginx/errors/413.html")},
	}
	for _, r := range rewrites {
		if !strings.Contains(text, r.from) {
			t.Fatalf("deploy/nginx/lostinnl.conf no longer contains %q; update the test's rewrites", r.from)
		}
		text = strings.ReplaceAll(text, r.from, r.to)
	}
	if err := os.WriteFile(s.site(), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}

	user := ""
	if os.Geteuid() == 0 {
		// Workers would otherwise run as nobody and could not read the test's temp dirs.
		user = "user root;"
	}
	tmp := filepath.Join(dir, "tmp")
	main := fmt.Sprintf(`%s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[3]s/error.log;
events { worker_connections 256; }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log %[3]s/access.log;
    gzip on;
    client_body_temp_path %[4]s/body;
    proxy_temp_path %[4]s/proxy;
    fastcgi_temp_path %[4]s/fastcgi;
    uwsgi_temp_path %[4]s/uwsgi;
    scgi_temp_path %[4]s/scgi;
    include %[5]s;
}
`, user, dir, s.logDir(), tmp, s.site())
	if err := os.WriteFile(s.conf(), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	return s
}

func requireNginx(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("nginx")
	if err != nil {
		for _, c := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx"} {
			if _, err := os.Stat(c); err == nil {
				return c
			}
		}
		t.Skip("nginx not installed (apt-get install -y nginx); .ci/run installs it")
	}
	return p
}

// nginxArgs are the flags that keep nginx inside the test's server root.
func (s nginxSite) nginxArgs(extra ...string) []string {
	return append([]string{"-p", s.Dir, "-c", s.conf(), "-e", filepath.Join(s.logDir(), "error.log")}, extra...)
}

// start runs nginx in the foreground of its own process group and stops it at cleanup.
func (s nginxSite) start(t *testing.T, bin string) {
	t.Helper()
	pebbletest.StartProcess(t, s.Dir, "nginx", nil, bin, s.nginxArgs("-g", "daemon off;")...)
	// Runs before the process-group kill: if certbot ever had to (re)start nginx itself,
	// that daemonized master is outside our group but is named by the pid file.
	t.Cleanup(func() {
		_ = exec.Command(bin, s.nginxArgs("-s", "quit")...).Run() // nothing to do if already gone
	})
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, f := range []string{"error.log", "lostinnl.error.log"} {
			if b, err := os.ReadFile(filepath.Join(s.logDir(), f)); err == nil {
				t.Logf("--- nginx %s ---\n%s", f, b[max(0, len(b)-4096):])
			}
		}
	})
	waitTCP(t, fmt.Sprintf("127.0.0.1:%d", s.HTTPSPort))
	// nginx listens before it writes its pid file. certbot reloads it by
	// that file, and once (CI, the machine loaded by the race tests) found
	// it still empty: it then started a second nginx, which could not bind.
	waitPidFile(t, filepath.Join(s.Dir, "nginx.pid"))
}

// waitPidFile waits until path holds a process id.
func waitPidFile(t *testing.T, path string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no process id in %s after 15s", path)
}

func waitTCP(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listening on %s after 15s", addr)
}

// TestNginxConfigSyntax runs `nginx -t` on the shipped config (with only the
// environment-specific values rewritten, see newNginxSite), and checks that a broken
// copy is refused, so the test is known to look at the file.
func TestNginxConfigSyntax(t *testing.T) {
	bin := requireNginx(t)
	s := newNginxSite(t, "missing.lostinnl.test", 8080)
	out, err := exec.Command(bin, s.nginxArgs("-t")...).CombinedOutput()
	if err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		// nginx >= 1.25.1 deprecates "listen ... http2" in favour of "http2 on", which
		// Debian 12's nginx 1.22 does not know; the shipped form works on both.
		if strings.Contains(line, "[warn]") && !strings.Contains(line, `"http2" directive is deprecated`) {
			t.Errorf("nginx -t warns: %s", line)
		}
	}
	text, err := os.ReadFile(s.site())
	if err != nil {
		t.Fatal(err)
	}
	broken := bytes.Replace(text, []byte("client_max_body_size 60m;"), []byte("client_max_body_size 60m"), 1)
	if err := os.WriteFile(s.site(), broken, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, s.nginxArgs("-t")...).CombinedOutput(); err == nil {
		t.Fatalf("nginx -t accepted a config with a missing semicolon:\n%s", out)
	}
}

// TestNginxUploadLimitMatchesApp ties client_max_body_size to the app's upload limits:
// 5 photos of LOSTINNL_MAX_UPLOAD_MB each must fit, with room for the form fields.
func TestNginxUploadLimitMatchesApp(t *testing.T) {
	m := regexp.MustCompile(`(?m)^\s*client_max_body_size\s+(\d+)m;`).FindStringSubmatch(readFile(t, "nginx/lostinnl.conf"))
	if m == nil {
		t.Fatal("no client_max_body_size NNm in nginx/lostinnl.conf")
	}
	limit, _ := strconv.Atoi(m[1])
	env := readFile(t, "systemd/lostinnl.env.example")
	pm := regexp.MustCompile(`(?m)^LOSTINNL_MAX_UPLOAD_MB=(\d+)$`).FindStringSubmatch(env)
	if pm == nil {
		t.Fatal("env example lacks LOSTINNL_MAX_UPLOAD_MB")
	}
	perPhoto, _ := strconv.Atoi(pm[1])
	const maxPhotos = 5 // DESIGN.md: photos (0-5 images)
	if limit < maxPhotos*perPhoto+1 || limit > maxPhotos*perPhoto+20 {
		t.Errorf("client_max_body_size %dm: want a little above %d photos x %d MB", limit, maxPhotos, perPhoto)
	}

	// nginx's 413 page tells people the limits (in English and French):
	// the figures must be these.
	page := readFile(t, "nginx/errors/413.html")
	want := map[string]int{"photos": maxPhotos, "mb": perPhoto}
	seen := map[string]int{}
	for _, m := range regexp.MustCompile(`data-limit="(\w+)">(\d+)<`).FindAllStringSubmatch(page, -1) {
		n, _ := strconv.Atoi(m[2])
		if w, ok := want[m[1]]; !ok || n != w {
			t.Errorf("413 page says %s = %d, want %d", m[1], n, w)
		}
		seen[m[1]]++
	}
	if seen["photos"] != 2 || seen["mb"] != 2 {
		t.Errorf("413 page: limits stated %v times, want each in both languages", seen)
	}
}

// appHSTS is the Strict-Transport-Security value the app sends on its own
// (internal/web securityHeaders); nginxHSTS the one the shipped config sends.
const (
	appHSTS   = "max-age=63072000; includeSubDomains"
	nginxHSTS = "max-age=31536000"
)

// oneHSTS checks that exactly one Strict-Transport-Security header reached
// the client, and that it is nginx's: two different values are ambiguous
// (browsers use the first) and hide which policy is in force.
func oneHSTS(t *testing.T, what string, h http.Header) {
	t.Helper()
	if got := h.Values("Strict-Transport-Security"); len(got) != 1 || got[0] != nginxHSTS {
		t.Errorf("%s: Strict-Transport-Security %q, want exactly one, %q", what, got, nginxHSTS)
	}
}

// echoApp stands in for lostinnl behind nginx: it reports the headers it received and
// serves a fingerprinted asset with the app's caching headers.
func echoApp(t *testing.T) int {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/static/app.3f2a.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("ETag", `"3f2a"`)
		io.WriteString(w, strings.Repeat("body { color: #1d2430; }\n", 200))
	})
	mux.HandleFunc("/media/abc/thumb.webp", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/webp")
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Write([]byte("RIFF....WEBP"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-Forwarded-Proto") == "https" {
			// What lostinnl sends when a trusted proxy says the request came over TLS.
			w.Header().Set("Strict-Transport-Security", appHSTS)
		}
		json.NewEncoder(w).Encode(map[string]string{
			"host":  r.Host,
			"xff":   r.Header.Get("X-Forwarded-For"),
			"proto": r.Header.Get("X-Forwarded-Proto"),
			"rid":   r.Header.Get("X-Request-ID"),
			"body":  strconv.FormatInt(n, 10),
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

// TestNginxProxyBehaviour runs nginx with the shipped config in front of a stand-in app
// and checks what the app and the client see: forwarded headers (client-sent ones
// replaced), request ids, the HTTPS redirect, gzip, cache headers passed through, and
// the 413 page for oversize uploads.
func TestNginxProxyBehaviour(t *testing.T) {
	bin := requireNginx(t)
	const name = "proxy.lostinnl.test"
	s := newNginxSite(t, name, echoApp(t))
	s.start(t, bin)

	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			DialContext:        pebbletest.LoopbackDialer(),
			TLSClientConfig:    &tls.Config{InsecureSkipVerify: true}, // placeholder certificate; TLS trust is tested with pebble
			DisableCompression: true,
			ForceAttemptHTTP2:  true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	base := fmt.Sprintf("https://%s:%d", name, s.HTTPSPort)
	do := func(method, url string, body io.Reader, hdr map[string]string) (*http.Response, []byte) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, method, url, body)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("read %s: %v", url, err)
		}
		return resp, b
	}
	echo := func(b []byte) map[string]string {
		t.Helper()
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("app answer %q: %v", b, err)
		}
		return m
	}

	t.Run("forwarded headers", func(t *testing.T) {
		resp, b := do("GET", base+"/cases?q=x", nil, map[string]string{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "http"})
		if resp.Proto != "HTTP/2.0" {
			t.Errorf("proto %s, want HTTP/2 on TLS", resp.Proto)
		}
		got := echo(b)
		if got["xff"] != "127.0.0.1" {
			t.Errorf("app saw X-Forwarded-For %q, want only the real peer 127.0.0.1 (client value dropped)", got["xff"])
		}
		if got["proto"] != "https" || got["host"] != name {
			t.Errorf("app saw proto %q host %q, want https and %s", got["proto"], got["host"], name)
		}
		if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got["rid"]) || resp.Header.Get("X-Request-ID") != got["rid"] {
			t.Errorf("request id: app %q, response header %q; want one generated 32-hex id", got["rid"], resp.Header.Get("X-Request-ID"))
		}
		oneHSTS(t, "proxied page", resp.Header)
		if resp.Header.Get("Server") != "nginx" {
			t.Errorf("Server header %q reveals a version", resp.Header.Get("Server"))
		}
	})
	t.Run("old TLS versions refused", func(t *testing.T) {
		conn, err := tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.HTTPSPort), &tls.Config{
			ServerName: name, InsecureSkipVerify: true, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11,
		})
		if err == nil {
			conn.Close()
			t.Fatal("nginx accepted a TLS 1.1 handshake")
		}
		conn, err = tls.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.HTTPSPort), &tls.Config{
			ServerName: name, InsecureSkipVerify: true, MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12,
		})
		if err != nil {
			t.Fatalf("TLS 1.2 handshake: %v", err)
		}
		conn.Close()
	})
	t.Run("request id from upstream kept, hostile one replaced", func(t *testing.T) {
		_, b := do("GET", base+"/", nil, map[string]string{"X-Request-ID": "edge-abc.123_X"})
		if got := echo(b)["rid"]; got != "edge-abc.123_X" {
			t.Errorf("valid request id replaced: %q", got)
		}
		for _, bad := range []string{"a b", "x;y", strings.Repeat("a", 65), "<script>"} {
			_, b := do("GET", base+"/", nil, map[string]string{"X-Request-ID": bad})
			if got := echo(b)["rid"]; got == bad || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got) {
				t.Errorf("hostile request id %q passed as %q", bad, got)
			}
		}
	})
	t.Run("http redirects to https", func(t *testing.T) {
		resp, _ := do("GET", fmt.Sprintf("http://%s:%d/cases/7?x=1", name, s.HTTPPort), nil, nil)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "https://"+name+"/cases/7?x=1" {
			t.Errorf("HTTP answer %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("gzip and cache headers pass through for static", func(t *testing.T) {
		resp, b := do("GET", base+"/static/app.3f2a.css", nil, map[string]string{"Accept-Encoding": "gzip"})
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("CSS not gzipped: %v", resp.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.HasPrefix(plain, []byte("body {")) {
			t.Fatalf("gunzip: %v %q", err, plain[:min(len(plain), 20)])
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("Cache-Control %q not passed through", cc)
		}
		if et := resp.Header.Get("ETag"); !strings.Contains(et, "3f2a") {
			t.Errorf("ETag %q not passed through", et)
		}
		resp, _ = do("GET", base+"/media/abc/thumb.webp", nil, map[string]string{"Accept-Encoding": "gzip"})
		if resp.Header.Get("Content-Encoding") != "" || resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("media: encoding %q cache %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Cache-Control"))
		}
	})
	t.Run("reporter tokens stay out of the access log", func(t *testing.T) {
		const token = "Zq3xV9kLmN2pR8sT4uW6yA1bC5dE7fG0hJ_iK-oQ2rS"
		do("GET", base+"/report/"+token, nil, nil)
		do("POST", base+"/report/"+token+"/withdraw?x=1", strings.NewReader("confirm=yes"),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Referer": base + "/report/" + token})
		do("GET", base+"/cases/7", nil, map[string]string{"Referer": base + "/report/" + token})
		do("GET", base+"/submit/photos/"+token+"/12", nil, nil)
		var text string
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			b, err := os.ReadFile(filepath.Join(s.logDir(), "lostinnl.access.log"))
			if err != nil {
				t.Fatal(err)
			}
			if text = string(b); strings.Count(text, "/report/[token]") >= 4 && strings.Contains(text, "/submit/photos/") {
				break
			}
		}
		if strings.Contains(text, token) {
			t.Fatalf("the token is in nginx's access log:\n%s", text)
		}
		for _, want := range []string{`"uri":"/report/[token]"`, `"uri":"/report/[token]/withdraw"`, `"referer":"` + base + `/report/[token]"`, `"uri":"/cases/7"`, `"uri":"/submit/photos/[token]/12"`} {
			if !strings.Contains(text, want) {
				t.Errorf("access log lacks %s:\n%s", want, text)
			}
		}
	})
	t.Run("upload within the limit reaches the app", func(t *testing.T) {
		body := bytes.Repeat([]byte("x"), 12<<20)
		resp, b := do("POST", base+"/submit", bytes.NewReader(body), map[string]string{"Content-Type": "application/octet-stream"})
		if resp.StatusCode != 200 || echo(b)["body"] != strconv.Itoa(len(body)) {
			t.Errorf("12 MB upload: status %d, app %s", resp.StatusCode, b)
		}
	})
	t.Run("oversize upload gets the 413 page", func(t *testing.T) {
		resp, b := do("POST", base+"/submit", bytes.NewReader(make([]byte, 61<<20)), map[string]string{"Content-Type": "application/octet-stream"})
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("status %d, want 413", resp.StatusCode)
		}
		if !bytes.Contains(b, []byte("Your upload is too large")) || !bytes.Contains(b, []byte("Votre envoi est trop volumineux")) || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Errorf("413 body is not our page (%s): %.200s", resp.Header.Get("Content-Type"), b)
		}
		oneHSTS(t, "nginx's 413 page", resp.Header)
		if got := resp.Header.Values("X-Request-ID"); len(got) != 1 || got[0] == "" {
			t.Errorf("nginx's 413 page: X-Request-ID %q, want one", got)
		}
	})
	t.Run("access log is one JSON object per line", func(t *testing.T) {
		// nginx writes the log line after the response; give it a moment to land.
		var data []byte
		for i := 0; i < 50; i++ {
			data, _ = os.ReadFile(filepath.Join(s.logDir(), "lostinnl.access.log"))
			if bytes.Count(data, []byte("\n")) >= 5 {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
		if len(lines) < 5 {
			t.Fatalf("access log has %d lines", len(lines))
		}
		for _, l := range lines {
			var rec map[string]any
			if err := json.Unmarshal(l, &rec); err != nil {
				t.Fatalf("access log line %q: %v", l, err)
			}
			for _, k := range []string{"status", "request_time", "request_id", "uri"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("access log line lacks %q: %s", k, l)
				}
			}
		}
	})
	t.Run("query strings stay out of the access log", func(t *testing.T) {
		// A set-password link's token (and what people search for) is in
		// the query string; the log keeps the path only.
		do("GET", base+"/admin/set-password?token=pwdSecretToken123", nil, nil)
		var data []byte
		for i := 0; i < 50 && !bytes.Contains(data, []byte("/admin/set-password")); i++ {
			time.Sleep(20 * time.Millisecond)
			data, _ = os.ReadFile(filepath.Join(s.logDir(), "lostinnl.access.log"))
		}
		if !bytes.Contains(data, []byte("/admin/set-password")) {
			t.Fatal("the request is not in the access log")
		}
		if bytes.Contains(data, []byte("pwdSecretToken123")) {
			t.Error("the query string (a set-password token) is in the access log")
		}
	})
}
