package e2e

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"lostinnl/internal/demo"
)

// pageWeightLimit is issue 4's budget for the first view of the home page
// and of a case page, photos excluded: people open shared links on weak
// rural connections.
const pageWeightLimit = 100 * 1000

// netLog records what the tab downloads.
type netLog struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	bytes    map[network.RequestID]float64
	inFlight map[network.RequestID]bool
}

func (n *netLog) on(ev any) {
	n.mu.Lock()
	defer n.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		n.urls[ev.RequestID] = ev.Request.URL
		n.inFlight[ev.RequestID] = true
	case *network.EventLoadingFinished:
		n.bytes[ev.RequestID] = ev.EncodedDataLength
		delete(n.inFlight, ev.RequestID)
	case *network.EventLoadingFailed:
		delete(n.inFlight, ev.RequestID)
	}
}

func (n *netLog) reset() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.urls = map[network.RequestID]string{}
	n.bytes = map[network.RequestID]float64{}
	n.inFlight = map[network.RequestID]bool{}
}

func (n *netLog) busy() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.inFlight)
}

// weight is the transfer of one page view.
type weight struct {
	total, photos float64
	parts         []string // "path bytes", biggest first
}

func (n *netLog) weight() weight {
	n.mu.Lock()
	defer n.mu.Unlock()
	var w weight
	type part struct {
		path string
		b    float64
	}
	var parts []part
	for id, b := range n.bytes {
		u, err := url.Parse(n.urls[id])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			continue // data: URLs and the like cost no transfer
		}
		p := u.Path
		if strings.HasPrefix(p, "/media/") {
			w.photos += b
			continue
		}
		w.total += b
		parts = append(parts, part{p, b})
	}
	sort.Slice(parts, func(i, j int) bool { return parts[i].b > parts[j].b })
	for _, p := range parts {
		w.parts = append(w.parts, fmt.Sprintf("%s %.0f", p.path, p.b))
	}
	return w
}

func TestPageWeightFirstView(t *testing.T) {
	tb := newTab(t)
	s := newSite(t)
	ids := s.seed(seedCases)
	// A realistic amount of content: the ~40 demo cases on top, so the
	// home page and listings are as full as they get.
	if _, err := demo.Seed(context.Background(), s.st, demo.Options{}); err != nil {
		t.Fatalf("seed demo cases: %v", err)
	}

	nl := &netLog{}
	nl.reset()
	if err := chromedp.Listen(tb.ctx, nl.on); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("enable network domain: %v", err)
	}
	// First view: nothing cached, as for someone arriving from a shared link.
	if _, err := chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatalf("disable cache: %v", err)
	}
	// Nor a service worker: a first-time visitor has none yet, and the
	// page's own requests would not show what a worker fetched for it.
	if _, err := chromedp.Call(tb.ctx, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true}); err != nil {
		t.Fatalf("bypass service worker: %v", err)
	}
	tb.do("emulate a phone", chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2), chromedp.EmulateMobile))

	var report []string
	for _, p := range []struct{ name, path string }{
		{"home", "/"},
		{"case page", fmt.Sprintf("/cases/%d", ids["Marigold Bakeapple"])},
		{"listings", "/cases"},
	} {
		nl.reset()
		tb.navigate(s.url + p.path)
		tb.waitFor(p.name+" loaded", imagesLoaded, "")
		// Late requests (favicon, lazy images in view) start after load:
		// wait until nothing has been in flight for a moment.
		quiet := 0
		for i := 0; i < 100 && quiet < 4; i++ {
			time.Sleep(50 * time.Millisecond)
			if nl.busy() == 0 {
				quiet++
			} else {
				quiet = 0
			}
		}
		w := nl.weight()
		line := fmt.Sprintf("%s (%s): %.1f KB transferred without photos (+%.1f KB photos); %s", p.name, p.path, w.total/1000, w.photos/1000, strings.Join(w.parts, ", "))
		t.Log(line)
		report = append(report, line)
		if w.total == 0 {
			t.Errorf("%s: no transfer recorded; the measurement is broken", p.name)
		}
		// The listings page has no budget of its own in the issue; it is
		// measured for the record.
		if p.name != "listings" && w.total > pageWeightLimit {
			t.Errorf("%s: first view transfers %.1f KB without photos, over the %d KB budget: %s", p.name, w.total/1000, pageWeightLimit/1000, strings.Join(w.parts, ", "))
		}
	}
	if d := os.Getenv("LOSTINNL_TEST_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err == nil {
			_ = os.WriteFile(filepath.Join(d, "page-weight.txt"), []byte(strings.Join(report, "\n")+"\n"), 0o644)
		}
	}
	tb.noPageErrors()
}
