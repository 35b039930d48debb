package securitytest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"lostinnl/internal/cli"
	"lostinnl/internal/store"
)

// smallStore opens the site's database beside the running site (SQLite in
// WAL mode takes a second connection; MySQL obviously does), for seeding
// cases and reading what an attack left behind.
func smallStore(t *testing.T, env map[string]string) *store.Store {
	t.Helper()
	dsn := env["LOSTINNL_DATABASE_URL"]
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(env["LOSTINNL_DATA_DIR"], "lostinnl.db")
	}
	st, err := store.Open(context.Background(), dsn, store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

// smallPublishCase stores a published (missing) case with no reporter
// contact, as a moderator's approval would leave it.
func smallPublishCase(t *testing.T, st *store.Store, name string) int64 {
	t.Helper()
	age := 40
	c := &store.Case{
		FullName: name, Age: &age, Sex: "male", LastSeenDate: time.Now().UTC().Truncate(24 * time.Hour),
		LastSeenPlace: "Water Street", Community: "St. John's", Region: "Avalon",
		Circumstances: "Fictional case for the security suite.",
		PoliceAgency:  "RNC", PoliceFileNumber: "SEC-" + name, PolicePhone: "709-729-8000", PoliceVerified: true,
	}
	id, err := st.CreateCase(context.Background(), c, store.ReporterContact{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.TransitionCase(context.Background(), id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	return id
}

// smallSignIn signs a staff member in and returns the client holding the
// session.
func smallSignIn(t *testing.T, s *site, email, password string) *http.Client {
	t.Helper()
	c := newClient(t)
	resp := must(c.PostForm(s.URL+"/admin/login", url.Values{"email": {email}, "password": {password}}))
	if b := body(t, resp); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", resp.StatusCode, b)
	}
	return c
}

// smallTipCount counts the stored tips of a case.
func smallTipCount(t *testing.T, st *store.Store, caseID int64) int {
	t.Helper()
	_, n, err := st.ListTips(context.Background(), store.TipFilter{CaseID: caseID})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func smallPostTip(t *testing.T, c *http.Client, siteURL string, caseID int64, msg string) int {
	t.Helper()
	resp, err := c.PostForm(fmt.Sprintf("%s/cases/%d/tips", siteURL, caseID), url.Values{"message": {msg}, "phone": {"709-555-0100"}})
	if err != nil {
		t.Error(err)
		return 0
	}
	b := body(t, resp)
	if resp.StatusCode == http.StatusGone && !strings.Contains(b, "This appeal is closed") {
		t.Errorf("410 without the closed-appeal page: %.300s", b)
	}
	return resp.StatusCode
}

// TestSmallTipOnLocatedCaseRefused: the tip form is hidden on a located
// case, but the route is what matters. A direct POST is refused with 410 and
// leaves no row; so is one on an archived case (404: no longer public).
func TestSmallTipOnLocatedCaseRefused(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "mod@example.org", "moderator", "correct horse battery staple 7")
		st := smallStore(t, env)
		located := smallPublishCase(t, st, "Located Lingcod")
		archived := smallPublishCase(t, st, "Archived Anchovy")
		s := startSite(t, env)
		mod := smallSignIn(t, s, "mod@example.org", "correct horse battery staple 7")
		for id, to := range map[int64]string{located: "located", archived: "archived"} {
			resp := must(mod.PostForm(fmt.Sprintf("%s/admin/cases/%d/status", s.URL, id), url.Values{"to": {to}, "confirm": {"yes"}}))
			if b := body(t, resp); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("mark %s: %d %.300s", to, resp.StatusCode, b)
			}
		}
		c := newClient(t)
		if got := smallPostTip(t, c, s.URL, located, "seen after the case closed"); got != http.StatusGone {
			t.Errorf("tip on a located case: %d, want 410", got)
		}
		if got := smallPostTip(t, c, s.URL, archived, "seen after the case closed"); got != http.StatusNotFound {
			t.Errorf("tip on an archived case: %d, want 404", got)
		}
		for _, id := range []int64{located, archived} {
			if n := smallTipCount(t, st, id); n != 0 {
				t.Errorf("case %d: %d tips stored after it closed", id, n)
			}
		}
	})
}

// TestSmallTipRaceWithLocated: visitors keep posting tips while a moderator
// marks the case located, all released together. Every tip is accepted
// (303) or refused (410), never a 5xx; the database holds exactly the
// accepted ones; and any tip sent after the moderator's change had returned
// is refused. The last is causal, not timed: a request that starts after
// the status change committed must see it.
func TestSmallTipRaceWithLocated(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		addStaff(t, env, "mod@example.org", "moderator", "correct horse battery staple 7")
		st := smallStore(t, env)
		id := smallPublishCase(t, st, "Raced Rockcod")
		s := startSite(t, env)
		mod := smallSignIn(t, s, "mod@example.org", "correct horse battery staple 7")

		const posters = 8
		const maxTips = 60 // per poster; a fixed site refuses long before
		var (
			locatedDone atomic.Bool
			accepted    atomic.Int64
			mu          sync.Mutex
			problems    []string
		)
		report := func(format string, args ...any) {
			mu.Lock()
			problems = append(problems, fmt.Sprintf(format, args...))
			mu.Unlock()
		}
		together(posters+1, func(i int) {
			if i == posters {
				resp, err := mod.PostForm(fmt.Sprintf("%s/admin/cases/%d/status", s.URL, id), url.Values{"to": {"located"}, "confirm": {"yes"}})
				if err != nil {
					report("mark located: %v", err)
					return
				}
				if b := body(t, resp); resp.StatusCode != http.StatusSeeOther {
					report("mark located: %d %.200s", resp.StatusCode, b)
				}
				locatedDone.Store(true)
				return
			}
			c := newClient(t)
			for n := range maxTips {
				after := locatedDone.Load() // read before the request starts
				switch code := smallPostTip(t, c, s.URL, id, fmt.Sprintf("poster %d tip %d", i, n)); code {
				case http.StatusSeeOther:
					accepted.Add(1)
					if after {
						report("poster %d: tip %d sent after the case was marked located was accepted", i, n)
						return
					}
				case http.StatusGone:
					return
				default:
					report("poster %d: tip %d answered %d", i, n, code)
					return
				}
			}
			report("poster %d: %d tips accepted, never refused", i, maxTips)
		})
		for _, p := range problems {
			t.Error(p)
		}
		if n := smallTipCount(t, st, id); int64(n) != accepted.Load() {
			t.Errorf("%d tips stored, %d accepted", n, accepted.Load())
		}
		c, err := st.GetCase(context.Background(), id)
		if err != nil || c.Status != store.StatusLocated {
			t.Fatalf("case after the race: %+v, %v", c, err)
		}
		t.Logf("%d tips accepted before the case was located", accepted.Load())
	})
}

// smallFakeS3 serves the bucket lostinnl-media from gofakes3 on loopback
// and returns its s3:// URL; credentials are fixed test keys unless
// withKeys is false (then the AWS chain finds none at all).
func smallFakeS3(t *testing.T, withKeys bool) string {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("lostinnl-media"); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	none := filepath.Join(t.TempDir(), "none")
	key, secret := "AKIDTEST", "test-secret"
	if !withKeys {
		key, secret = "", ""
	}
	t.Setenv("AWS_ACCESS_KEY_ID", key)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "")
	t.Setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "")
	return "s3://lostinnl-media?region=us-east-1&use_path_style=true&endpoint=" + url.QueryEscape(srv.URL)
}

// TestSmallPresignCSPAllowsBucket: with LOSTINNL_MEDIA_PRESIGN on, every
// page's CSP lets images load from the origin the presigned URLs point at
// (gofakes3's 127.0.0.1:port), and /media/ redirects there. The browser
// side is internal/e2e TestPresignedPhotosLoadInBrowser.
func TestSmallPresignCSPAllowsBucket(t *testing.T) {
	env := baseEnv(t)
	bucket := smallFakeS3(t, true)
	env["LOSTINNL_MEDIA_URL"] = bucket
	env["LOSTINNL_MEDIA_PRESIGN"] = "true"
	endpoint := must(url.Parse(must(url.Parse(bucket)).Query().Get("endpoint")))
	origin := "http://" + endpoint.Host
	s := startSite(t, env)
	resp := must(newClient(t).Get(s.URL + "/"))
	body(t, resp)
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' "+origin+";") {
		t.Fatalf("CSP %q does not allow images from the bucket %s", csp, origin)
	}
}

// TestSmallPresignWithoutCredentialsRefusesToStart: when no URL can be
// presigned (no credentials), serve stops at start-up naming the setting,
// instead of running with every photo broken.
func TestSmallPresignWithoutCredentialsRefusesToStart(t *testing.T) {
	env := baseEnv(t)
	env["LOSTINNL_MEDIA_URL"] = smallFakeS3(t, false)
	env["LOSTINNL_MEDIA_PRESIGN"] = "true"
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	defer cancel()
	var logb syncBuffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	code := cli.Run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, &logb, lookup)
	if code == 0 || ctx.Err() != nil {
		t.Fatalf("serve exited %d (context: %v); want a start-up failure. log:\n%s", code, ctx.Err(), logb.String())
	}
	if !strings.Contains(logb.String(), "LOSTINNL_MEDIA_PRESIGN") {
		t.Fatalf("start-up failure does not name LOSTINNL_MEDIA_PRESIGN:\n%s", logb.String())
	}
}
