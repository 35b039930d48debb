package securitytest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"lostinnl/internal/cli"
	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

// smallStore opens the site's database beside the running site (SQLite in
// WAL mode takes a second connection; MySQL obviously does), for seeding
// cases and reading what an attack left behind.
func smallStore(t *testing.T, env map[string]string) *store.Store {
	t.Helper()
	dsn := env["LOSTINNL_DATABASE_URL"]
	if dsn == "" {
		if err := os.MkdirAll(env["LOSTINNL_DATA_DIR"], 0o700); err != nil {
			t.Fatal(err)
		}
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
	// img-src is 'self', the bucket and the maps' tile server (issue 19).
	if !strings.Contains(csp, "img-src 'self' "+origin+" https://tile.openstreetmap.org;") {
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

// TestSmallPrivacyPageStatesConfiguredRetention: the running binary's
// privacy page states the retention days it was configured with.
func TestSmallPrivacyPageStatesConfiguredRetention(t *testing.T) {
	env := baseEnv(t)
	env["LOSTINNL_LOCATED_RETENTION_DAYS"] = "21"
	env["LOSTINNL_PENDING_RETENTION_DAYS"] = "60"
	env["LOSTINNL_REJECTED_RETENTION_DAYS"] = "14"
	env["LOSTINNL_TIP_RETENTION_DAYS"] = "400"
	env["LOSTINNL_MESSAGE_RETENTION_DAYS"] = "120"
	s := startSite(t, env)
	resp := must(newClient(t).Get(s.URL + "/privacy"))
	b := body(t, resp)
	for _, want := range []string{"21 days later", "60 days after they were last changed", "14 days after we decline them",
		"400 days after we receive them", "Contact messages are deleted 120 days after we receive them"} {
		if !strings.Contains(b, want) {
			t.Errorf("privacy page lacks %q", want)
		}
	}
}

// smallExec runs one statement on the site's database outside the store
// (to age rows: the store always stamps the real time).
func smallExec(t *testing.T, env map[string]string, q string, args ...any) {
	t.Helper()
	driver, dsn := "mysql", strings.TrimPrefix(env["LOSTINNL_DATABASE_URL"], "mysql://")
	if env["LOSTINNL_DATABASE_URL"] == "" {
		driver, dsn = "sqlite", filepath.Join(env["LOSTINNL_DATA_DIR"], "lostinnl.db")
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestSmallRetentionDeletesAtStartUp: the binary's retention job (its
// first pass runs at start-up) deletes an unpublished and a rejected
// report past their days, with their photo files, and old tips and
// messages; it keeps a fresh report and the published case; and it leaves
// one audit entry of counts without personal data.
func TestSmallRetentionDeletesAtStartUp(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		ctx := context.Background()
		st := smallStore(t, env)
		bucket, err := media.OpenBucket(ctx, "", env["LOSTINNL_DATA_DIR"])
		if err != nil {
			t.Fatal(err)
		}
		defer bucket.Close()
		report := func(name string, status store.Status, photo bool) (int64, string) {
			c := &store.Case{FullName: name, Sex: "female", LastSeenDate: time.Now().UTC().Truncate(24 * time.Hour),
				LastSeenPlace: "Water Street", Community: "Gander", Region: "Central", Circumstances: "Fictional."}
			id, err := st.CreateCase(ctx, c, store.ReporterContact{}, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			key := ""
			if photo {
				var buf bytes.Buffer
				if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 40, 60))); err != nil {
					t.Fatal(err)
				}
				p, err := media.NewPipeline(media.Config{}, nil).Process(ctx, &buf)
				if err != nil {
					t.Fatal(err)
				}
				if err := bucket.PutAndCommit(ctx, []*media.Processed{p}, func(k []string) error {
					key = k[0]
					return st.AddPhotos(ctx, id, []store.Photo{{Key: k[0]}}, nil)
				}); err != nil {
					t.Fatal(err)
				}
			}
			if status == store.StatusRejected {
				if err := st.TransitionCase(ctx, id, status, "not a missing person", nil); err != nil {
					t.Fatal(err)
				}
			}
			return id, key
		}
		old, oldKey := report("Olive Oldreport", store.StatusPending, true)
		rejected, rejectedKey := report("Rita Rejected", store.StatusRejected, true)
		fresh, freshKey := report("Fern Freshreport", store.StatusPending, true)
		published := smallPublishCase(t, st, "Percy Published")
		if _, err := st.CreateTip(ctx, &store.Tip{CaseID: published, Message: "Saw Percy at the airport"}, store.TipContact{}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateMessage(ctx, &store.Message{Name: "Mona Messenger", Email: "mona@example.org", Body: "hello"}); err != nil {
			t.Fatal(err)
		}
		const longAgo = "2020-01-01 00:00:00.000000"
		smallExec(t, env, "UPDATE cases SET updated_at = ? WHERE id IN (?, ?)", longAgo, old, rejected)
		smallExec(t, env, "UPDATE tips SET created_at = ?", longAgo)
		smallExec(t, env, "UPDATE messages SET created_at = ?", longAgo)

		startSite(t, env)
		var entries []store.AuditEntry
		deadline := time.After(guard) // a hang guard, not a speed assertion
		for len(entries) == 0 {
			select {
			case <-deadline:
				t.Fatal("the retention pass at start-up left no audit entry")
			case <-time.After(20 * time.Millisecond):
			}
			if entries, _, err = st.ListAudit(ctx, store.AuditFilter{Action: "retention.delete"}); err != nil {
				t.Fatal(err)
			}
		}
		if len(entries) != 1 {
			t.Fatalf("%d retention audit entries, want 1", len(entries))
		}
		sum := entries[0].Summary
		for _, want := range []string{"deleted 1 unpublished reports", "1 rejected reports", "2 photos", "1 tips", "1 contact messages"} {
			if !strings.Contains(sum, want) {
				t.Errorf("audit summary %q lacks %q", sum, want)
			}
		}
		for _, personal := range []string{"Olive", "Rita", "Percy", "Mona", "mona@", "airport"} {
			if strings.Contains(sum, personal) {
				t.Errorf("audit summary holds personal data %q", personal)
			}
		}
		for id, gone := range map[int64]bool{old: true, rejected: true, fresh: false, published: false} {
			_, err := st.GetCase(ctx, id)
			if gone != errors.Is(err, store.ErrNotFound) {
				t.Errorf("case %d: deleted=%v, want %v (%v)", id, !gone, gone, err)
			}
		}
		for key, gone := range map[string]bool{oldKey: true, rejectedKey: true, freshKey: false} {
			rc, _, err := bucket.Open(ctx, media.BlobName(key, media.VariantSmall))
			if err == nil {
				rc.Close()
			}
			if gone != errors.Is(err, media.ErrNotFound) {
				t.Errorf("photo %s: file deleted=%v, want %v (%v)", key, !gone, gone, err)
			}
		}
		if n := smallTipCount(t, st, published); n != 0 {
			t.Errorf("%d old tips left", n)
		}
		if _, n, err := st.ListMessages(ctx, false, 1, 10); err != nil || n != 0 {
			t.Errorf("%d old messages left (%v)", n, err)
		}
	})
}
