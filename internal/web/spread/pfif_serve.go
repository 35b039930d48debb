package spread

import (
	"bytes"
	"net/http"
	"net/url"
	"time"

	"lostinnl/internal/feed"
	"lostinnl/internal/media"
	"lostinnl/internal/pfif"
	"lostinnl/internal/store"
)

// pfifOptions say who we are to partners and when a record expires.
func (h *handler) pfifOptions() pfif.ExportOptions {
	domain := h.BaseURL
	if u, err := url.Parse(h.BaseURL); err == nil && u.Host != "" {
		domain = u.Host
	}
	return pfif.ExportOptions{
		Domain:   domain,
		SiteName: siteName,
		BaseURL:  h.BaseURL,
		Expiry:   h.retentionDate,
		PhotoURL: func(p *store.Photo) string { return h.AbsURL(h.PhotoURL(p.Key, media.VariantMedium)) },
		Now:      h.Now(),
	}
}

// retentionDate is when a case leaves the site for good: a located case
// is archived LocatedPublicDays after it was located (the privacy page's
// period, internal/retention). An open case has none yet: the clock
// starts when it closes.
func (h *handler) retentionDate(c *store.Case) time.Time {
	if c.LocatedAt == nil {
		return time.Time{}
	}
	return c.LocatedAt.AddDate(0, 0, h.locatedPublicDays)
}

// servePFIF renders cases as a PFIF 1.4 document.
func (h *handler) servePFIF(w http.ResponseWriter, r *http.Request, cases []store.Case, lastMod time.Time) error {
	var buf bytes.Buffer
	if err := pfif.Export(&buf, cases, h.pfifOptions()); err != nil {
		return err
	}
	serveDocument(w, r, buf.Bytes(), pfif.ContentType, feed.ValidatorsOf(buf.Bytes(), lastMod))
	return nil
}
