package securitytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readyTinyDisk mounts a tmpfs of sizeMB megabytes and returns its path, or
// skips the test: mounting needs root (or CAP_SYS_ADMIN), which CI
// containers often lack.
func readyTinyDisk(t *testing.T, sizeMB int) string {
	t.Helper()
	dir := t.TempDir()
	opts := "size=" + strconv.Itoa(sizeMB) + "m,mode=0755"
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, opts); err != nil {
		t.Skipf("full-disk test skipped: cannot mount a %d MB tmpfs at %s (%v); run as root to include it", sizeMB, dir, err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, syscall.MNT_DETACH); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// readyFill writes a file in dir until the file system is full, and returns
// a function that removes it again.
func readyFill(t *testing.T, dir string) func() {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("fill: %v", err)
			}
			break
		}
	}
	// Top off with smaller writes so not even a page is left.
	for _, n := range []int{4096, 512, 1} {
		for {
			if _, err := f.Write(chunk[:n]); err != nil {
				break
			}
		}
	}
	_ = f.Close() // the disk is full; closing a tmpfs file cannot lose data we care about
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

type readyAnswer struct {
	code   int
	Status string            `json:"status"`
	Failed map[string]string `json:"failed"`
}

func readyGet(t *testing.T, c *http.Client, base string) readyAnswer {
	t.Helper()
	resp, err := c.Get(base + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	var a readyAnswer
	b := body(t, resp)
	if err := json.Unmarshal([]byte(b), &a); err != nil {
		t.Fatalf("/readyz body %q: %v", b, err)
	}
	a.code = resp.StatusCode
	return a
}

// readyWaitFor polls /readyz until ok says the answer is the one wanted.
// /readyz shares one run of its checks for a second, so the change can
// take that long to show; guard only stops a hung server.
func readyWaitFor(t *testing.T, c *http.Client, base, what string, ok func(readyAnswer) bool) readyAnswer {
	t.Helper()
	deadline := time.Now().Add(guard)
	for {
		a := readyGet(t, c, base)
		if ok(a) {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never became %s; last: %d %+v", what, a.code, a)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func readyReport() url.Values {
	return url.Values{
		"full_name":             {"Dorothy Diskfull"},
		"age":                   {"52"},
		"sex":                   {"female"},
		"last_seen_date":        {"2026-11-25"},
		"last_seen_place":       {"Harbour wharf"},
		"community":             {"Twillingate"},
		"region":                {"Central"},
		"circumstances":         {"Went to check the boat and did not come back."},
		"police_agency":         {"RCMP"},
		"police_file_number":    {"2026-551234"},
		"reporter_name":         {"Roberta Reporter"},
		"reporter_phone":        {"709-555-0123"},
		"reporter_relationship": {"daughter"},
		"consent":               {"yes"},
	}
}

// readyPostReport sends the report form like a browser, with photo as one
// JPEG when it is not nil.
func readyPostReport(t *testing.T, c *http.Client, base string, vals url.Values, photo []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range vals {
		for _, v := range vs {
			_ = mw.WriteField(k, v) // into a bytes.Buffer: cannot fail
		}
	}
	if photo != nil {
		fw := must(mw.CreateFormFile("photos", "photo.jpg"))
		_, _ = fw.Write(photo)
	}
	_ = mw.Close()
	req := must(http.NewRequest(http.MethodPost, base+"/submit", &buf))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("POST /submit: %v", err)
	}
	return resp.StatusCode, body(t, resp)
}

func readyJPEG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := 0; y < 480; y++ {
		for x := 0; x < 640; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadyFullDisk: with the data dir on a file system that fills up,
// /readyz fails (the disk floor), a report still gets a clean answer that
// keeps what was typed, never a 500, and /readyz recovers once space is
// freed. On SQLite the database lives on the full disk too.
func TestReadyFullDisk(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		disk := readyTinyDisk(t, 16)
		env["LOSTINNL_DATA_DIR"] = filepath.Join(disk, "data")
		env["LOSTINNL_MIN_FREE_DISK_MB"] = "2"
		s := startSite(t, env)
		c := newClient(t)
		if a := readyGet(t, c, s.URL); a.code != 200 {
			t.Fatalf("/readyz before filling the disk: %d %+v", a.code, a)
		}

		unfill := readyFill(t, disk)
		a := readyWaitFor(t, c, s.URL, "503 for the disk", func(a readyAnswer) bool { return a.code == 503 && a.Failed["disk"] != "" })
		if a.Status != "unavailable" || strings.Contains(s.Log.String(), "hunter") {
			t.Fatalf("/readyz: %+v", a)
		}
		if !strings.Contains(s.Log.String(), "below the floor") {
			t.Errorf("the log does not say why /readyz fails:\n%s", s.Log.String())
		}

		photo := readyJPEG(t)
		for _, withPhoto := range []bool{false, true} {
			var p []byte
			if withPhoto {
				p = photo
			}
			code, b := readyPostReport(t, c, s.URL, readyReport(), p)
			switch code {
			case http.StatusSeeOther:
				// Saved after all (MariaDB is not on the full disk, and
				// SQLite may still have room in its write-ahead log).
			case http.StatusUnprocessableEntity, http.StatusServiceUnavailable:
				if !strings.Contains(b, "Dorothy Diskfull") || !strings.Contains(b, "2026-551234") {
					t.Errorf("photo=%v: %d page lost what was typed:\n%.2000s", withPhoto, code, b)
				}
			default:
				t.Errorf("photo=%v: report on a full disk answered %d:\n%.2000s\nlog:\n%s", withPhoto, code, b, s.Log.String())
			}
		}

		unfill()
		readyWaitFor(t, c, s.URL, "200 after freeing space", func(a readyAnswer) bool { return a.code == 200 })
	})
}

// TestReadyFailedWrites: with the disk floor off, a full disk is noticed
// by the writes themselves: after 5 failed reports in a row /readyz fails
// ("database_writes" on SQLite, whose file is on that disk; "storage_writes"
// for photos on both dialects), every visitor still gets a clean page with
// the form kept, and once space is freed the probe write finds out and
// /readyz recovers without any traffic.
func TestReadyFailedWrites(t *testing.T) {
	eachDialect(t, func(t *testing.T, env map[string]string) {
		disk := readyTinyDisk(t, 16)
		env["LOSTINNL_DATA_DIR"] = filepath.Join(disk, "data")
		env["LOSTINNL_MIN_FREE_DISK_MB"] = "0"
		sqlite := env["LOSTINNL_DATABASE_URL"] == ""
		s := startSite(t, env)
		c := newClient(t)
		unfill := readyFill(t, disk)
		photo := readyJPEG(t)

		post := func(p []byte) {
			t.Helper()
			code, b := readyPostReport(t, c, s.URL, readyReport(), p)
			switch {
			case code == http.StatusSeeOther && !sqlite && p == nil:
				// MariaDB is not on the full disk: the report is saved.
			case code == http.StatusServiceUnavailable && strings.Contains(b, "Dorothy Diskfull"):
			default:
				t.Fatalf("photo=%v: %d:\n%.1500s\nlog:\n%s", p != nil, code, b, s.Log.String())
			}
		}
		for range 5 {
			post(nil)
		}
		if sqlite {
			a := readyWaitFor(t, c, s.URL, "503 for database writes", func(a readyAnswer) bool { return a.code == 503 && a.Failed["database_writes"] != "" })
			if a.Failed["storage_writes"] != "" {
				t.Errorf("no photo was written, yet storage_writes failed: %+v", a)
			}
		} else if a := readyGet(t, c, s.URL); a.code != 200 {
			t.Fatalf("MariaDB writes worked, yet /readyz: %d %+v", a.code, a)
		}
		for range 5 {
			post(photo)
		}
		// Photos reach the upload spool (in the data dir) before the
		// bucket, so on a full data disk they fail there first.
		readyWaitFor(t, c, s.URL, "503 for photo writes", func(a readyAnswer) bool { return a.code == 503 && a.Failed["upload_writes"] != "" })

		unfill()
		readyWaitFor(t, c, s.URL, "200 after freeing space", func(a readyAnswer) bool { return a.code == 200 })
		// The probes left no stray blobs in the media folder.
		left, err := filepath.Glob(filepath.Join(env["LOSTINNL_DATA_DIR"], "media", "readyz-probe-*"))
		if err != nil || len(left) != 0 {
			t.Errorf("probe blobs left: %v %v", left, err)
		}
	})
}

// TestReadyDrainDelay: a real process sent SIGTERM with LOSTINNL_DRAIN_DELAY
// set answers /readyz with 503 "draining" at once, while the site itself
// keeps serving, new connections included, until the delay is over. The
// delay is far longer than the test needs; the process is killed at the end.
func TestReadyDrainDelay(t *testing.T) {
	env := baseEnv(t)
	env["LOSTINNL_DRAIN_DELAY"] = "5m"
	c := startChild(t, env, "serve")
	client := newClient(t)
	if a := readyGet(t, client, c.URL); a.code != 200 {
		t.Fatalf("/readyz before SIGTERM: %d %+v", a.code, a)
	}
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	readyWaitFor(t, client, c.URL, "503 draining", func(a readyAnswer) bool { return a.code == 503 && a.Status == "draining" })
	// A fresh client: no kept-alive connection, so this proves the listener
	// still accepts.
	fresh := newClient(t)
	fresh.Transport = &http.Transport{DisableKeepAlives: true}
	for _, path := range []string{"/", "/cases", "/healthz"} {
		resp, err := fresh.Get(c.URL + path)
		if err != nil {
			t.Fatalf("GET %s during the drain delay: %v\nlog:\n%s", path, err, c.Log.String())
		}
		if b := body(t, resp); resp.StatusCode != 200 {
			t.Fatalf("GET %s during the drain delay: %d %.300s", path, resp.StatusCode, b)
		}
	}
	if a := readyGet(t, fresh, c.URL); a.code != 503 || a.Status != "draining" {
		t.Fatalf("/readyz went back to %d %+v during the delay", a.code, a)
	}
	if strings.Contains(c.Log.String(), "shutdown complete") {
		t.Fatal("the server shut down before the drain delay was over")
	}
}

// TestReadyDrainDelayZeroStopsAtOnce: without a delay (the default) SIGTERM
// still shuts down straight away and cleanly, as before; it also shows that
// the "shutdown complete" line TestReadyDrainDelay looks for is real.
func TestReadyDrainDelayZeroStopsAtOnce(t *testing.T) {
	c := startChild(t, baseEnv(t), "serve")
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(guard)
	for !strings.Contains(c.Log.String(), "shutdown complete") {
		if time.Now().After(deadline) {
			t.Fatalf("no clean shutdown after SIGTERM with no drain delay; log:\n%s", c.Log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
