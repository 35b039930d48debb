package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"lostinnl/internal/cli"
	"lostinnl/internal/store"
)

// TestPresignedPhotosLoadInBrowser runs the real binary's `serve` (not a
// hand-wired web.Deps) with photos in an S3 bucket served by gofakes3 and
// LOSTINNL_MEDIA_PRESIGN on: /media/ redirects to presigned URLs on another
// origin (127.0.0.1 with gofakes3's port). A report with a photo is sent
// through the form, published, and the case page opened in Chromium: the
// photo must really load from the bucket, with no CSP violation.
func TestPresignedPhotosLoadInBrowser(t *testing.T) {
	tb := newTab(t)
	bucketURL, photoGets := presignFakeS3(t)
	dataDir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{
		"LOSTINNL_DATA_DIR":        dataDir,
		"LOSTINNL_ADDR":            "127.0.0.1:0",
		"LOSTINNL_OPS_ADDR":        "127.0.0.1:0",
		"LOSTINNL_BASE_URL":        "http://127.0.0.1",
		"LOSTINNL_LOG_FORMAT":      "text",
		"LOSTINNL_FORM_RATE_LIMIT": "1000",
		"LOSTINNL_FORM_RATE_BURST": "1000",
		"LOSTINNL_MEDIA_URL":       bucketURL,
		"LOSTINNL_MEDIA_PRESIGN":   "true",
	}
	siteURL := presignServe(t, env)

	tb.navigate(siteURL + "/submit")
	tb.fillReport("Ophelia Bunchberry")
	tb.do("attach a photo", chromedp.SetUploadFiles(chromedp.ID("f-photos"), []string{writeTempJPEG(t, "portrait.jpg", 3)}))
	tb.do("send the report", chromedp.Click(chromedp.CSS(`form[action="/submit"] button[type=submit]`)))
	tb.waitFor("the confirmation page", `location.pathname === "/submit/thanks"`, `location.href + " " + document.body.innerText.slice(0, 800)`)
	if p := tb.path(); strings.Contains(p, "photos=later") {
		t.Fatalf("confirmation %s: the photo was not taken", p)
	}

	// A moderator checks with the police and publishes (straight in the
	// database the site uses; the admin flow has its own tests).
	ctx := context.Background()
	st, err := store.Open(ctx, "sqlite:"+filepath.Join(dataDir, "lostinnl.db"), store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.SearchCases(ctx, store.CaseQuery{Statuses: []store.Status{store.StatusPending}})
	if err != nil || len(list.Cases) != 1 {
		t.Fatalf("pending reports: %+v, %v", list, err)
	}
	c := list.Cases[0]
	if photos, err := st.ListPhotos(ctx, c.ID); err != nil || len(photos) != 1 {
		t.Fatalf("photos of the report: %d, %v", len(photos), err)
	}
	c.PoliceVerified = true
	if err := st.UpdateCase(ctx, &c, nil); err != nil {
		t.Fatal(err)
	}
	if err := st.TransitionCase(ctx, c.ID, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	tb.pageErrors() // the form pages are not what this test is about

	before := photoGets.Load()
	tb.navigate(fmt.Sprintf("%s/cases/%d", siteURL, c.ID))
	tb.do("load the photos now", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".case-media img").forEach(i => { i.loading = "eager"; i.scrollIntoView(); })`))
	tb.waitFor("the photo loaded from the bucket",
		`(() => { const imgs = Array.from(document.querySelectorAll(".case-media img")); return imgs.length >= 1 && imgs.every(i => i.complete && i.naturalWidth > 0); })()`,
		photoState)
	if photoGets.Load() == before {
		t.Fatal("the photo loaded but not from the bucket: /media/ did not redirect to a presigned URL")
	}
	tb.noPageErrors()
}

// presignFakeS3 starts gofakes3 on loopback with the bucket lostinnl-media
// and returns the s3:// URL for LOSTINNL_MEDIA_URL and a count of the photo
// reads it served. The AWS credential chain sees only fixed test keys.
func presignFakeS3(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	mem := s3mem.New()
	if err := mem.CreateBucket("lostinnl-media"); err != nil {
		t.Fatal(err)
	}
	s3 := gofakes3.New(mem).Server()
	var gets atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, ".jpg") && r.URL.Query().Get("X-Amz-Signature") != "" {
			gets.Add(1)
		}
		s3.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	none := filepath.Join(t.TempDir(), "none")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", none)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", none)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return "s3://lostinnl-media?region=us-east-1&use_path_style=true&endpoint=" + url.QueryEscape(srv.URL), &gets
}

var presignServingRe = regexp.MustCompile(`msg="lostinnl serving" url=(\S+)`)

// presignServe runs `lostinnl serve` in-process with env until the test
// ends and returns its public URL.
func presignServe(t *testing.T, env map[string]string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, []string{"serve"}, strings.NewReader(""), io.Discard, logs, lookup)
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("serve exited %d; log:\n%s", code, tail(logs.String(), 4000))
		}
	})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", tail(logs.String(), 4000))
		}
	})
	deadline := time.After(time.Minute)
	for {
		if m := presignServingRe.FindStringSubmatch(logs.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited early with %d: %s", code, logs.String())
		case <-deadline:
			t.Fatalf("serve did not start; log:\n%s", logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
