package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// heldState describes the re-displayed report form for failure messages.
const heldState = `JSON.stringify({path: location.pathname, note: (document.querySelector(".held-note") || {}).textContent,
	imgs: Array.from(document.querySelectorAll(".held-list img")).map(i => ({src: i.getAttribute("src").replace(/photos\/[^/]+\//, "photos/[token]/"), complete: i.complete, w: i.naturalWidth})),
	errors: Array.from(document.querySelectorAll(".error-msg")).map(e => e.textContent)})`

// heldShown is a JavaScript predicate: the form shows n kept photos, each
// loaded.
func heldShown(n int) string {
	return fmt.Sprintf(`document.readyState === "complete" && (() => {
		const imgs = Array.from(document.querySelectorAll(".held-list img"));
		return imgs.length === %d && imgs.every(i => i.complete && i.naturalWidth > 0);
	})()`, n)
}

// sendButton is the visible "Send report" button (with photos kept, the
// form also starts with a hidden one, the default for the Enter key).
const sendButton = `form[action="/submit"] > p > button[type=submit]`

// TestReportPhotosSurviveFormError is issue 13 point 1 in the browser: a
// family attaches 3 photos, leaves a required field empty and sends; the
// form comes back showing the 3 photos; they fix the field and send; the
// case has the 3 photos. On a phone and a laptop screen, with and without
// JavaScript (without it, Enter in the fixed field sends the report, not a
// photo's "Remove").
func TestReportPhotosSurviveFormError(t *testing.T) {
	for _, js := range []bool{true, false} {
		for _, vp := range phoneAndDesktop {
			mode := "js"
			if !js {
				mode = "nojs"
			}
			t.Run(vp.name+"-"+mode, func(t *testing.T) {
				tb := newTab(t)
				s := newSite(t)
				tb.do("set viewport", chromedp.EmulateViewport(vp.w, vp.h, vp.opts...))
				if !js {
					if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
						t.Fatalf("disable JavaScript: %v", err)
					}
				}
				name := "Philippa Keptphotos " + strings.ToUpper(vp.name[:1]) + mode
				tb.navigate(s.url + "/submit")
				tb.fillReport(name)
				// The required community left empty.
				tb.do("empty the community", chromedp.Evaluate[chromedp.Void](`document.getElementById("f-community").value = ""`))
				files := []string{writeTempJPEG(t, "one.jpg", 1), writeTempJPEG(t, "two.jpg", 2), writeTempJPEG(t, "three.jpg", 3)}
				tb.do("attach three photos", chromedp.SetUploadFiles(chromedp.ID("f-photos"), files))
				tb.do("send the report", chromedp.Click(chromedp.CSS(sendButton)))
				tb.waitFor("the form again with 3 photos", `location.pathname === "/submit" && `+heldShown(3), heldState)
				note := eval[string](tb, `document.querySelector(".held-note").textContent`)
				if note != "3 photos are kept; you do not need to choose them again." {
					t.Errorf("note %q", note)
				}
				if n := eval[int](tb, `document.querySelectorAll('.held-list button[name="remove_photo"]').length`); n != 3 {
					t.Errorf("%d Remove buttons, want 3", n)
				}
				if msg := eval[string](tb, `(document.getElementById("f-community-error") || {}).textContent || ""`); !strings.Contains(msg, "community") {
					t.Errorf("community error %q", msg)
				}
				if v := eval[string](tb, `document.getElementById("f-full_name").value`); v != name {
					t.Errorf("typed name not kept: %q", v)
				}
				// The form token is in a hidden field, not in the address.
				if p := tb.path(); p != "/submit" {
					t.Errorf("address %q", p)
				}
				tb.do("show the photos", chromedp.Evaluate[chromedp.Void](`document.getElementById("held-photos").scrollIntoView()`))
				tb.shoot(fmt.Sprintf("issue13-kept-photos-%s-%s", vp.name, mode))

				if js {
					tb.do("fix the community", chromedp.SendKeys(chromedp.ID("f-community"), "Gander"))
					tb.do("send again", chromedp.Click(chromedp.CSS(sendButton)))
				} else {
					tb.do("fix the community and press Enter", chromedp.SendKeys(chromedp.ID("f-community"), "Gander"+kb.Enter))
				}
				tb.waitFor("the confirmation page", `location.pathname === "/submit/thanks"`, heldState)
				tb.shoot(fmt.Sprintf("issue13-kept-photos-sent-%s-%s", vp.name, mode))

				got := s.findCase(name)
				if len(got) != 1 || got[0].Community != "Gander" {
					t.Fatalf("stored %+v, want one case in Gander", got)
				}
				photos, err := s.st.ListPhotos(context.Background(), got[0].ID)
				if err != nil || len(photos) != 3 {
					t.Fatalf("the case has %d photos (%v), want 3", len(photos), err)
				}
				tb.noPageErrors("status of 422")
			})
		}
	}
}

// TestReportRemoveKeptPhotoWithoutJavaScript: "Remove" is a plain submit
// button: it drops that photo and shows the form again with everything
// typed, without checking or sending it.
func TestReportRemoveKeptPhotoWithoutJavaScript(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	tb.navigate(s.url + "/submit")
	tb.fillReport("Remy Removephoto")
	tb.do("empty the community", chromedp.Evaluate[chromedp.Void](`document.getElementById("f-community").value = ""`))
	tb.do("attach two photos", chromedp.SetUploadFiles(chromedp.ID("f-photos"), []string{writeTempJPEG(t, "a.jpg", 4), writeTempJPEG(t, "b.jpg", 5)}))
	tb.do("send", chromedp.Click(chromedp.CSS(sendButton)))
	tb.waitFor("two kept", heldShown(2), heldState)
	tb.do("remove the first", chromedp.Click(chromedp.CSS(`.held-list button[name="remove_photo"]`)))
	tb.waitFor("one kept", heldShown(1)+` && document.querySelector(".held-note").textContent.indexOf("1 photo is kept") === 0`, heldState)
	if n := eval[int](tb, `document.querySelectorAll(".error-msg").length`); n != 0 {
		t.Errorf("Remove showed %d errors: the form was checked", n)
	}
	if v := eval[string](tb, `document.getElementById("f-full_name").value`); v != "Remy Removephoto" {
		t.Errorf("typed name not kept: %q", v)
	}
	if got := s.findCase("Remy Removephoto"); len(got) != 0 {
		t.Fatalf("Remove sent the report: %+v", got)
	}
	tb.noPageErrors("status of 422")
}
