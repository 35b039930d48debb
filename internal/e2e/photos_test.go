package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lostinnl/internal/store"
)

// photoState lists the case page's images for failure messages.
const photoState = `JSON.stringify(Array.from(document.querySelectorAll(".case-media img")).map(i => ({src: i.currentSrc || i.src, srcset: i.getAttribute("srcset"), complete: i.complete, w: i.naturalWidth})))`

func TestReportWithTwoPhotosShowsThemWhenApproved(t *testing.T) {
	forEachDB(t, func(t *testing.T, db string) {
		tb := newTab(t)
		s := newSite(t, onDB(db))

		tb.navigate(s.url + "/submit")
		tb.fillReport("Euphemia Snowshoe")
		files := []string{writeTempJPEG(t, "beach.jpg", 1), writeTempJPEG(t, "kitchen.jpg", 2)}
		tb.do("attach two photos", chromedp.SetUploadFiles(chromedp.ID("f-photos"), files))
		tb.do("send the report", chromedp.Click(chromedp.CSS(`form[action="/submit"] button[type=submit]`)))
		tb.waitFor("the confirmation page", `location.pathname === "/submit/thanks"`, `location.href + " " + document.body.innerText.slice(0, 800)`)
		if p := tb.path(); strings.Contains(p, "photos=later") {
			t.Fatalf("confirmation %s: the photos were not taken (no photo pipeline wired into the report form)", p)
		}

		got := s.findCase("Euphemia Snowshoe")
		if len(got) != 1 || got[0].Status != store.StatusPending {
			t.Fatalf("stored reports %+v, want one pending case", got)
		}
		id := got[0].ID
		ctx := context.Background()
		photos, err := s.st.ListPhotos(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(photos) != 2 {
			t.Fatalf("the report has %d photos stored, want 2", len(photos))
		}

		// Pending: neither the case nor its photos are public.
		for _, ph := range photos {
			resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(s.url+"/media/"+ph.Key+"_320.jpg"))
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 404 {
				t.Errorf("photo of a pending report served with status %d, want 404", resp.Status)
			}
		}

		// A moderator checks with the police and publishes (directly in the
		// store; the admin flow has its own test).
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

		tb.navigate(fmt.Sprintf("%s/cases/%d", s.url, id))
		// Bring every photo into view so lazy ones load too.
		tb.do("scroll photos into view", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".case-media img").forEach(i => { i.loading = "eager"; i.scrollIntoView(); })`))
		tb.waitFor("both photos loaded",
			`(() => { const imgs = Array.from(document.querySelectorAll(".case-media img")).filter(i => (i.currentSrc || i.src).indexOf("/media/") >= 0); return imgs.length >= 2 && imgs.every(i => i.complete && i.naturalWidth > 0); })()`,
			photoState)
		primary := eval[map[string]any](tb, `(() => { const i = document.querySelector(".primary-photo img"); return {srcset: i.getAttribute("srcset") || "", sizes: i.getAttribute("sizes") || "", alt: i.alt, w: i.getAttribute("width") || "", h: i.getAttribute("height") || "", natural: i.naturalWidth}; })()`)
		srcset, _ := primary["srcset"].(string)
		for _, v := range []string{"_320.jpg 320w", "_800.jpg 800w", "_1600.jpg"} {
			if !strings.Contains(srcset, v) {
				t.Errorf("primary photo srcset %q lacks %q", srcset, v)
			}
		}
		if primary["sizes"] == "" || primary["w"] == "" || primary["h"] == "" {
			t.Errorf("primary photo lacks sizes/width/height (layout shift): %v", primary)
		}
		if alt, _ := primary["alt"].(string); !strings.Contains(alt, "Euphemia Snowshoe") {
			t.Errorf("primary photo alt %q does not name the person", alt)
		}
		keys := eval[string](tb, `Array.from(document.querySelectorAll(".case-media img")).map(i => i.currentSrc || i.src).join(" ")`)
		for _, ph := range photos {
			if !strings.Contains(keys, ph.Key) {
				t.Errorf("photo %s is not on the case page: %s", ph.Key, keys)
			}
		}

		// The listings card uses the small variant, and it loads.
		tb.navigate(s.url + "/cases?q=Snowshoe")
		tb.do("load card images", chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".card-img").forEach(i => { i.loading = "eager"; })`))
		tb.waitFor("the card photo loaded",
			`(() => { const i = document.querySelector("#result-list .card-img"); return i && i.src.indexOf("_320.jpg") >= 0 && i.complete && i.naturalWidth > 0; })()`,
			`JSON.stringify(Array.from(document.querySelectorAll(".card-img")).map(i => [i.src, i.complete, i.naturalWidth]))`)
		// The only failed loads allowed are the pending report's photos above.
		tb.noPageErrors("status of 404 (Not Found) " + s.url + "/media/")
	})
}
