package web

import (
	"context"
	"fmt"
	"image/jpeg"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

var (
	formTokenRe  = regexp.MustCompile(`name="form_token" value="([^"]*)"`)
	heldThumbRe  = regexp.MustCompile(`<img src="(/submit/photos/[^"]+)"`)
	removeIDRe   = regexp.MustCompile(`name="remove_photo" value="(\d+)"`)
	photoFieldRe = regexp.MustCompile(`name="photos"`)
)

// heldForm is what a re-displayed report form shows of its held photos.
type heldForm struct {
	token   string
	thumbs  []string
	removes []string
	body    string
}

func readHeldForm(t *testing.T, body string) heldForm {
	t.Helper()
	hf := heldForm{body: body}
	if m := formTokenRe.FindStringSubmatch(body); m != nil {
		hf.token = m[1]
	}
	for _, m := range heldThumbRe.FindAllStringSubmatch(body, -1) {
		hf.thumbs = append(hf.thumbs, m[1])
	}
	for _, m := range removeIDRe.FindAllStringSubmatch(body, -1) {
		hf.removes = append(hf.removes, m[1])
	}
	if len(hf.thumbs) != len(hf.removes) {
		t.Fatalf("%d thumbnails but %d Remove buttons", len(hf.thumbs), len(hf.removes))
	}
	return hf
}

func jpegs(t *testing.T, n int) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for i := range n {
		out[fmt.Sprintf("p%d.jpg", i)] = testJPEG(t, 64+i, 80)
	}
	return out
}

// clockSite is a site with media and a clock the test moves.
func clockSite(t *testing.T) (*testSite, *time.Time) {
	t.Helper()
	now := fixedNow
	s := newSite(t, withMedia(t), func(d *Deps) { d.Now = func() time.Time { return now } })
	return s, &now
}

func TestReportPhotosKeptOnFormError(t *testing.T) {
	s, _ := clockSite(t)
	ctx := context.Background()
	bad := with(validReport(), "full_name", "")
	rec := s.postMultipart("/submit", bad, jpegs(t, 3))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	hf := readHeldForm(t, rec.Body.String())
	if len(hf.thumbs) != 3 || !store.ValidFormToken(hf.token) {
		t.Fatalf("token %q, thumbnails %v", hf.token, hf.thumbs)
	}
	mustContain(t, hf.body, "3 photos are kept; you do not need to choose them again.", "Enter the missing person", `value="Twillingate"`, "You can add 2 more")
	// Nothing stored as a case yet; the token is only in the form and the
	// thumbnails' URLs, never in a cookie.
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatalf("%d cases stored from an invalid form", n)
	}
	if c := rec.Header().Get("Set-Cookie"); strings.Contains(c, hf.token) {
		t.Fatalf("token in a cookie: %q", c)
	}

	// The thumbnails: to the token's holder, never cached, JPEG.
	keys := heldKeys(t, s, hf.token)
	for i, u := range hf.thumbs {
		r := s.get(u)
		wantStatus(t, r, http.StatusOK)
		if cc := r.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("thumbnail Cache-Control %q", cc)
		}
		if _, err := jpeg.Decode(r.Body); err != nil {
			t.Errorf("thumbnail %d not a JPEG: %v", i, err)
		}
		// Never through the public /media route, whatever the variant.
		for _, v := range media.VariantNames() {
			wantStatus(t, s.get("/media/"+media.BlobName(keys[i], v)), http.StatusNotFound)
		}
	}
	// Without the token, or with another, nothing.
	other, _ := store.NewFormToken()
	id := hf.removes[0]
	for _, u := range []string{"/submit/photos/" + other + "/" + id, "/submit/photos/x/" + id, "/submit/photos/" + hf.token + "/999999", "/submit/photos/" + hf.token + "/abc", "/submit/photos/" + id} {
		if r := s.get(u); r.Code != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", u, r.Code)
		}
	}

	// Fix the field and send: the case has the 3 photos, in order, the
	// first primary; the hold is gone.
	good := with(validReport(), "form_token", hf.token)
	rec = s.postMultipart("/submit", good, nil)
	wantStatus(t, rec, http.StatusSeeOther)
	caseID, err := s.st.FindCaseByPoliceFile(ctx, "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	photos, err := s.st.ListPhotos(ctx, caseID)
	if err != nil || len(photos) != 3 {
		t.Fatalf("case photos %+v %v", photos, err)
	}
	for i, p := range photos {
		if p.Key != keys[i] || p.Primary != (i == 0) {
			t.Errorf("photo %d: %+v (want key %s)", i, p, keys[i])
		}
	}
	if left, err := s.st.HeldReportPhotos(ctx, hf.token, fixedNow); err != nil || len(left) != 0 {
		t.Fatalf("hold rows left: %+v %v", left, err)
	}
	// The thumbnail route no longer answers for them; /media neither
	// (the case is pending).
	wantStatus(t, s.get(hf.thumbs[0]), http.StatusNotFound)
	wantStatus(t, s.get("/media/"+media.BlobName(keys[0], media.VariantSmall)), http.StatusNotFound)
	// Sending the same form again (back button) attaches nothing more.
	rec = s.postMultipart("/submit", with(good, "police_file_number", "2026-445566"), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	second, err := s.st.FindCaseByPoliceFile(ctx, "RCMP", "2026-445566")
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.st.ListPhotos(ctx, second); len(ps) != 0 {
		t.Fatalf("second send got %d photos", len(ps))
	}
}

func heldKeys(t *testing.T, s *testSite, token string) []string {
	t.Helper()
	held, err := s.st.HeldReportPhotos(context.Background(), token, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, len(held))
	for i, p := range held {
		keys[i] = p.Key
	}
	return keys
}

func TestReportFormTokensUnguessable(t *testing.T) {
	s, _ := clockSite(t)
	bad := with(validReport(), "full_name", "")
	seen := map[string]bool{}
	for range 20 {
		hf := readHeldForm(t, s.postMultipart("/submit", bad, jpegs(t, 1)).Body.String())
		// 43 base64url characters: 256 bits from crypto/rand.
		if !store.ValidFormToken(hf.token) || len(hf.token) != 43 || seen[hf.token] {
			t.Fatalf("token %q (seen before: %v)", hf.token, seen[hf.token])
		}
		seen[hf.token] = true
	}
	// A form without photos carries no token: one is drawn with the first
	// photo, never taken from the post.
	rec := s.postMultipart("/submit", bad, nil)
	if hf := readHeldForm(t, rec.Body.String()); hf.token != "" || len(hf.thumbs) != 0 {
		t.Fatalf("no photos, yet token %q and %d thumbnails", hf.token, len(hf.thumbs))
	}
	chosen := strings.Repeat("A", 43)
	rec = s.postMultipart("/submit", with(bad, "form_token", chosen), jpegs(t, 1))
	if hf := readHeldForm(t, rec.Body.String()); hf.token == chosen || len(hf.thumbs) != 1 {
		t.Fatalf("photo held under the token the post chose (%q)", hf.token)
	}
}

func TestReportHeldPhotosOtherForm(t *testing.T) {
	s, _ := clockSite(t)
	ctx := context.Background()
	bad := with(validReport(), "full_name", "")
	a := readHeldForm(t, s.postMultipart("/submit", bad, jpegs(t, 2)).Body.String())
	b := readHeldForm(t, s.postMultipart("/submit", bad, jpegs(t, 1)).Body.String())
	if a.token == b.token {
		t.Fatal("two forms share a token")
	}
	// Junk and never-issued tokens show nothing.
	never, _ := store.NewFormToken()
	for _, tok := range []string{never, "junk", "' OR 1=1 --", strings.Repeat("é", 43)} {
		hf := readHeldForm(t, s.postMultipart("/submit", with(bad, "form_token", tok), nil).Body.String())
		if len(hf.thumbs) != 0 || hf.token != "" {
			t.Fatalf("token %q shows %v", tok, hf.thumbs)
		}
	}
	// Form A cannot remove B's photo, nor see it.
	rec := s.postMultipart("/submit", with(with(bad, "form_token", a.token), "remove_photo", b.removes[0]), nil)
	wantStatus(t, rec, http.StatusOK)
	if hf := readHeldForm(t, rec.Body.String()); len(hf.thumbs) != 2 || strings.Contains(hf.body, "/"+b.removes[0]+`"`) {
		t.Fatalf("A after removing B's photo: %v", hf.thumbs)
	}
	if n := len(heldKeys(t, s, b.token)); n != 1 {
		t.Fatalf("B's photo removed through A: %d left", n)
	}
	// A never-issued token with B's photo id removes nothing either.
	s.postMultipart("/submit", with(with(bad, "form_token", never), "remove_photo", b.removes[0]), nil)
	if n := len(heldKeys(t, s, b.token)); n != 1 {
		t.Fatal("B's photo removed through a guessed token")
	}
	// Sending A attaches A's photos only.
	wantStatus(t, s.postMultipart("/submit", with(validReport(), "form_token", a.token), nil), http.StatusSeeOther)
	id, err := s.st.FindCaseByPoliceFile(ctx, "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.st.ListPhotos(ctx, id); len(ps) != 2 {
		t.Fatalf("case has %d photos, want A's 2", len(ps))
	}
	if n := len(heldKeys(t, s, b.token)); n != 1 {
		t.Fatal("B's photo taken by A's report")
	}
}

func TestReportHeldPhotosExpire(t *testing.T) {
	s, now := clockSite(t)
	ctx := context.Background()
	bad := with(validReport(), "full_name", "")
	hf := readHeldForm(t, s.postMultipart("/submit", bad, jpegs(t, 2)).Body.String())
	// 23 h 59 min later: still there.
	*now = fixedNow.Add(24*time.Hour - time.Minute)
	if again := readHeldForm(t, s.postMultipart("/submit", with(bad, "form_token", hf.token), nil).Body.String()); len(again.thumbs) != 2 {
		t.Fatalf("before expiry: %d thumbnails", len(again.thumbs))
	}
	wantStatus(t, s.get(hf.thumbs[0]), http.StatusOK)
	// 24 h after the first photo: gone from the form, the thumbnail route
	// and the report.
	*now = fixedNow.Add(24 * time.Hour)
	again := readHeldForm(t, s.postMultipart("/submit", with(bad, "form_token", hf.token), nil).Body.String())
	if len(again.thumbs) != 0 || again.token != "" {
		t.Fatalf("after expiry: %v", again.thumbs)
	}
	wantStatus(t, s.get(hf.thumbs[0]), http.StatusNotFound)
	wantStatus(t, s.postMultipart("/submit", with(validReport(), "form_token", hf.token), nil), http.StatusSeeOther)
	id, err := s.st.FindCaseByPoliceFile(ctx, "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.st.ListPhotos(ctx, id); len(ps) != 0 {
		t.Fatalf("expired photos attached: %d", len(ps))
	}
}

func TestReportRemoveHeldPhoto(t *testing.T) {
	s, _ := clockSite(t)
	ctx := context.Background()
	bad := with(validReport(), "full_name", "")
	hf := readHeldForm(t, s.postMultipart("/submit", bad, jpegs(t, 3)).Body.String())
	keys := heldKeys(t, s, hf.token)
	// "Remove" on a form with a missing field: no check, no send, the
	// values kept, that photo gone (row and blobs).
	rec := s.postMultipart("/submit", with(with(bad, "form_token", hf.token), "remove_photo", hf.removes[1]), nil)
	wantStatus(t, rec, http.StatusOK)
	after := readHeldForm(t, rec.Body.String())
	if len(after.thumbs) != 2 || after.token != hf.token || after.removes[0] != hf.removes[0] || after.removes[1] != hf.removes[2] {
		t.Fatalf("after remove: %v", after.removes)
	}
	mustContain(t, after.body, "2 photos are kept", `value="Twillingate"`)
	mustNotContain(t, after.body, `id="f-full_name-error"`, "error-summary")
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatal("Remove sent the report")
	}
	rc, _, err := s.web.Bucket.Open(ctx, media.BlobName(keys[1], media.VariantSmall))
	if err == nil {
		rc.Close()
		t.Fatal("removed photo's blob still stored")
	}
	wantStatus(t, s.get(hf.thumbs[1]), http.StatusNotFound)
	// Removing it again (a double click) changes nothing.
	wantStatus(t, s.postMultipart("/submit", with(with(bad, "form_token", hf.token), "remove_photo", hf.removes[1]), nil), http.StatusOK)
	// Remove on a complete form does not send it either.
	rec = s.postMultipart("/submit", with(with(validReport(), "form_token", hf.token), "remove_photo", hf.removes[0]), nil)
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "1 photo is kept; you do not need to choose it again.")
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatal("Remove sent the report")
	}
	// Removing the last one leaves a form without photos or token.
	rec = s.postMultipart("/submit", with(with(validReport(), "form_token", hf.token), "remove_photo", hf.removes[2]), nil)
	if last := readHeldForm(t, rec.Body.String()); len(last.thumbs) != 0 || last.token != "" {
		t.Fatalf("after removing all: %+v", last.thumbs)
	}
}

func TestReportHeldPhotosLimit(t *testing.T) {
	s, _ := clockSite(t)
	ctx := context.Background()
	bad := with(validReport(), "full_name", "")
	hf := readHeldForm(t, s.postMultipart("/submit", bad, jpegs(t, 3)).Body.String())
	// Three more on the re-displayed form: two fit, one is refused with a
	// message; nothing held is lost.
	rec := s.postMultipart("/submit", with(bad, "form_token", hf.token), jpegs(t, 3))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	full := readHeldForm(t, rec.Body.String())
	if len(full.thumbs) != 5 || full.token != hf.token {
		t.Fatalf("%d held, want 5", len(full.thumbs))
	}
	mustContain(t, full.body, "5 photos are kept", "at most 5 photos with a report: 1 of the photos you chose was not added", "5 photos is the most")
	if photoFieldRe.MatchString(full.body) {
		t.Error("file field offered with 5 photos held")
	}
	// A sixth on a complete form: a message, not sent, the 5 kept.
	rec = s.postMultipart("/submit", with(validReport(), "form_token", hf.token), jpegs(t, 1))
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	if n := countAll(t, s)[store.StatusPending]; n != 0 || len(heldKeys(t, s, hf.token)) != 5 {
		t.Fatal("over the limit: sent, or photos lost")
	}
	// Six at once on a fresh form: five held, one message.
	rec = s.postMultipart("/submit", bad, jpegs(t, 6))
	if six := readHeldForm(t, rec.Body.String()); len(six.thumbs) != 5 {
		t.Fatalf("six at once: %d held", len(six.thumbs))
	}
	mustContain(t, rec.Body.String(), "1 of the photos you chose was not added")
	// Sending: all five on the case.
	wantStatus(t, s.postMultipart("/submit", with(validReport(), "form_token", hf.token), nil), http.StatusSeeOther)
	id, err := s.st.FindCaseByPoliceFile(ctx, "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.st.ListPhotos(ctx, id); len(ps) != 5 {
		t.Fatalf("case has %d photos", len(ps))
	}
}

// A photo the pipeline refuses gets its own message; the others chosen
// with it are kept, and the form is not sent until the family decides.
func TestReportRefusedPhotoOthersKept(t *testing.T) {
	s, _ := clockSite(t)
	files := jpegs(t, 2)
	files["p1.jpg"] = []byte("not an image at all")
	rec := s.postMultipart("/submit", validReport(), files)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	hf := readHeldForm(t, rec.Body.String())
	if len(hf.thumbs) != 1 {
		t.Fatalf("%d kept, want the good one", len(hf.thumbs))
	}
	mustContain(t, hf.body, "Photo 2 could not be used", "1 photo is kept")
	mustNotContain(t, hf.body, "Photo 1 could not")
	if n := countAll(t, s)[store.StatusPending]; n != 0 {
		t.Fatal("sent with a refused photo")
	}
	// Sending as it is now: the kept photo goes with the report.
	wantStatus(t, s.postMultipart("/submit", with(validReport(), "form_token", hf.token), nil), http.StatusSeeOther)
	id, err := s.st.FindCaseByPoliceFile(context.Background(), "RCMP", "2026-112233")
	if err != nil {
		t.Fatal(err)
	}
	if ps, _ := s.st.ListPhotos(context.Background(), id); len(ps) != 1 {
		t.Fatalf("case has %d photos", len(ps))
	}
}

// The error log never holds a form's token either: the thumbnail path is
// written with [token].
func TestLogPathHidesFormTokens(t *testing.T) {
	tok, _ := store.NewFormToken()
	for in, want := range map[string]string{
		"/submit/photos/" + tok + "/12": "/submit/photos/[token]/12",
		"/submit/photos/" + tok:         "/submit/photos/[token]",
		"/submit":                       "/submit",
		"/submit/thanks":                "/submit/thanks",
	} {
		if got := kit.LogPath(in); got != want {
			t.Errorf("logPath(%q) = %q, want %q", in, got, want)
		}
	}
}
