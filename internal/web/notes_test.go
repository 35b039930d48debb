package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/pagecache"
	"lostinnl/internal/store"
)

// Public notes (issue 19 point 5): the public form, its refusals and
// hostile input (this file's first half), and the moderators' side.

func notesOn(t *testing.T, st *store.Store, id int64) {
	t.Helper()
	if _, err := st.SetNotesAllowed(context.Background(), id, true, nil); err != nil {
		t.Fatal(err)
	}
}

func pendingNotes(t *testing.T, st *store.Store) []store.QueuedNote {
	t.Helper()
	ns, _, err := st.ListNotes(context.Background(), store.NotePending, 1, 200)
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

func noteVals(kind, msg, name string) url.Values {
	return url.Values{"note_kind": {kind}, "note_message": {msg}, "note_name": {name}}
}

// TestNotesOffByDefault: a case's page has no note form until staff turn
// notes on, and a post to it is refused with a clear 404 and keeps nothing.
func TestNotesOffByDefault(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	path := fmt.Sprintf("/cases/%d", id)
	page := s.get(path)
	wantStatus(t, page, http.StatusOK)
	mustNotContain(t, page.Body.String(), `id="notes"`, path+"/notes", "note_message")
	rec := s.post(path+"/notes", noteVals("support", "Thinking of you", "Ann"))
	wantStatus(t, rec, http.StatusNotFound)
	mustContain(t, rec.Body.String(), "does not take public notes")
	if n := len(pendingNotes(t, s.st)); n != 0 {
		t.Fatalf("%d notes kept for a case with notes off", n)
	}
	// Closed, unpublished and unknown cases.
	located := s.addCase(store.StatusLocated, nil)
	notesOn(t, s.st, located)
	wantStatus(t, s.post(fmt.Sprintf("/cases/%d/notes", located), noteVals("support", "x", "")), http.StatusGone)
	pending := s.addCase(store.StatusPending, nil)
	notesOn(t, s.st, pending)
	wantStatus(t, s.post(fmt.Sprintf("/cases/%d/notes", pending), noteVals("support", "x", "")), http.StatusNotFound)
	for _, p := range []string{"/cases/999999/notes", "/cases/0/notes", "/cases/abc/notes", "/cases/01/notes"} {
		wantStatus(t, s.post(p, noteVals("support", "x", "")), http.StatusNotFound)
	}
	if n := len(pendingNotes(t, s.st)); n != 0 {
		t.Fatalf("%d notes kept for closed or unknown cases", n)
	}
}

// TestNotesPublicForm: with notes on, the form is there; a note sent goes
// back to the page with the thank-you notice and does not show; bad input
// gets 422 with the values kept and a message per field; the honeypot and
// cross-site posts keep nothing.
func TestNotesPublicForm(t *testing.T) {
	s := newSite(t)
	id := s.addCase(store.StatusMissing, nil)
	notesOn(t, s.st, id)
	path := fmt.Sprintf("/cases/%d", id)
	page := s.get(path).Body.String()
	mustContain(t, page, `id="notes"`, `action="`+path+`/notes"`, "No messages yet.", `name="note_kind"`, `value="support"`, `value="sharing"`,
		`id="note-website"`, "other people's names")
	mustNotContain(t, page, `name="note_email"`, "note-sent")
	assertMarkupRefs(t, "case with notes", page)

	rec := s.post(path+"/notes", noteVals("support", "Thinking of you all <script>alert(1)</script>", "Ann"))
	wantStatus(t, rec, http.StatusSeeOther)
	if loc := rec.Header().Get("Location"); loc != path+"?note=sent#note-sent" {
		t.Fatalf("Location %q", loc)
	}
	done := s.get(path + "?note=sent")
	wantStatus(t, done, http.StatusOK)
	mustContain(t, done.Body.String(), "Thank you — your note will appear after a moderator reads it.")
	assertMarkupRefs(t, "note sent", done.Body.String())
	if cc := done.Header().Get("Cache-Control"); !strings.Contains(cc, "no-store") && !strings.Contains(cc, "no-cache") && !strings.Contains(cc, "private") {
		t.Errorf("thank-you page Cache-Control %q", cc)
	}
	mustNotContain(t, s.get(path).Body.String(), "Thinking of you all", "alert(1)")
	ns := pendingNotes(t, s.st)
	if len(ns) != 1 {
		t.Fatalf("%d pending notes, want 1", len(ns))
	}
	// Sealed at rest.
	if strings.Contains(string(ns[0].Message), "Thinking") || s.cipher.open(t, ns[0].Message, "case_notes", "message", ns[0].ID, ns[0].SealToken) != "Thinking of you all <script>alert(1)</script>" {
		t.Fatal("pending note not sealed as typed")
	}

	// Hostile and bad input: 422, a message for the field, the page still
	// a case page with what was typed.
	huge := strings.Repeat("x", 100<<10)
	for _, c := range []struct {
		name string
		vals url.Values
		want []string
	}{
		{"empty", url.Values{}, []string{"Choose whether this is a message of support"}},
		{"support without words", noteVals("support", "", "Ann"), []string{"Write a short message of support.", `value="Ann"`}},
		{"100 KB", noteVals("support", huge, ""), []string{"Please keep this to 500 characters or fewer (it has 102400)."}},
		{"unknown kind", noteVals("<b>bold</b>", "hi", ""), []string{"Choose whether this is a message of support"}},
		{"bad encoding", noteVals("support", "caf\xe9", ""), []string{"invalid text encoding"}},
		{"email as name", noteVals("support", "hi", "ann@example.com"), []string{"Give just a first name or a nickname", `value="ann@example.com"`}},
		{"script echoed", noteVals("", `"><script>x()</script>`, `"><script>x()</script>`), []string{"Choose whether this is a message of support", "&#34;&gt;&lt;script&gt;x()&lt;/script&gt;"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := s.post(path+"/notes", c.vals)
			wantStatus(t, rec, http.StatusUnprocessableEntity)
			body := rec.Body.String()
			mustContain(t, body, append(c.want, `id="error-summary"`, `href="#f-note_`)...)
			mustNotContain(t, body, "<script>x()")
			assertMarkupRefs(t, "note errors: "+c.name, body)
		})
	}
	// Values kept: the kind chosen stays chosen.
	mustContain(t, s.post(path+"/notes", noteVals("support", "", "")).Body.String(), `value="support" checked`)

	// CR/LF becomes spaces.
	wantStatus(t, s.post(path+"/notes", noteVals("support", "line one\r\nline two\rthree", "Bo\r\nb")), http.StatusSeeOther)
	// A sharing note may be just that.
	wantStatus(t, s.post(path+"/notes", noteVals("sharing", "", "")), http.StatusSeeOther)
	// Multipart, as some clients send.
	wantStatus(t, s.postMultipart(path+"/notes", noteVals("sharing", "Posted at the Co-op", ""), nil), http.StatusSeeOther)

	// Honeypot: the bot is thanked, nothing is kept.
	bot := noteVals("support", "cheap pills", "")
	bot.Set("website", "http://spam.example")
	rec = s.post(path+"/notes", bot)
	wantStatus(t, rec, http.StatusSeeOther)

	// Cross-site: refused before the handler.
	req := httptest.NewRequest(http.MethodPost, path+"/notes", strings.NewReader(noteVals("support", "from afar", "").Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	rec = s.do(req)
	wantStatus(t, rec, http.StatusForbidden)

	ns = pendingNotes(t, s.st)
	if len(ns) != 4 {
		t.Fatalf("%d pending notes, want 4 (first, CR/LF, sharing, multipart)", len(ns))
	}
	if got := s.cipher.open(t, ns[1].Message, "case_notes", "message", ns[1].ID, ns[1].SealToken); got != "line one line two three" {
		t.Errorf("CR/LF note stored as %q", got)
	}
	if got := s.cipher.open(t, ns[1].DisplayName, "case_notes", "display_name", ns[1].ID, ns[1].SealToken); got != "Bo b" {
		t.Errorf("CR/LF name stored as %q", got)
	}
	for _, n := range ns {
		if strings.Contains(string(n.Message), "pills") || strings.Contains(string(n.Message), "afar") {
			t.Error("a honeypot or cross-site note was kept")
		}
	}
}

// TestNotesRateLimitConcurrent: concurrent posts from one address beyond
// the burst get 429 with Retry-After, and exactly the allowed ones are
// kept.
func TestNotesRateLimitConcurrent(t *testing.T) {
	s := newSite(t, func(d *Deps) { d.FormRateLimit, d.FormRateBurst = 1, 3 })
	id := s.addCase(store.StatusMissing, nil)
	notesOn(t, s.st, id)
	const n = 12
	codes := make([]int, n)
	retry := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/cases/%d/notes", id), strings.NewReader(noteVals("support", fmt.Sprintf("note %d", i), "").Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			rec := httptest.NewRecorder()
			s.h.ServeHTTP(rec, req)
			codes[i], retry[i] = rec.Code, rec.Header().Get("Retry-After")
		})
	}
	close(start)
	wg.Wait()
	ok, limited := 0, 0
	for i, c := range codes {
		switch c {
		case http.StatusSeeOther:
			ok++
		case http.StatusTooManyRequests:
			limited++
			if retry[i] == "" {
				t.Error("429 without Retry-After")
			}
		default:
			t.Errorf("status %d", c)
		}
	}
	if ok != 3 || limited != n-3 {
		t.Fatalf("%d accepted, %d limited; want 3 and %d", ok, limited, n-3)
	}
	if got := len(pendingNotes(t, s.st)); got != 3 {
		t.Fatalf("%d notes kept, want 3", got)
	}
}

// TestNotesModeration is the moderators' side through the real router,
// with the page cache on (an hour's TTL, so only the content revision can
// refresh the case page): turning notes on, the queue with its guidance
// and contact-detail highlight, the dashboard count, approve (shown,
// escaped), remove, reject, turning notes off, and the audit trail.
func TestNotesModeration(t *testing.T) {
	s := newAdminSite(t, withCache(pagecache.Options{TTL: time.Hour}))
	mod, adm := s.staff()
	public := s.browser()
	public.ip = "198.51.100.7"
	id := s.addCase(store.StatusMissing, func(c *store.Case) { c.FullName = "Nora Notecase" })
	path := fmt.Sprintf("/cases/%d", id)
	mustNotContain(t, public.get(path).Body.String(), `id="notes"`) // cached without notes

	// The switch on the case's admin page.
	mustContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", id)).Body.String(), `id="notes-setting"`, `name="notes_allowed"`)
	rec := mod.post(fmt.Sprintf("/admin/cases/%d/notes", id), url.Values{"notes_allowed": {"yes"}})
	wantStatus(t, rec, http.StatusSeeOther)
	mustContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", id)).Body.String(), `name="notes_allowed" value="yes" checked`)
	wantStatus(t, mod.post(fmt.Sprintf("/admin/cases/%d/notes", id), url.Values{"notes_allowed": {"maybe"}}), http.StatusBadRequest)
	wantStatus(t, mod.post("/admin/cases/999999/notes", url.Values{"notes_allowed": {"yes"}}), http.StatusNotFound)
	if es := s.audit("case.notes"); len(es) != 1 || es[0].Record != fmt.Sprintf("case:%d", id) || es[0].Summary != "public notes turned on" {
		t.Fatalf("case.notes audit = %+v", es)
	}
	mustContain(t, public.get(path).Body.String(), `id="notes"`) // the cached page was replaced

	// Two notes from the public: one fine, one with contact details.
	wantStatus(t, public.post(path+"/notes", noteVals("support", `Come home soon <img src=x onerror=alert(1)> & stay warm`, "Ann <b>")), http.StatusSeeOther)
	wantStatus(t, public.post(path+"/notes", noteVals("support", "Call me at 709-555-0143 or see www.example.ca", "")), http.StatusSeeOther)
	wantStatus(t, public.post(path+"/notes", noteVals("sharing", "", "Bea")), http.StatusSeeOther)
	mustNotContain(t, public.get(path).Body.String(), "Come home soon", "709-555-0143")

	dash := mod.get("/admin").Body.String()
	mustContain(t, dash, `id="stat-notes"`, `<span class="stat-n">3</span> public notes to review`)
	mustContain(t, mod.get(fmt.Sprintf("/admin/cases/%d", id)).Body.String(), `id="notes-counts"`, "0 approved notes · 3 notes waiting for review")
	q := mod.get("/admin/notes")
	wantStatus(t, q, http.StatusOK)
	body := q.Body.String()
	mustContain(t, body, "contact details", "phone numbers, email addresses, street or mailing addresses", "speculation about what happened",
		"blame", "names of other people", "Nora Notecase",
		"Come home soon &lt;img src=x onerror=alert(1)&gt; &amp; stay warm", "Ann &lt;b&gt;",
		"it looks like it contains a phone number, web address.", "Waiting for review (3)")
	mustNotContain(t, body, "<img src=x")
	if strings.Count(body, `class="notice notice-warn note-flag"`) != 1 {
		t.Errorf("want exactly one highlighted note")
	}
	ns := pendingNotes(t, s.st)
	if len(ns) != 3 {
		t.Fatalf("%d pending", len(ns))
	}
	first, flagged, sharing := ns[0].ID, ns[1].ID, ns[2].ID

	// Approve: on the public page at once, escaped; audited.
	rec = mod.post(fmt.Sprintf("/admin/notes/%d/approve", first), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	page := public.get(path).Body.String()
	mustContain(t, page, "Come home soon &lt;img src=x onerror=alert(1)&gt; &amp; stay warm", "Ann &lt;b&gt;", "Message of support")
	mustNotContain(t, page, "<img src=x", "No messages yet.")
	// A second approval of the same note changes nothing.
	rec = adm.post(fmt.Sprintf("/admin/notes/%d/approve", first), nil)
	wantStatus(t, rec, http.StatusSeeOther)
	mustContain(t, adm.get("/admin/notes").Body.String(), "already decided")
	wantStatus(t, mod.post("/admin/notes/999999/approve", nil), http.StatusNotFound)
	wantStatus(t, mod.post("/admin/notes/abc/reject", nil), http.StatusNotFound)

	// Approve the sharing note: newest first on the page.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/notes/%d/approve", sharing), nil), http.StatusSeeOther)
	page = public.get(path).Body.String()
	if i, j := strings.Index(page, "Bea"), strings.Index(page, "Come home soon"); i < 0 || j < 0 || i > j {
		t.Errorf("notes not newest first (Bea at %d, first note at %d)", i, j)
	}
	mustContain(t, page, "Sharing this in their community")

	// Reject the flagged one: deleted, never shown.
	wantStatus(t, mod.post(fmt.Sprintf("/admin/notes/%d/reject", flagged), nil), http.StatusSeeOther)
	if _, err := s.st.GetNote(context.Background(), flagged); err == nil {
		t.Error("rejected note still stored")
	}
	mustNotContain(t, public.get(path).Body.String(), "709-555-0143")
	mustContain(t, mod.get("/admin").Body.String(), `<span class="stat-n">0</span> public notes to review`)

	// Remove an approved one from the approved list.
	approved := mod.get("/admin/notes?state=approved").Body.String()
	mustContain(t, approved, fmt.Sprintf(`action="/admin/notes/%d/remove"`, first))
	wantStatus(t, mod.post(fmt.Sprintf("/admin/notes/%d/remove", first), nil), http.StatusSeeOther)
	mustNotContain(t, public.get(path).Body.String(), "Come home soon")

	// Notes off: the form and the approved notes leave the page.
	wantStatus(t, adm.post(fmt.Sprintf("/admin/cases/%d/notes", id), url.Values{}), http.StatusSeeOther)
	page = public.get(path).Body.String()
	mustNotContain(t, page, `id="notes"`, "Bea")
	wantStatus(t, public.post(path+"/notes", noteVals("support", "late", "")), http.StatusNotFound)

	for action, want := range map[string]int{"note.approve": 2, "note.reject": 1, "note.remove": 1, "case.notes": 2} {
		es := s.audit(action)
		if len(es) != want {
			t.Errorf("%s: %d audit entries, want %d", action, len(es), want)
		}
		for _, e := range es {
			if e.Record != fmt.Sprintf("case:%d", id) || e.UserEmail == "" || strings.Contains(e.Summary, "Come home") {
				t.Errorf("%s audit entry %+v", action, e)
			}
		}
	}
}

// TestNotesAdminAccess: the queue and its actions refuse anonymous
// visitors (303 to sign-in), disabled accounts and cross-site posts.
func TestNotesAdminAccess(t *testing.T) {
	s := newAdminSite(t)
	mod, _ := s.staff()
	id := s.addCase(store.StatusMissing, nil)
	notesOn(t, s.st, id)
	nid, err := s.st.CreateNote(context.Background(), id, store.NoteSupport, store.NoteText{Message: "Hope"})
	if err != nil {
		t.Fatal(err)
	}
	anon := s.browser()
	wantLoginRedirect(t, anon.get("/admin/notes"))
	for _, p := range []string{"approve", "reject", "remove"} {
		wantLoginRedirect(t, anon.post(fmt.Sprintf("/admin/notes/%d/%s", nid, p), nil))
	}
	wantLoginRedirect(t, anon.post(fmt.Sprintf("/admin/cases/%d/notes", id), url.Values{"notes_allowed": {"yes"}}))

	u, _ := s.addUser("gone@example.org", store.RoleModerator, false)
	gone := s.signIn("gone@example.org", "")
	u.Disabled = true
	if err := s.st.UpdateUser(context.Background(), u, nil); err != nil {
		t.Fatal(err)
	}
	wantLoginRedirect(t, gone.get("/admin/notes"))
	wantLoginRedirect(t, gone.post(fmt.Sprintf("/admin/notes/%d/approve", nid), nil))

	req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/admin/notes/%d/approve", nid), nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	wantStatus(t, mod.do(req), http.StatusForbidden)

	n, err := s.st.GetNote(context.Background(), nid)
	if err != nil || n.State != store.NotePending {
		t.Fatalf("note after refused requests: %+v, %v", n, err)
	}
	if es := s.audit("note.approve"); len(es) != 0 {
		t.Fatalf("audit entries for refused requests: %+v", es)
	}
}

// TestNotesHiddenWhenClosed: approved notes leave the page when the
// person is located (and come back if the case re-opens before its
// details are withdrawn); archiving deletes them; an oversized body is a
// 413, never a 500.
func TestNotesHiddenWhenClosed(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, nil)
	notesOn(t, s.st, id)
	text := store.NoteText{Message: "The whole cove is looking for you.", DisplayName: "Reg"}
	nid, err := s.st.CreateNote(ctx, id, store.NoteSupport, text)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.ApproveNote(ctx, nid, text, nil); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/cases/%d", id)
	mustContain(t, s.get(path).Body.String(), "The whole cove is looking for you.")

	req := httptest.NewRequest(http.MethodPost, path+"/notes", strings.NewReader("note_kind=support&note_message="+strings.Repeat("x", 2<<20)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	wantStatus(t, s.do(req), http.StatusRequestEntityTooLarge)

	if err := s.st.TransitionCase(ctx, id, store.StatusLocated, "", nil); err != nil {
		t.Fatal(err)
	}
	page := s.get(path).Body.String()
	mustContain(t, page, "located-banner")
	mustNotContain(t, page, "The whole cove", `id="notes"`)
	wantStatus(t, s.post(path+"/notes", noteVals("support", "late", "")), http.StatusGone)

	if err := s.st.TransitionCase(ctx, id, store.StatusMissing, "", nil); err != nil {
		t.Fatal(err)
	}
	mustContain(t, s.get(path).Body.String(), "The whole cove is looking for you.")

	if err := s.st.TransitionCase(ctx, id, store.StatusArchived, "", nil); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.get(path), http.StatusGone)
	if _, err := s.st.GetNote(ctx, nid); err == nil {
		t.Error("an archived case's note is still stored")
	}
}

// TestNotesFirstNameOnly: on a first-name-only case (issue 19 point 4) a
// note that writes the person's full name shows the public name instead,
// like every other public text.
func TestNotesFirstNameOnly(t *testing.T) {
	s := newSite(t)
	ctx := context.Background()
	id := s.addCase(store.StatusMissing, func(c *store.Case) {
		c.FullName = "Jordan Zxqwerty"
		c.FirstNameOnly = true
	})
	notesOn(t, s.st, id)
	text := store.NoteText{Message: "Come home, Jordan Zxqwerty, we miss you.", DisplayName: "Sam"}
	nid, err := s.st.CreateNote(ctx, id, store.NoteSupport, text)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.ApproveNote(ctx, nid, text, nil); err != nil {
		t.Fatal(err)
	}
	page := s.get(fmt.Sprintf("/cases/%d", id)).Body.String()
	mustContain(t, page, "Come home, Jordan Z., we miss you.")
	mustNotContain(t, page, "Zxqwerty")
}
