package opstest

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"lostinnl/internal/testdb"
	"lostinnl/internal/tlsauto/pebbletest"
)

// Issue 14, point 6: the design says instances are stateless behind a load
// balancer (sessions, login throttles and the content revision in the
// database, photos in the bucket). TestScaleOutTwoInstances proves it with
// two real binaries on one MariaDB database and one S3 bucket (gofakes3),
// behind the shipped nginx config with an upstream of both.

const (
	scaleServerName = "scale.lostinnl.test"
	scalePassword   = "correct horse battery staple 7"
	scaleFormBurst  = 3
)

// TestScaleOutTwoInstances: a staff session made on one instance works on
// the other (and signing out on one ends it on both); a moderator's update
// made through one shows on both within the content-revision poll (about a
// second; the wait is only guarded, never timed); the login throttle counts
// wrong passwords alternating between the instances exactly as one
// instance does; a photo uploaded through one is served by the other; and
// nginx spreads a signed-in staff member's requests over both. It also
// shows what docs/operations.md says of the per-IP public form limit: it is
// per instance, so with N instances a client gets up to N times it.
func TestScaleOutTwoInstances(t *testing.T) {
	dsn := os.Getenv("LOSTINNL_TEST_MYSQL_DSN")
	if os.Getenv(pebbletest.EnvVar) != "1" || dsn == "" {
		t.Skipf("needs %s=1 (real nginx) and LOSTINNL_TEST_MYSQL_DSN (one MariaDB database for both instances)", pebbletest.EnvVar)
	}
	nginx := scaleNginxBinary(t)
	needBinary(t)

	shared := []string{
		"LOSTINNL_DATABASE_URL=" + scaleDatabase(t, dsn),
		"LOSTINNL_MEDIA_URL=" + scaleBucket(t),
		// One key for both, as docs/operations.md requires: each would
		// otherwise create its own secret.key in its own data directory.
		"LOSTINNL_SECRETS_KEEPER=base64key://" + scaleKey(t),
		"LOSTINNL_TRUSTED_PROXIES=127.0.0.1/32",
		// The public form limit is per instance (docs/operations.md): a
		// small burst and a slow refill let the last subtest show it.
		"LOSTINNL_FORM_RATE_LIMIT=1",
		fmt.Sprintf("LOSTINNL_FORM_RATE_BURST=%d", scaleFormBurst),
		"AWS_ACCESS_KEY_ID=AKIDTEST",
		"AWS_SECRET_ACCESS_KEY=test-secret",
		"AWS_SESSION_TOKEN=",
		"AWS_PROFILE=",
		"AWS_CONFIG_FILE=" + filepath.Join(t.TempDir(), "none"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(t.TempDir(), "none"),
		"AWS_EC2_METADATA_DISABLED=true",
	}
	scaleUserAdd(t, shared, "mod@example.org", "moderator")
	scaleUserAdd(t, shared, "target@example.org", "moderator")

	// One after the other: the first seeds the demo cases (once, in the
	// shared database), the second finds them there.
	a := start(t, filepath.Join(t.TempDir(), "a"), shared, "--demo")
	b := start(t, filepath.Join(t.TempDir(), "b"), shared, "--demo")
	plain := newClient()
	siteWired(t, plain, a)
	siteWired(t, plain, b)
	front := scaleStartNginx(t, nginx, a, b)

	caseID := scaleFirstCase(t, plain, a)
	casePath := "/cases/" + caseID

	// Direct to the instances: both are on 127.0.0.1, and cookies ignore
	// the port, so one jar carries the session from A to B.
	staff := scaleJarClient(t)
	t.Run("staff session works on the other instance", func(t *testing.T) {
		scaleSignIn(t, staff, a.URL, "mod@example.org", scalePassword)
		for _, p := range []*proc{a, b} {
			if r := get(t, staff, p.URL+"/admin"); r.Status != http.StatusOK {
				t.Fatalf("GET /admin on %s with the session made on A = %d", p.URL, r.Status)
			}
		}
		other := scaleJarClient(t)
		scaleSignIn(t, other, b.URL, "mod@example.org", scalePassword)
		old := scaleCookieHeader(t, other, b.URL)
		if r := scalePost(t, other, b.URL+"/admin/logout", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("sign out on B = %d", r.Status)
		}
		// The jar drops its cookie on sign-out; replay the old one on A by
		// hand: the session row is gone, so A refuses it too.
		if r := get(t, newClient(), a.URL+"/admin", "Cookie", old); r.Status == http.StatusOK {
			t.Fatal("a session signed out on B still works on A")
		}
	})

	t.Run("a moderator's update shows on both instances", func(t *testing.T) {
		// Both instances keep the case page in their page cache first, so
		// the update must reach B through the content revision, not by luck.
		for _, p := range []*proc{a, b} {
			waitFor(t, "the case page kept on "+p.URL, func() bool {
				get(t, plain, p.URL+casePath)
				hits, _ := sum(metrics(t, plain, p.Ops), "page_cache_requests_total", `result="hit"`)
				return hits > 0
			})
		}
		text := "Scale-out check " + randHex(t, 4) + ": seen at the Gander airport."
		t0 := time.Now()
		if r := scalePost(t, staff, a.URL+"/admin"+casePath+"/updates", url.Values{"body": {text}}); r.Status != http.StatusSeeOther {
			t.Fatalf("update through A = %d: %.300s", r.Status, r.Body)
		}
		for _, p := range []*proc{a, b} {
			waitFor(t, "the update on "+p.URL, func() bool {
				return strings.Contains(get(t, plain, p.URL+casePath).Body, text)
			})
		}
		// A figure for the report, not an assertion (docs: about a second).
		t.Logf("the update made on A showed on B after %s", time.Since(t0).Round(10*time.Millisecond))
		if r := front.get(t, nil, casePath); !strings.Contains(r.Body, text) {
			t.Errorf("through nginx the case page lacks the update (%d)", r.Status)
		}
	})

	t.Run("a photo uploaded through one is served by the other", func(t *testing.T) {
		before := scaleMediaNames(get(t, plain, a.URL+casePath).Body)
		if r := scaleUpload(t, staff, b.URL+"/admin"+casePath+"/photos"); r.Status != http.StatusSeeOther {
			t.Fatalf("photo upload through B = %d: %.300s", r.Status, r.Body)
		}
		var added []string
		waitFor(t, "the new photo on A's case page", func() bool {
			added = nil
			for n := range scaleMediaNames(get(t, plain, a.URL+casePath).Body) {
				if !before[n] {
					added = append(added, n)
				}
			}
			return len(added) > 0
		})
		for _, n := range added {
			r := get(t, plain, a.URL+"/media/"+n)
			if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "image/") || len(r.Body) == 0 {
				t.Errorf("A serves /media/%s (uploaded through B): %d %q, %d bytes", n, r.Status, r.Header.Get("Content-Type"), len(r.Body))
			}
			if r := front.get(t, nil, "/media/"+n); r.Status != http.StatusOK {
				t.Errorf("nginx serves /media/%s: %d", n, r.Status)
			}
		}
	})

	t.Run("the login throttle counts across both instances", func(t *testing.T) {
		// One instance allows an account 5 wrong passwords, then asks the
		// next attempt to wait (auth.ThrottleConfig). Alternating between
		// the instances must not buy more: the same 5, then 429 on both.
		checks := func() float64 {
			var n float64
			for _, p := range []*proc{a, b} {
				v, _ := sum(metrics(t, plain, p.Ops), "password_checks_total")
				n += v
			}
			return n
		}
		base := checks()
		const free = 5
		wrong := url.Values{"email": {"target@example.org"}, "password": {"not the password, guess"}}
		var statuses []int
		for i := range free + 3 {
			p := []*proc{a, b}[i%2]
			r := scalePost(t, newClient(), p.URL+"/admin/login", wrong)
			statuses = append(statuses, r.Status)
			if i >= free && (r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "") {
				t.Errorf("attempt %d (instance %c) = %d Retry-After %q; want 429 with Retry-After after %d failures on the two together",
					i+1, "AB"[i%2], r.Status, r.Header.Get("Retry-After"), free)
			}
			if i < free && r.Status != http.StatusUnprocessableEntity {
				t.Errorf("attempt %d (instance %c) = %d; want 422 (wrong password)", i+1, "AB"[i%2], r.Status)
			}
		}
		t.Logf("wrong passwords alternating A, B, A, …: %v", statuses)
		if n := checks() - base; n != free {
			t.Errorf("argon2 ran %v times over both instances; want %d, as on one", n, free)
		}
		// The right password waits too, on either instance.
		right := url.Values{"email": {"target@example.org"}, "password": {scalePassword}}
		for _, p := range []*proc{a, b} {
			if r := scalePost(t, newClient(), p.URL+"/admin/login", right); r.Status != http.StatusTooManyRequests {
				t.Errorf("the right password on %s during the wait = %d; want 429", p.URL, r.Status)
			}
		}
	})

	t.Run("nginx balances a staff session over both", func(t *testing.T) {
		c := front.client(t)
		r := front.post(t, c, "/admin/login", url.Values{"email": {"mod@example.org"}, "password": {scalePassword}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("sign-in through nginx = %d: %.300s", r.Status, r.Body)
		}
		var ids []string
		for i := range 8 {
			id := fmt.Sprintf("scale-%s-%d", randHex(t, 4), i)
			ids = append(ids, id)
			if r := front.get(t, c, "/admin", "X-Request-ID", id); r.Status != http.StatusOK {
				t.Fatalf("GET /admin through nginx (request %s) = %d", id, r.Status)
			}
		}
		// An access-log line is written as its request ends and reaches
		// us through the child's stderr a moment after the answer: wait
		// (bounded by guard, never a timing assertion) until all are in.
		var served map[*proc]int
		for deadline := time.Now().Add(guard); ; time.Sleep(20 * time.Millisecond) {
			served = map[*proc]int{}
			for _, p := range []*proc{a, b} {
				seen := map[string]bool{}
				for _, l := range p.logs() {
					if l.str("msg") == "request" {
						seen[l.str("request_id")] = true
					}
				}
				for _, id := range ids {
					if seen[id] {
						served[p]++
					}
				}
			}
			if served[a]+served[b] >= len(ids) || time.Now().After(deadline) {
				break
			}
		}
		t.Logf("8 signed-in requests through nginx: %d on A, %d on B", served[a], served[b])
		if served[a] == 0 || served[b] == 0 || served[a]+served[b] != len(ids) {
			t.Errorf("nginx sent %d to A and %d to B of %d; want both used, every request answered by one", served[a], served[b], len(ids))
		}
	})

	t.Run("the public form limit is per instance", func(t *testing.T) {
		post := func(p *proc) int {
			req, err := contactRequest(t.Context(), p.URL, "Scale-out", "Checking the per-instance form limit.")
			if err != nil {
				t.Fatal(err)
			}
			return do(t, plain, req).Status
		}
		// A refuses once its bucket is empty (after the burst, unless a
		// token came back meanwhile)...
		accepted := 0
		for post(a) == http.StatusSeeOther {
			if accepted++; accepted > scaleFormBurst+2 {
				t.Fatalf("A accepted %d contact posts with LOSTINNL_FORM_RATE_BURST=%d and 1 a minute", accepted, scaleFormBurst)
			}
		}
		// ...and right after that refusal, B still has a full bucket of its
		// own for the same client: the documented N x the limit.
		for i := range scaleFormBurst {
			if st := post(b); st != http.StatusSeeOther {
				t.Fatalf("post %d to B right after A refused the client = %d; want 303 (B's own bucket)", i+1, st)
			}
		}
		t.Logf("one client, burst %d: A accepted %d then refused, B then accepted %d more", scaleFormBurst, accepted, scaleFormBurst)
	})
}

// scaleNginxBinary finds nginx or skips.
func scaleNginxBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	for _, c := range []string{"/usr/sbin/nginx", "/usr/local/sbin/nginx"} {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	t.Skip("nginx not installed (apt-get install -y nginx)")
	return ""
}

// scaleDatabase creates a database for this test and returns its URL; it is
// dropped when the test ends (after both instances have stopped: cleanups
// run last-registered first).
func scaleDatabase(t *testing.T, dsn string) string {
	return testdb.MySQL(t, dsn, "lostinnl_scale_")
}

// scaleBucket serves one in-memory S3 bucket over HTTP (gofakes3) and
// returns the s3:// URL an operator would configure for an S3-compatible
// service: endpoint override, path-style addressing.
func scaleBucket(t *testing.T) string {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("lostinnl-media"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	return "s3://lostinnl-media?region=us-east-1&use_path_style=true&endpoint=" + url.QueryEscape(srv.URL)
}

func scaleKey(t *testing.T) string {
	t.Helper()
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return base64.URLEncoding.EncodeToString(k)
}

// scaleUserAdd runs the real `lostinnl user add` against the shared
// database, the password on stdin as an operator would give it.
func scaleUserAdd(t *testing.T, shared []string, email, role string) {
	t.Helper()
	cmd := exec.Command(needBinary(t), "user", "add", "--email", email, "--role", role)
	cmd.Env = append(baseEnv(filepath.Join(t.TempDir(), "cli")), shared...)
	cmd.Stdin = strings.NewReader(scalePassword + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lostinnl user add %s: %v\n%s", email, err, out)
	}
}

func scaleJarClient(t *testing.T) *http.Client {
	t.Helper()
	c := newClient()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Jar = jar
	return c
}

// scalePost posts a form (nil: an empty one) as a browser on the same site would.
func scalePost(t *testing.T, c *http.Client, u string, form url.Values) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return do(t, c, req)
}

func scaleSignIn(t *testing.T, c *http.Client, base, email, password string) {
	t.Helper()
	r := scalePost(t, c, base+"/admin/login", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign in on %s = %d: %.300s", base, r.Status, r.Body)
	}
	if scaleCookieHeader(t, c, base) == "" {
		t.Fatalf("sign in on %s set no cookie", base)
	}
}

// scaleCookieHeader is the Cookie header c's jar sends to base.
func scaleCookieHeader(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, ck := range c.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// scaleFirstCase returns the id of a published case from the public list.
func scaleFirstCase(t *testing.T, c *http.Client, p *proc) string {
	t.Helper()
	m := regexp.MustCompile(`href="/cases/(\d+)"`).FindStringSubmatch(get(t, c, p.URL+"/cases").Body)
	if m == nil {
		t.Fatal("no published case on /cases (did --demo seed the shared database?)")
	}
	return m[1]
}

var scaleMediaRe = regexp.MustCompile(`/media/([A-Za-z0-9_.-]+)`)

func scaleMediaNames(page string) map[string]bool {
	out := map[string]bool{}
	for _, m := range scaleMediaRe.FindAllStringSubmatch(page, -1) {
		out[m[1]] = true
	}
	return out
}

// scaleUpload posts one real JPEG (textured, so the pipeline has
// something to encode) as the admin photo form does.
func scaleUpload(t *testing.T, c *http.Client, u string) response {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	seed := make([]byte, 800*600/8)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	for y := range 600 {
		for x := range 800 {
			n := seed[(y*800+x)/8]
			img.Set(x, y, color.RGBA{uint8(x / 4), uint8(y / 3), n, 255})
		}
	}
	var pic bytes.Buffer
	if err := jpeg.Encode(&pic, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("photos", "scale-out.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(fw, &pic); err != nil {
		t.Fatal(err)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return do(t, c, req)
}

// scaleFront is nginx running the shipped config with both instances in
// its upstream.
type scaleFront struct {
	base string // https://scale.lostinnl.test:port
	anon *http.Client
}

func (f *scaleFront) client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:     jar,
		Timeout: guard,
		Transport: &http.Transport{
			DialContext:        pebbletest.LoopbackDialer(),
			TLSClientConfig:    &tls.Config{InsecureSkipVerify: true}, // the test's own self-signed placeholder
			DisableCompression: true,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// get fetches path through nginx with c (nil: a client without cookies);
// hdr are header name/value pairs.
func (f *scaleFront) get(t *testing.T, c *http.Client, path string, hdr ...string) response {
	t.Helper()
	if c == nil {
		c = f.anon
	}
	return get(t, c, f.base+path, hdr...)
}

func (f *scaleFront) post(t *testing.T, c *http.Client, path string, form url.Values) response {
	t.Helper()
	return scalePost(t, c, f.base+path, form)
}

// scaleStartNginx writes a server root around deploy/nginx/lostinnl.conf,
// rewriting only what is environment-specific (as deploy/nginx_test.go
// does: loopback listeners on free ports, the test's server name,
// certificate and log paths) and the upstream: both instances instead of
// the one on 127.0.0.1:8080. Each rewrite must apply, so a change in the
// shipped file's shape fails here instead of testing something else.
func scaleStartNginx(t *testing.T, bin string, instances ...*proc) *scaleFront {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := os.ReadFile(filepath.Join(root, "deploy", "nginx", "lostinnl.conf"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, d := range []string{"logs", "tmp", "certs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cert, key := pebbletest.SelfSigned(t, filepath.Join(dir, "certs"), "placeholder", scaleServerName)
	httpPort, httpsPort := pebbletest.FreePort(t), pebbletest.FreePort(t)
	var servers []string
	for _, p := range instances {
		u, err := url.Parse(p.URL)
		if err != nil {
			t.Fatal(err)
		}
		servers = append(servers, "server "+u.Host+";")
	}
	logDir := filepath.Join(dir, "logs")
	text := string(shipped)
	for _, r := range []struct{ from, to string }{
		{"listen 80;", fmt.Sprintf("listen 127.0.0.1:%d;", httpPort)},
		{"listen [::]:80;", ""},
		{"listen 443 ssl http2;", fmt.Sprintf("listen 127.0.0.1:%d ssl http2;", httpsPort)},
		{"listen [::]:443 ssl http2;", ""},
		{"server 127.0.0.1:8080;", strings.Join(servers, "\n    ")},
		{"missingpersons.example.ca", scaleServerName},
		{"/etc/ssl/certs/ssl-cert-snakeoil.pem", cert},
		{"/etc/ssl/private/ssl-cert-snakeoil.key", key},
		{"/var/log/nginx/", logDir + "/"},
		{"/usr/share/lostinnl/nginx/errors/413.html", filepath.Join(root, "deploy", "nginx", "errors", "413.html")},
	} {
		if !strings.Contains(text, r.from) {
			t.Fatalf("deploy/nginx/lostinnl.conf no longer contains %q; update the scale-out test's rewrites", r.from)
		}
		text = strings.ReplaceAll(text, r.from, r.to)
	}
	site := filepath.Join(dir, "lostinnl.conf")
	if err := os.WriteFile(site, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // workers as nobody could not read the test's temp dirs
	}
	tmp := filepath.Join(dir, "tmp")
	conf := filepath.Join(dir, "nginx.conf")
	main := fmt.Sprintf(`%s
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[3]s/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path %[4]s/body;
    proxy_temp_path %[4]s/proxy;
    fastcgi_temp_path %[4]s/fastcgi;
    uwsgi_temp_path %[4]s/uwsgi;
    scgi_temp_path %[4]s/scgi;
    include %[5]s;
}
`, user, dir, logDir, tmp, site)
	if err := os.WriteFile(conf, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"-p", dir, "-c", conf, "-e", filepath.Join(logDir, "error.log")}
	if out, err := exec.Command(bin, append(args, "-t")...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	}
	pebbletest.StartProcess(t, dir, "nginx", nil, bin, append(args, "-g", "daemon off;")...)
	t.Cleanup(func() {
		_ = exec.Command(bin, append(args, "-s", "quit")...).Run() // nothing to do if already gone
	})
	addr := fmt.Sprintf("127.0.0.1:%d", httpsPort)
	waitFor(t, "nginx listening on "+addr, func() bool {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	f := &scaleFront{base: fmt.Sprintf("https://%s:%d", scaleServerName, httpsPort)}
	f.anon = f.client(t)
	return f
}
