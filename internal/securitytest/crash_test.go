package securitytest

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"lostinnl/internal/media"
)

// Crash leftovers (issue 12.5): what a process killed with SIGKILL leaves
// behind, and that the next start cleans it up.

// crashReport is a valid public report.
func crashReport() url.Values {
	return url.Values{
		"full_name":             {"Crash Testcase"},
		"age":                   {"41"},
		"sex":                   {"female"},
		"last_seen_date":        {"2026-11-25"},
		"last_seen_place":       {"Harbour wharf"},
		"community":             {"Twillingate"},
		"region":                {"Central"},
		"circumstances":         {"Went to check the boat and did not come back."},
		"police_agency":         {"RCMP"},
		"police_file_number":    {"2026-112233"},
		"reporter_name":         {"Roberta Reporter"},
		"reporter_phone":        {"709-555-0123"},
		"reporter_email":        {"roberta@example.com"},
		"reporter_relationship": {"daughter"},
		"consent":               {"yes"},
	}
}

// crashJPEG is a small photo-like JPEG.
func crashJPEG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// crashWaitExit waits until the killed child is gone (reaped by the
// harness), so the next start does not overlap with it.
func crashWaitExit(t *testing.T, c *child) {
	t.Helper()
	pid := c.cmd.Process.Pid
	for deadline := time.Now().Add(guard); ; time.Sleep(10 * time.Millisecond) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d still there after SIGKILL", pid)
		}
	}
}

// crashWaitFor polls cond until it holds (bounded by guard, which only
// stops a hung run).
func crashWaitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(guard); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func crashList(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// crashSpooled lists the spooled upload files under the spool root (one
// folder per process, each with its lock file).
func crashSpooled(t *testing.T, root string) []string {
	t.Helper()
	var out []string
	for _, d := range crashList(t, root) {
		if d == ".lock" {
			continue
		}
		for _, f := range crashList(t, filepath.Join(root, d)) {
			if f != ".lock" {
				out = append(out, d+"/"+f)
			}
		}
	}
	return out
}

// crashSlowUpload starts a report whose photo is sent in part; it returns
// the writer to finish it (or break it off) and the channel the response
// status arrives on.
func crashSlowUpload(t *testing.T, url string) (*io.PipeWriter, *multipart.Writer, <-chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req := must(http.NewRequest(http.MethodPost, url+"/submit", pr))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	status := make(chan int, 1)
	go func() {
		resp, err := newClient(t).Do(req)
		if err != nil {
			status <- 0
			return
		}
		resp.Body.Close()
		status <- resp.StatusCode
	}()
	for k, vs := range crashReport() {
		_ = mw.WriteField(k, vs[0])
	}
	fw := must(mw.CreateFormFile("photos", "IMG_0001.jpg"))
	// A real photo, then 2 MB of trailing bytes standing in for the rest
	// of a slow upload (over what ParseMultipartForm kept in memory).
	if _, err := fw.Write(crashJPEG(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(bytes.Repeat([]byte("GPS 47.6N 52.7W "), 128<<10)); err != nil {
		t.Fatal(err)
	}
	return pw, mw, status
}

// TestCrashMidUploadLeavesNothingInTmp kills the server while a photo is
// streaming in. Before: Go's multipart parser had spooled the raw photo
// (with its EXIF/GPS) to os.TempDir(), and nothing ever removed it. Now
// the part is in <data dir>/spool, and the next start removes it.
func TestCrashMidUploadLeavesNothingInTmp(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		tmp := t.TempDir()
		env["TMPDIR"] = tmp // the child's os.TempDir(), empty and ours alone
		if code, _, stderr := command(t, env, "", "migrate"); code != 0 {
			t.Fatalf("migrate: %s", stderr)
		}
		spool := filepath.Join(env["LOSTINNL_DATA_DIR"], "spool")
		c := startChild(t, env, "serve")

		pw, _, _ := crashSlowUpload(t, c.URL)
		crashWaitFor(t, "a spooled upload", func() bool { return len(crashSpooled(t, spool)) > 0 })

		c.Kill()
		crashWaitExit(t, c)
		pw.CloseWithError(errors.New("server gone"))
		if left := crashList(t, tmp); len(left) != 0 {
			t.Fatalf("the killed server left files in its os.TempDir(): %v", left)
		}
		left := crashSpooled(t, spool)
		if len(left) == 0 {
			t.Fatal("nothing was spooled: the crash did not happen mid-upload")
		}
		if fi, err := os.Stat(spool); err != nil || fi.Mode().Perm() != 0o700 {
			t.Fatalf("spool folder mode %v (%v), want 0700", fi.Mode().Perm(), err)
		}

		// The next start removes what the dead process spooled.
		startChild(t, env, "serve")
		if again := crashSpooled(t, spool); len(again) != 0 {
			t.Fatalf("spool not cleared at start-up: %v (was %v)", again, left)
		}
		if left := crashList(t, tmp); len(left) != 0 {
			t.Fatalf("files in os.TempDir(): %v", left)
		}
	})
}

// TestCrashSpoolSharedDataDir: two instances may share a data directory
// (docs/operations.md); one starting must not remove the other's upload in
// progress, only a dead process's.
func TestCrashSpoolSharedDataDir(t *testing.T) {
	env := baseEnv(t)
	if code, _, stderr := command(t, env, "", "migrate"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	spool := filepath.Join(env["LOSTINNL_DATA_DIR"], "spool")
	a := startChild(t, env, "serve")
	pw, mw, status := crashSlowUpload(t, a.URL)
	crashWaitFor(t, "a spooled upload", func() bool { return len(crashSpooled(t, spool)) > 0 })
	inFlight := crashSpooled(t, spool)

	startChild(t, env, "serve") // the second instance
	if now := crashSpooled(t, spool); strings.Join(now, ",") != strings.Join(inFlight, ",") {
		t.Fatalf("a starting instance touched the other's upload: %v, was %v", now, inFlight)
	}
	// The first instance finishes its upload normally.
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if code := <-status; code != http.StatusSeeOther {
		t.Fatalf("the upload in progress failed: status %d; log:\n%s", code, a.Log.String())
	}
	if left := crashSpooled(t, spool); len(left) != 0 {
		t.Fatalf("spool after the upload: %v", left)
	}
}

var crashOpsRe = regexp.MustCompile(`msg="lostinnl serving" url=\S+ ops=(\S+)`)

// TestCrashOrphanVariantsSwept: photo variants stored by a process killed
// before it committed their row are deleted by the next start's sweep;
// variants a row references, and fresh ones of an upload that may still
// be in progress, are kept.
//
// The window between storing the variants and committing the row is a few
// milliseconds; a SIGKILL cannot be aimed at it from outside. So the
// orphans are made exactly as the killed process made them: variants
// written through media.Bucket.Put into the server's own media folder, with
// no row. The server is then killed (SIGKILL, no clean-up) and started
// again, which is what an operator's restart after the crash does.
func TestCrashOrphanVariantsSwept(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		if code, _, stderr := command(t, env, "", "migrate"); code != 0 {
			t.Fatalf("migrate: %s", stderr)
		}
		dataDir := env["LOSTINNL_DATA_DIR"]
		mediaDir := filepath.Join(dataDir, "media")
		c := startChild(t, env, "serve")

		// A real report with a photo: its variants have a row.
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vs := range crashReport() {
			_ = mw.WriteField(k, vs[0])
		}
		fw := must(mw.CreateFormFile("photos", "a.jpg"))
		_, _ = fw.Write(crashJPEG(t))
		_ = mw.Close()
		resp := must(newClient(t).Post(c.URL+"/submit", mw.FormDataContentType(), &buf))
		if b := body(t, resp); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("report: %d %s", resp.StatusCode, b)
		}
		referenced := crashKeys(t, mediaDir)
		if len(referenced) != 1 {
			t.Fatalf("media folder after one photo: %v", referenced)
		}

		// What a crash between Put and commit leaves: variants, no row.
		ctx := context.Background()
		bucket, err := media.OpenBucket(ctx, "", dataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer bucket.Close()
		p, err := media.NewPipeline(media.Config{}, nil).Process(ctx, bytes.NewReader(crashJPEG(t)))
		if err != nil {
			t.Fatal(err)
		}
		oldOrphan := must(bucket.Put(ctx, p))
		freshOrphan := must(bucket.Put(ctx, p))
		// The crash was two hours ago for oldOrphan; the referenced photo
		// is as old, so only its row protects it.
		old := time.Now().Add(-2 * time.Hour)
		for _, key := range []string{oldOrphan, referenced[0]} {
			for _, v := range media.VariantNames() {
				if err := os.Chtimes(filepath.Join(mediaDir, media.BlobName(key, v)), old, old); err != nil {
					t.Fatal(err)
				}
			}
		}

		c.Kill()
		crashWaitExit(t, c)
		c2 := startChild(t, env, "serve")
		crashWaitFor(t, "the start-up sweep", func() bool {
			if strings.Contains(c2.Log.String(), "sweep failed") {
				t.Fatalf("sweep failed: %s", c2.Log.String())
			}
			return strings.Contains(c2.Log.String(), "orphan photo blobs removed")
		})
		got := crashKeys(t, mediaDir)
		want := []string{referenced[0], freshOrphan}
		sort.Strings(want)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("keys after the sweep: %v, want %v (old orphan %s)", got, want, oldOrphan)
		}
		for _, key := range want {
			for _, v := range media.VariantNames() {
				if _, err := os.Stat(filepath.Join(mediaDir, media.BlobName(key, v))); err != nil {
					t.Errorf("variant %s of kept key %s: %v", v, key, err)
				}
			}
		}
		// The metric says how many blobs went.
		m := crashOpsRe.FindStringSubmatch(c2.Log.String())
		if m == nil || m[1] == "off" {
			t.Fatalf("no ops listener in the log")
		}
		metrics := body(t, must(http.Get(strings.TrimSuffix(m[1], "/")+"/metrics")))
		if !strings.Contains(metrics, "\nphoto_orphan_blobs_removed_total 4\n") {
			t.Errorf("photo_orphan_blobs_removed_total not 4:\n%s", crashGrep(metrics, "orphan"))
		}
	})
}

// crashKeys lists the photo keys that have blobs in dir.
func crashKeys(t *testing.T, dir string) []string {
	t.Helper()
	seen := map[string]bool{}
	var keys []string
	for _, n := range crashList(t, dir) {
		if key, _, ok := media.ParseName(n); ok && !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	return keys
}

func crashGrep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
