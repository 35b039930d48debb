package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
)

func validReport() url.Values {
	return url.Values{
		"full_name":             {"Priscilla Pendingcase"},
		"age":                   {"41"},
		"sex":                   {"female"},
		"height_cm":             {"165"},
		"weight_kg":             {"60"},
		"hair_colour":           {"grey"},
		"eye_colour":            {"blue"},
		"features":              {"Small anchor tattoo on left wrist"},
		"clothing":              {"Yellow oilskin jacket"},
		"last_seen_date":        {"2026-11-25"},
		"last_seen_time":        {"07:15"},
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

func with(v url.Values, k, val string) url.Values {
	out := url.Values{}
	for kk, vv := range v {
		out[kk] = append([]string(nil), vv...)
	}
	if val == "\x00delete" {
		out.Del(k)
	} else {
		out.Set(k, val)
	}
	return out
}

func countAll(t *testing.T, s *testSite) map[store.Status]int {
	t.Helper()
	m, err := s.st.CountCasesByStatus(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReportCreatesPendingCaseThatStaysPrivate(t *testing.T) {
	s := newSite(t)
	rec := s.postMultipart("/submit", validReport(), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/submit/thanks" {
		t.Fatalf("Location %q", loc)
	}
	if n := countAll(t, s)[store.StatusPending]; n != 1 {
		t.Fatalf("%d pending cases, want 1", n)
	}
	id, err := s.st.FindCaseByPoliceFile(context.Background(), "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != store.StatusPending || c.FullName != "Priscilla Pendingcase" || c.Region != "Central" || *c.Age != 41 || *c.HeightCM != 165 || c.LastSeenTime != "07:15" {
		t.Errorf("stored case %+v", c)
	}
	if got := s.cipher.open(t, c.ReporterEmail, "cases", "reporter_email", id, c.SealToken); got != "roberta@example.com" {
		t.Errorf("sealed reporter email opens to %q", got)
	}
	if bytes.Contains(c.ReporterName, []byte("Roberta")) {
		t.Error("reporter name stored in plaintext")
	}
	for _, p := range []string{"/", "/cases", "/cases?status=all", "/api/v1/cases?status=all"} {
		mustNotContain(t, s.get(p).Body.String(), "Priscilla")
	}
	// Searching for the name finds nothing (the query itself is echoed).
	mustContain(t, s.get("/cases?status=all&q=Priscilla").Body.String(), "0 people found")
	mustContain(t, s.get("/api/v1/cases?status=all&q=Priscilla").Body.String(), `"cases":[],"total":0`)
	wantStatus(t, s.get(fmt.Sprintf("/cases/%d", id)), http.StatusNotFound)
	wantStatus(t, s.get(fmt.Sprintf("/api/v1/cases/%d", id)), http.StatusNotFound)
	mustContain(t, s.get("/submit/thanks").Body.String(), "We received your report")
}

func TestReportURLEncodedAlsoAccepted(t *testing.T) {
	s := newSite(t)
	wantStatus(t, s.post("/submit", validReport()), http.StatusSeeOther)
}

func TestReportValidation(t *testing.T) {
	s := newSite(t)
	long := strings.Repeat("é", 100*1024)
	cases := []struct {
		name, field, value, msg string
	}{
		{"no name", "full_name", "\x00delete", "Enter the missing person"},
		{"blank name", "full_name", "   ", "Enter the missing person"},
		{"100 KB name", "full_name", long, "200 characters or fewer"},
		{"100 KB circumstances", "circumstances", long, "5000 characters or fewer"},
		{"invalid UTF-8", "community", "Gander\xc3\x28", "could not read"},
		{"age negative", "age", "-1", "between 0 and 120"},
		{"age too high", "age", "121", "between 0 and 120"},
		{"age words", "age", "forty", "whole number"},
		{"age sql", "age", "1 OR 1=1", "whole number"},
		{"height silly", "height_cm", "900", "between 30 and 260"},
		{"weight silly", "weight_kg", "0", "between 1 and 350"},
		{"sex unknown value", "sex", "robot", "listed options"},
		{"no sex", "sex", "\x00delete", "Choose the person"},
		{"region outside NL", "region", "Ontario", "listed regions"},
		{"no region", "region", "", "Choose the region"},
		{"future date", "last_seen_date", "2027-01-01", "in the future"},
		{"tomorrow in NL", "last_seen_date", "2026-11-28", "in the future"},
		{"date words", "last_seen_date", "yesterday", "year-month-day"},
		{"date ancient", "last_seen_date", "1850-01-01", "after 1900"},
		{"time bad", "last_seen_time", "25:99", "hours:minutes"},
		{"no place", "last_seen_place", "", "where the person was last seen"},
		{"no community", "community", "", "Enter the community"},
		{"no circumstances", "circumstances", "", "Describe the circumstances"},
		{"no police", "police_agency", "", "police service"},
		{"no file", "police_file_number", "", "police file number"},
		{"no reporter", "reporter_name", "", "Enter your name"},
		{"bad email", "reporter_email", "roberta@", "email address like"},
		{"bad phone", "reporter_phone", "<script>", "phone number"},
		{"no consent", "consent", "\x00delete", "Please confirm"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vals := with(validReport(), c.field, c.value)
			vals.Set("features", xssScript)
			vals.Set("clothing", xssAttr)
			rec := s.postMultipart("/submit", vals, nil)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := rec.Body.String()
			mustContain(t, body, c.msg, `id="f-`+c.field+`-error"`, `href="#f-`+c.field+`"`)
			// Every other value is kept, hostile ones escaped.
			mustContain(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;")
			if c.field != "police_file_number" {
				mustContain(t, body, `value="2026-112233"`)
			}
			if c.field != "consent" {
				mustContain(t, body, `name="consent" value="yes" checked`)
			}
			mustNotContain(t, body, xssScript, "<img src=x")
			assertNoInlineCode(t, body)
		})
	}
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatalf("%d cases stored from invalid reports", n)
	}
}

func TestReportNeedsPhoneOrEmail(t *testing.T) {
	s := newSite(t)
	vals := with(with(validReport(), "reporter_phone", ""), "reporter_email", "")
	rec := s.postMultipart("/submit", vals, nil)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "phone number or an email")
	// Email alone is enough.
	wantStatus(t, s.postMultipart("/submit", with(validReport(), "reporter_phone", ""), nil), http.StatusSeeOther)
}

func TestReportPhotos(t *testing.T) {
	s := newSite(t)
	six := map[string][]byte{}
	for i := 0; i < 6; i++ {
		six[fmt.Sprintf("p%d.jpg", i)] = []byte("not really a jpeg")
	}
	rec := s.postMultipart("/submit", validReport(), six)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "at most 5 photos", `id="f-photos-error"`)

	// Without a photo pipeline wired, the report is still saved and the
	// family is told photos will be asked for.
	rec = s.postMultipart("/submit", validReport(), map[string][]byte{"a.jpg": []byte("x")})
	wantStatus(t, rec, http.StatusSeeOther)
	loc := rec.Header().Get("Location")
	if loc != "/submit/thanks?photos=later" {
		t.Fatalf("Location %q", loc)
	}
	mustContain(t, s.get(loc).Body.String(), "We will ask you for them")
}

func withMedia(t *testing.T) func(*Deps) {
	t.Helper()
	b, err := media.OpenBucket(context.Background(), "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return func(d *Deps) {
		d.Pipeline = media.NewPipeline(media.Config{}, nil)
		d.Bucket = b
		d.Uploads = testSpool(t)
	}
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReportPhotosThroughMediaPipeline(t *testing.T) {
	s := newSite(t, withMedia(t))
	rec := s.postMultipart("/submit", validReport(), map[string][]byte{"a.jpg": testJPEG(t, 640, 800)})
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/submit/thanks" {
		t.Fatalf("Location %q", loc)
	}
	ctx := context.Background()
	id, err := s.st.FindCaseByPoliceFile(ctx, "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	photos, err := s.st.ListPhotos(ctx, id)
	if err != nil || len(photos) != 1 || !photos[0].Primary || !media.ValidKey(photos[0].Key) {
		t.Fatalf("photos %+v %v", photos, err)
	}
	name := media.BlobName(photos[0].Key, "320")
	// Pending: the photo is not reachable, even with its key.
	wantStatus(t, s.get("/media/"+name), http.StatusNotFound)

	c, err := s.st.GetCase(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c.PoliceVerified = true
	if err := s.st.UpdateCase(ctx, c, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.st.TransitionCase(ctx, id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	rec = s.get("/media/" + name)
	wantStatus(t, rec, http.StatusOK)
	if ct := rec.Header().Get("Content-Type"); ct != "image/jpeg" {
		t.Errorf("Content-Type %q", ct)
	}
	for k, want := range map[string]string{
		"Cache-Control":           "public, max-age=31536000, immutable",
		"Content-Security-Policy": "default-src 'none'; sandbox",
		"X-Content-Type-Options":  "nosniff",
	} {
		if got := rec.Header().Get(k); got != want {
			t.Errorf("media %s = %q, want %q", k, got, want)
		}
	}
	if rec.Header().Get("ETag") == "" {
		t.Error("media response has no ETag")
	}
	if _, err := jpeg.Decode(rec.Body); err != nil {
		t.Errorf("served variant is not a JPEG: %v", err)
	}
	body := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustContain(t, body, media.VariantURL(photos[0].Key, "800"), fmt.Sprintf(`og:image" content="https://missing.example.ca/cases/%d/share.jpg"`, id))
	// The media CSP is its own (checked above), not the pages' policy.

	// Archived: gone again.
	if err := s.st.TransitionCase(ctx, id, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.get("/media/"+name), http.StatusGone)
	for _, bad := range []string{"x.jpg", "../../etc/passwd", media.BlobName(photos[0].Key, "9999"), photos[0].Key + "_320.png", strings.Repeat("a", 32) + "_320.jpg"} {
		wantStatus(t, s.get("/media/"+url.PathEscape(bad)), http.StatusNotFound)
	}
}

func TestReportRefusedPhotoKeepsForm(t *testing.T) {
	s := newSite(t, withMedia(t))
	rec := s.postMultipart("/submit", validReport(), map[string][]byte{"a.jpg": []byte("this is not an image at all")})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "The photo could not be used:", `id="f-photos-error"`, `value="Priscilla Pendingcase"`)
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatal("report with a refused photo stored")
	}
}

func TestReportHoneypot(t *testing.T) {
	s := newSite(t)
	rec := s.postMultipart("/submit", with(validReport(), "website", "spam"), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatal("honeypot report stored")
	}
}

func TestReportTooLarge(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.MaxUploadBytes = 64 << 10 })
	rec := s.postMultipart("/submit", validReport(), map[string][]byte{"big.jpg": bytes.Repeat([]byte{0xff}, 200<<10)})
	wantStatus(t, rec, http.StatusRequestEntityTooLarge)
}

func TestReportCrossOrigin(t *testing.T) {
	s := newSite(t)
	body, ct := multipartBody(t, validReport(), nil)
	req := httptest.NewRequest(http.MethodPost, "/submit", body)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantStatus(t, s.do(req), http.StatusForbidden)
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatal("cross-origin report stored")
	}
}

func TestReportNormalisesText(t *testing.T) {
	s := newSite(t)
	// "Siobha" + combining acute: must be stored NFC; control chars dropped.
	vals := with(validReport(), "full_name", "  Siobha\u0301n\u0007 O\u202eReilly  ")
	wantStatus(t, s.postMultipart("/submit", vals, nil), http.StatusSeeOther)
	id, err := s.st.FindCaseByPoliceFile(context.Background(), "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.FullName != "Siobhán OReilly" {
		t.Errorf("stored name %q", c.FullName)
	}
}

func TestContactForm(t *testing.T) {
	s := newSite(t)
	ok := url.Values{"name": {"Carla Contact"}, "email": {"carla@example.com"}, "subject": {"Correction"}, "message": {"Please fix the date. " + sqlMeta}}
	rec := s.post("/contact", ok)
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != "/contact/thanks" {
		t.Fatalf("Location %q", loc)
	}
	msgs, n, err := s.st.ListMessages(context.Background(), false, 1, 10)
	if err != nil || n != 1 || msgs[0].Body != "Please fix the date. "+sqlMeta || msgs[0].Email != "carla@example.com" {
		t.Fatalf("messages %v %d %v", msgs, n, err)
	}
	long := strings.Repeat("z", 100*1024)
	bad := []struct{ name, field, value, msg string }{
		{"no name", "name", "", "Enter your name"},
		{"no email", "email", "", "so we can reply"},
		{"bad email", "email", "a@b", "email address like"},
		{"email with name", "email", "Carla <carla@example.com>", "email address like"},
		{"no message", "message", "", "Enter your message"},
		{"long message", "message", long, "5000 characters"},
		{"long subject", "subject", long, "150 characters"},
		{"invalid UTF-8", "subject", "\xed\xa0\x80", "could not read"},
		{"script name", "name", "", "Enter your name"},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			vals := with(ok, c.field, c.value)
			vals.Set("message", vals.Get("message")+xssScript)
			if c.field == "message" {
				vals.Set("message", c.value)
				vals.Set("subject", xssScript)
			}
			rec := s.post("/contact", vals)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := rec.Body.String()
			mustContain(t, body, c.msg, `id="f-`+c.field+`-error"`, "&lt;script&gt;")
			mustNotContain(t, body, xssScript)
		})
	}
	wantStatus(t, s.post("/contact", with(ok, "website", "x")), http.StatusSeeOther)
	if _, n, _ := s.st.ListMessages(context.Background(), false, 1, 10); n != 1 {
		t.Fatalf("%d messages, want 1 (invalid and honeypot posts store nothing)", n)
	}
}

// A web page renamed to .jpg is refused by the media pipeline, and the
// family sees the pipeline's own reason (media.Error.Message), naming the
// photo by its place in the upload, with everything they typed kept.
func TestReportHTMLRenamedJPEGShowsPipelineReason(t *testing.T) {
	s := newSite(t, withMedia(t))
	page := []byte("<!doctype html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>")
	wantMsg := "could not be used: " + media.ErrUnsupportedType.Message() + "."
	vals := validReport()

	for _, tc := range []struct {
		name  string
		files map[string][]byte
		which string
	}{
		{"only photo", map[string][]byte{"x.jpg": page}, "The photo"},
		// multipartBody writes files in name order: a.jpg first, x.jpg second.
		{"second of two", map[string][]byte{"a.jpg": testJPEG(t, 64, 80), "x.jpg": page}, "Photo 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := s.postMultipart("/submit", vals, tc.files)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := rec.Body.String()
			_, after, ok := strings.Cut(body, `id="f-photos-error"`)
			if !ok {
				t.Fatalf("no photos field error in\n%s", truncate(body, 3000))
			}
			msg, _, _ := strings.Cut(after, "</p>")
			if !strings.Contains(msg, tc.which+" "+wantMsg) {
				t.Errorf("photos message %q, want it to contain %q", msg, tc.which+" "+wantMsg)
			}
			if strings.Contains(msg, "x.jpg") || strings.Contains(body, "<script>alert(1)") {
				t.Errorf("the visitor's file name or content is echoed: %q", msg)
			}
			for k, v := range vals {
				switch k {
				case "consent":
					mustContain(t, body, `name="consent"`)
					if !strings.Contains(body, "checked") {
						t.Errorf("consent not kept")
					}
				case "sex", "region":
					mustContain(t, body, `value="`+v[0]+`" selected`)
				default:
					if !strings.Contains(body, `name="`+k+`"`) ||
						!(strings.Contains(body, `value="`+v[0]+`"`) || strings.Contains(body, ">"+v[0]+"</textarea>")) {
						t.Errorf("%s: typed value %q not kept", k, v[0])
					}
				}
			}
			if n := countAll(t, s)[store.StatusPending]; n != 0 {
				t.Fatal("report with a refused photo stored")
			}
		})
	}
}
