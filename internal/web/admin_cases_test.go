package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
	"lostinnl/internal/web/admin"
)

// caseValues is a complete, valid admin case form.
func caseValues() url.Values {
	return url.Values{
		"full_name": {"Gerald Fictitious"}, "aliases": {"Gerry"}, "age": {"61"}, "sex": {"male"},
		"height_cm": {"180"}, "weight_kg": {"82"}, "build": {"slim"}, "hair_colour": {"grey"}, "eye_colour": {"blue"},
		"features": {"Scar on left hand"}, "clothing": {"Green parka"},
		"last_seen_date": {"2026-11-01"}, "last_seen_time": {"07:15"}, "last_seen_place": {"Signal Hill trail"},
		"community": {"St. John's"}, "region": {"Avalon"}, "latitude": {"47.5696"}, "longitude": {"-52.6817"},
		"circumstances": {"Went for a walk and did not return."},
		"police_agency": {"RNC"}, "police_file_number": {"RNC-2026-0042"}, "police_phone": {"709-729-8000"},
		"reporter_name": {"Rhoda Reporter"}, "reporter_phone": {"709-555-0199"}, "reporter_email": {"rhoda@example.com"},
		"reporter_relationship": {"daughter"},
	}
}

func TestAdminReportReviewApprove(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusPending, func(c *store.Case) { c.PoliceVerified = false; c.FullName = "Petra Pending" })
	path := fmt.Sprintf("/admin/reports/%d", id)

	rec := mod.get("/admin/reports")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Petra Pending", path)

	rec = mod.get(path)
	wantStatus(t, rec, http.StatusOK)
	// The reporter's contact, decrypted for the moderator.
	mustContain(t, rec.Body.String(), `id="reporter-contact"`, "Rita Reporter", "709-555-0100", "rita@example.com", "sister", `id="approve-form"`, `id="reject-form"`)

	// Not public yet.
	if _, err := s.st.GetPublicCase(context.Background(), id); err == nil {
		t.Fatal("pending case is public")
	}
	vals := caseValues()
	vals.Set("full_name", "Petra Pending")
	rec = mod.post(path+"/approve", vals) // no "verified" tick
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "verified the report with the police")
	vals.Set("police_verified", "yes")
	vals.Set("police_file_number", "")
	wantStatus(t, mod.post(path+"/approve", vals), http.StatusUnprocessableEntity)
	vals.Set("police_file_number", "RNC-2026-0042")
	vals.Set("clothing", "Green parka, black boots") // edited while reviewing
	rec = mod.post(path+"/approve", vals)
	wantStatus(t, rec, http.StatusSeeOther)
	c, err := s.st.GetCase(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != store.StatusMissing || !c.PoliceVerified || c.Clothing != "Green parka, black boots" {
		t.Fatalf("after approve: status %s verified %v clothing %q", c.Status, c.PoliceVerified, c.Clothing)
	}
	// Public page shows it with the badge.
	pub := s.browser().get(fmt.Sprintf("/cases/%d", id))
	wantStatus(t, pub, http.StatusOK)
	mustContain(t, pub.Body.String(), "Verified with police")
	mustNotContain(t, pub.Body.String(), "Rhoda", "709-555-0199")

	pubs := s.audit("case.publish")
	if len(pubs) != 1 || pubs[0].UserEmail != "mod@example.org" || pubs[0].Record != fmt.Sprintf("case:%d", id) {
		t.Fatalf("publish audit: %+v", pubs)
	}
	ups := s.audit("case.update")
	if len(ups) != 1 || !strings.Contains(ups[0].Summary, "clothing") || strings.Contains(ups[0].Summary, "parka") {
		t.Errorf("update audit must name fields, not values: %+v", ups)
	}
	// Approving twice is refused politely.
	rec = mod.post(path+"/approve", vals)
	wantStatus(t, rec, http.StatusSeeOther)
	if len(s.audit("case.publish")) != 1 {
		t.Error("published twice")
	}
}

func TestAdminReportReject(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusPending, nil)
	path := fmt.Sprintf("/admin/reports/%d/reject", id)
	wantStatus(t, mod.post(path, url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
	wantStatus(t, mod.post(path, url.Values{"reason": {"Police could not confirm the file number."}}), http.StatusSeeOther)
	c, _ := s.st.GetCase(context.Background(), id)
	if c.Status != store.StatusRejected || c.RejectReason != "Police could not confirm the file number." {
		t.Fatalf("status %s reason %q", c.Status, c.RejectReason)
	}
	es := s.audit("case.reject")
	if len(es) != 1 || strings.Contains(es[0].Summary, "Police could not") {
		t.Errorf("reject audit must not repeat the reason: %+v", es)
	}
}

func TestAdminCaseCreateEditAndTransitions(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	wantStatus(t, mod.get("/admin/cases/new"), http.StatusOK)
	bad := caseValues()
	bad.Set("full_name", "")
	bad.Set("latitude", "147")
	bad.Set("age", "old")
	rec := mod.post("/admin/cases", bad)
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "Signal Hill trail", "Green parka", `id="error-summary"`, "outside Newfoundland and Labrador")

	rec = mod.post("/admin/cases", caseValues())
	wantStatus(t, rec, http.StatusSeeOther)
	loc := rec.Header().Get("Location")
	var id int64
	if _, err := fmt.Sscanf(loc, "/admin/cases/%d", &id); err != nil {
		t.Fatalf("Location %q", loc)
	}
	c, _ := s.st.GetCase(context.Background(), id)
	if c.Status != store.StatusPending || c.Latitude == nil || *c.Latitude != 47.5696 {
		t.Fatalf("created: %+v", c)
	}
	if string(c.ReporterName) == "Rhoda Reporter" || len(c.ReporterName) == 0 {
		t.Fatal("reporter name not sealed")
	}
	rec = mod.get(loc)
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), "Case added.", "Rhoda Reporter", "rhoda@example.com", "Publish")

	// Edit.
	vals := caseValues()
	vals.Set("eye_colour", "hazel")
	vals.Set("reporter_phone", "709-555-0111")
	wantStatus(t, mod.post(loc, vals), http.StatusSeeOther)
	c, _ = s.st.GetCase(context.Background(), id)
	if c.EyeColour != "hazel" {
		t.Errorf("eye colour %q", c.EyeColour)
	}
	if got := s.cipher.OpenRowOrUnreadable(context.Background(), c.ReporterPhone, "cases", "reporter_phone", id, c.SealToken); got != "709-555-0111" {
		t.Errorf("reporter phone %q", got)
	}
	if len(s.audit("case.contact_update")) != 1 {
		t.Error("contact change not audited")
	}

	// Publishing needs the tick: refused with a message.
	rec = mod.get(loc + "/status?to=missing")
	wantStatus(t, rec, http.StatusOK)
	mustContain(t, rec.Body.String(), `id="status-form"`, "shown on the public site")
	rec = mod.post(loc+"/status", url.Values{"to": {"missing"}, "confirm": {"yes"}})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "verified with the police")
	vals.Set("police_verified", "yes")
	wantStatus(t, mod.post(loc, vals), http.StatusSeeOther)
	// Without the confirmation tick nothing happens.
	wantStatus(t, mod.post(loc+"/status", url.Values{"to": {"missing"}}), http.StatusUnprocessableEntity)
	wantStatus(t, mod.post(loc+"/status", url.Values{"to": {"missing"}, "confirm": {"yes"}}), http.StatusSeeOther)
	// An illegal step (missing → pending) is refused.
	wantStatus(t, mod.post(loc+"/status", url.Values{"to": {"pending"}, "confirm": {"yes"}}), http.StatusBadRequest)
	wantStatus(t, mod.post(loc+"/status", url.Values{"to": {"located"}, "confirm": {"yes"}}), http.StatusSeeOther)
	c, _ = s.st.GetCase(context.Background(), id)
	if c.Status != store.StatusLocated || c.LocatedAt == nil {
		t.Fatalf("not located: %s", c.Status)
	}
	pub := s.browser().get(loc[len("/admin"):])
	mustContain(t, pub.Body.String(), "Located")
	wantStatus(t, mod.post(loc+"/status", url.Values{"to": {"missing"}, "confirm": {"yes"}}), http.StatusSeeOther)
	wantStatus(t, mod.post(loc+"/status", url.Values{"to": {"archived"}, "confirm": {"yes"}}), http.StatusSeeOther)
	s.clock.Add(10 * time.Second)                                        // past the public page cache's few seconds
	wantStatus(t, s.browser().get(loc[len("/admin"):]), http.StatusGone) // it was public: gone, not unknown
	for _, a := range []string{"case.create", "case.publish", "case.locate", "case.reopen", "case.archive"} {
		if len(s.audit(a)) != 1 {
			t.Errorf("%s not audited once", a)
		}
	}
	rec = mod.get("/admin/cases?status=archived")
	mustContain(t, rec.Body.String(), "Gerald Fictitious")
	rec = mod.get("/admin/cases?status=missing")
	mustNotContain(t, rec.Body.String(), "Gerald Fictitious")
}

// TestAdminCaseMassAssignment: extra fields in a post never reach the
// record (status, ids, withdrawal flag, timestamps, sealed columns).
func TestAdminCaseMassAssignment(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusPending, func(c *store.Case) { c.PoliceVerified = false })
	other := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "OTHER" })
	vals := caseValues()
	for k, v := range map[string]string{
		"status": "missing", "id": fmt.Sprint(other), "ID": fmt.Sprint(other), "personal_withdrawn": "1",
		"located_at": "2020-01-01", "created_at": "2000-01-01", "reject_reason": "x", "Status": "missing",
		"role": "admin", "case_id": fmt.Sprint(other),
	} {
		vals.Set(k, v)
	}
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d", id), vals), http.StatusSeeOther)
	c, _ := s.st.GetCase(context.Background(), id)
	if c.Status != store.StatusPending || c.PersonalWithdrawn || c.LocatedAt != nil || c.RejectReason != "" {
		t.Fatalf("mass assignment: %+v", c)
	}
	o, _ := s.st.GetCase(context.Background(), other)
	if o.FullName == "Gerald Fictitious" {
		t.Fatal("the other case was written")
	}
	// Creating with status=missing still creates a pending case.
	rec := mod.post("/admin/cases", vals)
	wantStatus(t, rec, http.StatusSeeOther)
	var nid int64
	fmt.Sscanf(rec.Header().Get("Location"), "/admin/cases/%d", &nid)
	if n, _ := s.st.GetCase(context.Background(), nid); n == nil || n.Status != store.StatusPending {
		t.Fatalf("created with status %v", n)
	}
	// Adding a user with extra fields cannot set disabled/ids or sneak a
	// second factor.
}

func TestAdminIDOR(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	a := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "A" })
	b := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "B" })
	tipB := s.addTip(b, "Tip for B", store.TipContact{Name: "Bea"})
	// Another case's tip id under case A: 404, tip unchanged, even with a
	// hidden field naming case B.
	rec := mod.post(fmt.Sprintf("/admin/cases/%d/tips/%d", a, tipB), url.Values{"state": {"forwarded"}, "notes": {"x"}, "case_id": {fmt.Sprint(b)}})
	wantStatus(t, rec, http.StatusNotFound)
	tip, _ := s.st.GetTip(context.Background(), tipB)
	if tip.State != store.TipNew || tip.Notes != "" {
		t.Fatalf("tip changed through another case: %+v", tip)
	}
	// The right case works.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/tips/%d", b, tipB), url.Values{"state": {"forwarded"}, "notes": {"Sent to RNC"}}), http.StatusSeeOther)
	tip, _ = s.st.GetTip(context.Background(), tipB)
	if tip.State != store.TipForwarded || tip.Notes != "Sent to RNC" {
		t.Fatalf("tip not saved: %+v", tip)
	}
	// Updates and photos of case B through case A's URLs.
	uB, err := s.st.AddUpdate(context.Background(), b, "B update", nil)
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/updates/%d", a, uB), url.Values{"body": {"hijack"}}), http.StatusNotFound)
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/updates/%d/delete", a, uB), nil), http.StatusNotFound)
	if us, _ := s.st.ListUpdates(context.Background(), b); len(us) != 1 || us[0].Body != "B update" {
		t.Fatalf("update of B changed: %+v", us)
	}
	p, err := media.NewPipeline(media.Config{}, nil).Process(context.Background(), strings.NewReader(string(testPNG(t, 30, 30))))
	if err != nil {
		t.Fatal(err)
	}
	var key string
	if err := s.bucket.PutAndCommit(context.Background(), []*media.Processed{p}, func(keys []string) error {
		key = keys[0]
		return s.st.AddPhotos(context.Background(), b, []store.Photo{{Key: keys[0]}}, nil)
	}); err != nil {
		t.Fatal(err)
	}
	ps, _ := s.st.ListPhotos(context.Background(), b)
	for _, act := range []string{"delete", "primary", "move"} {
		wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/photos/%d/%s", a, ps[0].ID, act), url.Values{"dir": {"down"}}), http.StatusNotFound)
	}
	if ps2, _ := s.st.ListPhotos(context.Background(), b); len(ps2) != 1 {
		t.Fatal("photo of B deleted through A")
	}
	rc, _, err := s.bucket.Open(context.Background(), media.BlobName(key, media.VariantSmall))
	if err != nil {
		t.Fatalf("blob of B gone: %v", err)
	}
	rc.Close()
	// Unknown and malformed ids.
	for _, p := range []string{"/admin/cases/999999", "/admin/cases/0", "/admin/cases/-1", "/admin/cases/01", "/admin/cases/abc", "/admin/reports/999999", "/admin/messages/999999", "/admin/cases/999999/tips.csv"} {
		wantStatus(t, mod.get(p), http.StatusNotFound)
	}
	// A moderator posting to admin-only actions.
	victim, _ := s.addUser("victim@example.org", store.RoleModerator, false)
	for _, p := range []string{"/admin/users", fmt.Sprintf("/admin/users/%d/role", victim.ID), fmt.Sprintf("/admin/users/%d/disable", victim.ID), "/admin/resources", "/admin/settings/require-2fa"} {
		wantStatus(t, mod.post(p, url.Values{"role": {"admin"}, "email": {"x@example.org"}, "require": {"yes"}, "title": {"x"}}), http.StatusForbidden)
	}
	if v, _ := s.st.GetUser(context.Background(), victim.ID); v.Role != store.RoleModerator || v.Disabled {
		t.Fatal("moderator changed a user")
	}
	if n, _ := s.st.CountUsers(context.Background()); n != 3 {
		t.Fatalf("users: %d", n)
	}
}

func TestAdminTipsCSVExport(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	s.addTip(id, "=HYPERLINK(\"http://evil.example\",\"click\")", store.TipContact{Name: "@SUM(A1:A2)", Phone: "+1 709 555 0100", Email: "tip@example.com"})
	s.addTip(id, "Saw him, line one\nline two, \"quoted\"", store.TipContact{Name: "-2+3", Phone: "709-555-0101"})
	other := s.addCase(store.StatusMissing, func(c *store.Case) { c.PoliceFileNumber = "O" })
	s.addTip(other, "Tip of another case", store.TipContact{})

	rec := mod.get(fmt.Sprintf("/admin/cases/%d/tips.csv", id))
	wantStatus(t, rec, http.StatusOK)
	if cd := rec.Header().Get("Content-Disposition"); cd != fmt.Sprintf(`attachment; filename="case-%d-tips.csv"`, id) {
		t.Errorf("Content-Disposition %q", cd)
	}
	if rec.Header().Get("Cache-Control") != "no-store" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Errorf("headers %v", rec.Header())
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(rec.Body.String(), "\ufeff")))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want header + 2", len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	byMsg := map[string][]string{}
	for _, row := range rows[1:] {
		byMsg[row[col["message"]]] = row
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q starts with a formula character", cell)
			}
		}
	}
	evil := byMsg[`'=HYPERLINK("http://evil.example","click")`]
	if evil == nil {
		t.Fatalf("formula message not neutralised: %v", rows)
	}
	if evil[col["tipster_name"]] != "'@SUM(A1:A2)" || evil[col["tipster_phone"]] != "'+1 709 555 0100" || evil[col["tipster_email"]] != "tip@example.com" {
		t.Errorf("contact cells: %v", evil)
	}
	if multi := byMsg["Saw him, line one\nline two, \"quoted\""]; multi == nil || multi[col["tipster_name"]] != "'-2+3" {
		t.Errorf("multi-line tip: %v", multi)
	}
	if strings.Contains(rec.Body.String(), "another case") {
		t.Error("another case's tip exported")
	}
	es := s.audit("case.tips_export")
	if len(es) != 1 || es[0].Summary != "2 tips exported as CSV" || es[0].Record != fmt.Sprintf("case:%d", id) || es[0].UserEmail != "mod@example.org" {
		t.Errorf("export audit: %+v", es)
	}
	// The tips page shows the decrypted contact.
	page := mod.get(fmt.Sprintf("/admin/cases/%d/tips", id))
	mustContain(t, page.Body.String(), "@SUM(A1:A2)", "&#43;1 709 555 0100", "tip@example.com", `id="csv-export"`)
	all := mod.get("/admin/tips?state=new")
	mustContain(t, all.Body.String(), "Tip of another case")
}

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "plain": "plain", "=1+1": "'=1+1", "+1 709": "'+1 709", "-3": "'-3", "@x": "'@x",
		"\tcmd": "'\tcmd", "\rcmd": "'\rcmd", "a=b": "a=b", "'quoted": "'quoted",
	} {
		if got := admin.CSVSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAdminPhotos(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusPending, nil)
	path := fmt.Sprintf("/admin/cases/%d/photos", id)
	rec := mod.postFiles(path, nil, map[string][]byte{"not-a-photo.png": []byte("<?php echo 1; ?>")})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), `id="photo-error"`, "not-a-photo.png")
	wantStatus(t, mod.postFiles(path, nil, nil), http.StatusUnprocessableEntity)

	rec = mod.postFiles(path, nil, map[string][]byte{"one.png": testPNG(t, 60, 80), "two.png": testPNG(t, 90, 40)})
	wantStatus(t, rec, http.StatusSeeOther)
	ps, _ := s.st.ListPhotos(context.Background(), id)
	if len(ps) != 2 || !ps[0].Primary {
		t.Fatalf("photos: %+v", ps)
	}
	// Staff see photos of this pending case; the public does not.
	name := media.BlobName(ps[0].Key, media.VariantSmall)
	img := mod.get("/admin/media/" + name)
	wantStatus(t, img, http.StatusOK)
	if img.Header().Get("Content-Type") != "image/jpeg" || img.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("admin media headers: %v", img.Header())
	}
	wantLoginRedirect(t, s.browser().get("/admin/media/"+name))
	wantStatus(t, mod.get("/admin/media/../../etc/passwd"), http.StatusNotFound)
	wantStatus(t, mod.get("/admin/media/"+strings.Replace(name, "_320", "_999", 1)), http.StatusNotFound)

	// Reorder, primary, delete.
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d/move", path, ps[1].ID), url.Values{"dir": {"up"}}), http.StatusSeeOther)
	ps2, _ := s.st.ListPhotos(context.Background(), id)
	if ps2[0].ID != ps[1].ID {
		t.Fatalf("not reordered: %+v", ps2)
	}
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d/primary", path, ps[1].ID), nil), http.StatusSeeOther)
	ps2, _ = s.st.ListPhotos(context.Background(), id)
	if !ps2[0].Primary || ps2[1].Primary {
		t.Fatalf("primary: %+v", ps2)
	}
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d/delete", path, ps[0].ID), nil), http.StatusSeeOther)
	if rc, _, err := s.bucket.Open(context.Background(), name); err == nil {
		rc.Close()
		t.Error("blob of deleted photo still stored")
	}
	wantStatus(t, mod.get("/admin/media/"+name), http.StatusNotFound)
	for _, a := range []string{"case.photo_add", "case.photo_reorder", "case.photo_primary", "case.photo_delete"} {
		if len(s.audit(a)) != 1 {
			t.Errorf("%s not audited", a)
		}
	}
}

func TestAdminUpdates(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	base := fmt.Sprintf("/admin/cases/%d/updates", id)
	wantStatus(t, mod.post(base, url.Values{"body": {"  "}}), http.StatusUnprocessableEntity)
	wantStatus(t, mod.post(base, url.Values{"body": {"Ground search resumes Saturday at 9 am."}}), http.StatusSeeOther)
	us, _ := s.st.ListUpdates(context.Background(), id)
	if len(us) != 1 {
		t.Fatal("no update")
	}
	mustContain(t, s.browser().get(fmt.Sprintf("/cases/%d", id)).Body.String(), "Ground search resumes Saturday")
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d", base, us[0].ID), url.Values{"body": {"Ground search resumes Sunday."}}), http.StatusSeeOther)
	us, _ = s.st.ListUpdates(context.Background(), id)
	if us[0].Body != "Ground search resumes Sunday." {
		t.Errorf("edit: %q", us[0].Body)
	}
	wantStatus(t, mod.post(fmt.Sprintf("%s/%d/delete", base, us[0].ID), nil), http.StatusSeeOther)
	if us, _ = s.st.ListUpdates(context.Background(), id); len(us) != 0 {
		t.Error("not deleted")
	}
}

// TestAdminChangesPurgePublicPageCache: with the public page cache on, a
// status change shows on the public page at once (same clock instant).
func TestAdminChangesPurgePublicPageCache(t *testing.T) {
	s := newAdminSite(t, func(d *Deps) { d.PageCache = pagecache.New(pagecache.Options{TTL: time.Hour}) })
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	pub := s.browser()
	page := fmt.Sprintf("/cases/%d", id)
	wantStatus(t, pub.get(page), http.StatusOK) // now cached
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/status", id), url.Values{"to": {"archived"}, "confirm": {"yes"}}), http.StatusSeeOther)
	wantStatus(t, pub.get(page), http.StatusGone)
}

// TestAdminPhotoNumbersCountFromOne: staff see "photo 1 of 2", as people
// count, not the stored 0-based position.
func TestAdminPhotoNumbersCountFromOne(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	if err := s.st.AddPhotos(context.Background(), id, []store.Photo{{Key: "pone", Primary: true}, {Key: "ptwo", Position: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	body := mod.get(fmt.Sprintf("/admin/cases/%d", id)).Body.String()
	mustContain(t, body, "<strong>Primary photo</strong> · photo 1 of 2", "Photo · photo 2 of 2", `alt="Photo 1 of `, `alt="Photo 2 of `)
	mustNotContain(t, body, "position 0", `alt="Photo 0 of`)
}
