package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/staff"
)

// spoolSite is a site with photo uploads whose spool is dir, and with
// TMPDIR pointed at an empty folder of the test, so anything written to
// os.TempDir() during the test shows up there.
func spoolSite(t *testing.T, mods ...func(*Deps)) (s *testSite, spool, tmp string) {
	t.Helper()
	sp := testSpool(t)
	spool = sp.Dir
	tmp = t.TempDir()
	t.Setenv("TMPDIR", tmp)
	if os.TempDir() != tmp {
		t.Fatalf("os.TempDir() = %q, want the test's %q", os.TempDir(), tmp)
	}
	mods = append([]func(*Deps){withMedia(t), func(d *Deps) { d.Uploads = sp }}, mods...)
	return newSite(t, mods...), spool, tmp
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestUploadSpoolsOutsideTmp streams a report whose photo is bigger than
// what ParseMultipartForm keeps in memory, and stops half-way: the part
// must be on disk in the spool (0600), nothing in os.TempDir(); when the
// body then breaks off, the spooled part is deleted.
func TestUploadSpoolsOutsideTmp(t *testing.T) {
	s, spool, tmp := spoolSite(t)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	req := httptest.NewRequest(http.MethodPost, "/submit", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- s.do(req) }()

	for k, vs := range validReport() {
		if err := mw.WriteField(k, vs[0]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := mw.CreateFormFile("photos", "phone.jpg")
	if err != nil {
		t.Fatal(err)
	}
	// 2 MB: over the 1 MB that ParseMultipartForm(1 MB) would keep in
	// memory, so the old code had spilled it to os.TempDir() by now.
	if _, err := fw.Write(bytes.Repeat([]byte("GPS"), 700<<10)); err != nil {
		t.Fatal(err)
	}
	var names []string
	for deadline := time.Now().Add(20 * time.Second); len(names) == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no spool file appeared while the photo was streaming")
		}
		names = spoolFiles(t, spool)
	}
	fi, err := os.Stat(filepath.Join(spool, names[0]))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("spool file mode %v, want 0600", fi.Mode().Perm())
	}
	if left := dirEntries(t, tmp); len(left) != 0 {
		t.Errorf("upload written to os.TempDir(): %v", left)
	}
	// The client goes away mid-photo.
	pw.CloseWithError(errors.New("connection reset"))
	rec := <-done
	if rec.Code != http.StatusBadRequest {
		t.Errorf("broken body: status %d, want 400", rec.Code)
	}
	if left := spoolFiles(t, spool); len(left) != 0 {
		t.Errorf("spool not cleaned after a broken upload: %v", left)
	}
	if left := dirEntries(t, tmp); len(left) != 0 {
		t.Errorf("os.TempDir() not empty: %v", left)
	}
}

// TestUploadSpoolCleanedAfterRequest: whatever the outcome (stored,
// refused photo with the form kept, invalid form, too large), the spool is
// empty afterwards and nothing was written to os.TempDir().
func TestUploadSpoolCleanedAfterRequest(t *testing.T) {
	s, spool, tmp := spoolSite(t, func(d *Deps) { d.MaxUploadBytes = 4 << 20 })
	big := append(testJPEG(t, 64, 64), bytes.Repeat([]byte{0}, 1500<<10)...) // > 1 MB, trailing bytes after EOI
	cases := []struct {
		name   string
		vals   url.Values
		files  map[string][]byte
		status int
		body   string
	}{
		{"stored", validReport(), map[string][]byte{"a.jpg": big, "b.jpg": testJPEG(t, 320, 200)}, http.StatusSeeOther, ""},
		{"refused photo keeps the form", validReport(), map[string][]byte{"a.jpg": big, "b.jpg": []byte("<html>")}, http.StatusUnprocessableEntity, `value="Priscilla Pendingcase"`},
		{"invalid form keeps the values", with(validReport(), "full_name", ""), map[string][]byte{"a.jpg": big}, http.StatusUnprocessableEntity, `value="Harbour wharf"`},
		{"too large", validReport(), map[string][]byte{"a.jpg": big, "b.jpg": big, "c.jpg": big}, http.StatusRequestEntityTooLarge, ""},
	}
	for _, c := range cases {
		rec := s.postMultipart("/submit", c.vals, c.files)
		if rec.Code != c.status {
			t.Errorf("%s: status %d, want %d", c.name, rec.Code, c.status)
		}
		if c.body != "" {
			mustContain(t, rec.Body.String(), c.body)
		}
		if left := spoolFiles(t, spool); len(left) != 0 {
			t.Errorf("%s: spool holds %v after the request", c.name, left)
		}
		if left := dirEntries(t, tmp); len(left) != 0 {
			t.Errorf("%s: os.TempDir() holds %v", c.name, left)
		}
	}
	if n := countAll(t, s)[store.StatusPending]; n != 1 {
		t.Errorf("%d pending reports, want 1", n)
	}
}

// TestUploadFormLimits: the part count and the in-memory field budget are
// bounded like the body: a 413, never a 500, and nothing left behind.
func TestUploadFormLimits(t *testing.T) {
	s, spool, _ := spoolSite(t)
	many := validReport()
	for i := range kit.FormMaxParts {
		many.Add("x", fmt.Sprint(i))
	}
	wantStatus(t, s.postMultipart("/submit", many, map[string][]byte{"a.jpg": testJPEG(t, 32, 32)}), http.StatusRequestEntityTooLarge)
	long := with(validReport(), "circumstances", strings.Repeat("a", kit.ReportFieldsLimit))
	wantStatus(t, s.postMultipart("/submit", long, nil), http.StatusRequestEntityTooLarge)
	if left := spoolFiles(t, spool); len(left) != 0 {
		t.Errorf("spool holds %v", left)
	}
	// A file part under another name is read and dropped, not stored.
	body, ct := multipartBody(t, validReport(), nil)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.SetBoundary(strings.TrimPrefix(ct, "multipart/form-data; boundary="))
	fw, _ := mw.CreateFormFile("other", "x.jpg")
	_, _ = fw.Write([]byte("data"))
	_ = mw.Close()
	prefix, _ := io.ReadAll(body)
	full := append(bytes.TrimSuffix(prefix, []byte("--"+mw.Boundary()+"--\r\n")), buf.Bytes()...)
	req := httptest.NewRequest(http.MethodPost, "/submit", bytes.NewReader(full))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	wantStatus(t, s.do(req), http.StatusSeeOther)
}

// TestSmallFormMultipartNeverSpools: the tip and contact forms take
// multipart too (some clients insist), but have no file field: file parts
// are dropped and never written anywhere.
func TestSmallFormMultipartNeverSpools(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s := newSite(t)
	body, ct := multipartBody(t, url.Values{"name": {"Ann"}, "email": {"ann@example.com"}, "message": {"Please call me about the website."}},
		map[string][]byte{"x.jpg": bytes.Repeat([]byte("x"), 900<<10)})
	req := httptest.NewRequest(http.MethodPost, "/contact", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	rec := s.do(req)
	if rec.Code >= 500 {
		t.Fatalf("status %d", rec.Code)
	}
	if left := dirEntries(t, tmp); len(left) != 0 {
		t.Errorf("os.TempDir() holds %v", left)
	}
}

func testSpool(t *testing.T) *kit.UploadSpool {
	t.Helper()
	sp, err := kit.OpenUploadSpool(filepath.Join(t.TempDir(), "spool"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sp.Close() })
	return sp
}

// spoolFiles lists dir's entries other than the lock file.
func spoolFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, n := range dirEntries(t, dir) {
		if n != kit.LockName {
			out = append(out, n)
		}
	}
	return out
}

func TestOpenUploadSpool(t *testing.T) {
	root := filepath.Join(t.TempDir(), "spool")
	// A live process's folder (another spool open in this process: flock
	// locks belong to open files, so it counts as another holder).
	live, err := kit.OpenUploadSpool(root)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	if err := os.WriteFile(filepath.Join(live.Dir, "upload-1"), []byte("in progress"), 0o600); err != nil {
		t.Fatal(err)
	}
	// What dead processes left: a folder whose lock nobody holds, a folder
	// without a lock file, a stray file.
	dead, err := kit.OpenUploadSpool(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dead.Dir, "upload-2"), []byte("EXIF GPS"), 0o600); err != nil {
		t.Fatal(err)
	}
	dead.Lock.Close() // as the kernel does when the process dies
	for _, p := range []string{"p-nolock/sub", "upload-3"} {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("EXIF GPS"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}

	sp, err := kit.OpenUploadSpool(root)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	got := spoolFiles(t, root)
	want := []string{filepath.Base(live.Dir), filepath.Base(sp.Dir)}
	if len(got) != 2 || !(got[0] == want[0] && got[1] == want[1] || got[0] == want[1] && got[1] == want[0]) {
		t.Errorf("spool root holds %v, want only %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(live.Dir, "upload-1")); err != nil {
		t.Errorf("a live process's upload was removed: %v", err)
	}
	for _, d := range []string{root, sp.Dir} {
		if fi, err := os.Stat(d); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v (%v), want 0700", d, fi.Mode().Perm(), err)
		}
	}
	// Close removes the folder.
	if err := live.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live.Dir); !os.IsNotExist(err) {
		t.Errorf("closed spool folder still there: %v", err)
	}

	// A symbolic link is refused, and what it points at is untouched.
	other := filepath.Join(t.TempDir(), "other")
	if err := os.MkdirAll(other, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "keep"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(other, link); err != nil {
		t.Fatal(err)
	}
	if _, err := kit.OpenUploadSpool(link); err == nil {
		t.Error("symbolic link accepted")
	}
	if _, err := os.Stat(filepath.Join(other, "keep")); err != nil {
		t.Errorf("file behind the link removed: %v", err)
	}
	if _, err := kit.OpenUploadSpool(""); err == nil {
		t.Error("empty folder name accepted")
	}
}

func TestUploadDirRequiredWithPhotos(t *testing.T) {
	b, err := media.OpenBucket(context.Background(), "mem://", "")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	_, err = New(withMail(t, Deps{Store: newSite(t).st, Admin: &staff.Admin{Cipher: newTestCipher(t)}, Pipeline: media.NewPipeline(media.Config{}, nil), Bucket: b}))
	if err == nil || !strings.Contains(err.Error(), "Uploads") {
		t.Fatalf("New without Uploads: %v", err)
	}
}
