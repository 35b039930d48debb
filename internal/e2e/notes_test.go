package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lostinnl/internal/store"
)

// TestPublicNotesInBrowser: public notes (issue 19 point 5) in Chromium,
// without any help from JavaScript (the forms are plain posts): the case
// page with notes on and an approved note, the form refused empty, a note
// sent, then the moderators' queue with its highlight, approving the note
// in the browser and seeing it on the case page. Each state passes axe.
func TestPublicNotesInBrowser(t *testing.T) {
	tb := newTab(t)
	src := axeSource(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	ctx := context.Background()
	id := ids["Marigold Bakeapple"]
	if _, err := s.st.SetNotesAllowed(ctx, id, true, nil); err != nil {
		t.Fatal(err)
	}
	first := store.NoteText{Message: "Everyone at the Bonavista Legion is thinking of you.", DisplayName: "Gert"}
	nid, err := s.st.CreateNote(ctx, id, store.NoteSupport, first)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.st.ApproveNote(ctx, nid, first, nil); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/cases/%d", id)
	form := `form[action="` + path + `/notes"]`

	// On a phone, as most visitors arrive: no sideways scrolling.
	tb.do("emulate a 375×667 phone", chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	noOverflow := func(what string) {
		t.Helper()
		if !eval[bool](tb, `document.documentElement.scrollWidth <= document.documentElement.clientWidth`) {
			t.Errorf("%s scrolls sideways on a phone", what)
		}
	}
	tb.open(s, publicPage{name: "case with notes", path: path, status: 200})
	noOverflow("the case page with notes")
	if txt := tb.text(); !strings.Contains(txt, "Everyone at the Bonavista Legion") || !strings.Contains(txt, "Gert") {
		t.Fatal("the approved note is not on the case page")
	}
	tb.axeCheck(src, "case with notes", path)

	tb.do("send an empty note", chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	tb.waitFor("the note form with errors", `document.getElementById("error-summary") !== null && document.readyState === "complete"`, `location.href`)
	tb.axeCheck(src, "note form with errors", path+"/notes")
	noOverflow("the note form with errors")

	tb.do("write a note",
		chromedp.Click(chromedp.ID("f-note_kind")),
		chromedp.SendKeys(chromedp.ID("f-note_message"), "Sharing this in Clarenville"),
		chromedp.SendKeys(chromedp.ID("f-note_name"), "Lou"),
		chromedp.Click(chromedp.CSS(form+` button[type=submit]`)))
	tb.waitFor("the thank-you notice", `document.getElementById("note-sent") !== null && document.readyState === "complete"`, `location.href`)
	if !strings.Contains(tb.text(), "your note will appear after a moderator reads it") || strings.Contains(tb.text(), "Clarenville") {
		t.Fatal("thank-you page wrong, or the pending note is shown")
	}
	tb.axeCheck(src, "note sent", path+"?note=sent")

	// One with a phone number, for the highlight (a moderator rejects it).
	bad, err := s.st.CreateNote(ctx, id, store.NoteSupport, store.NoteText{Message: "Call 709-555-0199 if you see her"})
	if err != nil {
		t.Fatal(err)
	}

	const email, password = "nell.mod@example.org", "tuckamore-kittiwake-2001"
	secret := s.addAdmin(email, password)
	tb.adminSignIn(s, "/admin/notes", email, password, secret)
	tb.waitFor("the notes queue", `location.pathname === "/admin/notes" && document.getElementById("note-guidance") !== null`, `location.href`)
	if txt := tb.text(); !strings.Contains(txt, "Clarenville") || !strings.Contains(txt, "looks like it contains a phone number") {
		t.Fatal("the queue does not show the pending notes with the highlight")
	}
	tb.axeCheck(src, "notes queue", "/admin/notes")
	noOverflow("the notes queue")

	tb.do("reject the one with a phone number", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/admin/notes/%d/reject"] button`, bad))))
	tb.waitFor("the rejection notice", `document.getElementById("flash") !== null && document.readyState === "complete"`, `location.href`)
	pending, _, err := s.st.ListNotes(ctx, store.NotePending, 1, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("pending notes after the rejection: %v, %v", pending, err)
	}
	tb.do("approve the other", chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/admin/notes/%d/approve"] button`, pending[0].ID))))
	tb.waitFor("the approval notice", `document.getElementById("flash") !== null && document.readyState === "complete" && document.body.innerText.includes("Note approved")`, `location.href`)
	// A new URL: the browser may keep the page it saw a minute ago
	// (kit.CacheShort); the server's page cache is what is under test.
	tb.navigate(s.url + path + "?after=approval")
	if txt := tb.text(); !strings.Contains(txt, "Sharing this in Clarenville") || strings.Contains(txt, "709-555-0199") {
		t.Fatal("the case page does not show exactly the approved notes")
	}
	tb.noPageErrors("status of 422")
}
