package spread

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/media"
	"lostinnl/internal/poster"
	"lostinnl/internal/shareimg"
	"lostinnl/internal/store"
	"lostinnl/internal/web/kit"
)

// appealCache: posters and share pictures are cached per case revision by
// the page cache and the ETag; five minutes in browsers and proxies bounds
// how long a copy outlives a closing case.
const appealCache = "public, max-age=300"

// appealCase reads the case behind a poster or share-picture URL. Only an
// open (missing, public) case has one: located, archived and withdrawn
// cases are 410 with a short page, so copies on other sites stop loading;
// pending, rejected and unknown ids are 404, exactly like the case page.
func (h *handler) appealCase(r *http.Request) (*store.Case, error) {
	id, ok := kit.ParseID(r.PathValue("id"))
	if !ok {
		return nil, kit.ErrNotFound()
	}
	// With its public name: first name and initial when so decided.
	c, err := h.Store.GetCaseForPublic(r.Context(), id)
	if err != nil {
		return nil, err
	}
	// The public point only (internal/geo), whatever this copy shows.
	c.Latitude, c.Longitude = geo.Public(c.Latitude, c.Longitude)
	switch {
	case c.Status == store.StatusArchived:
		return nil, kit.AppealEnded()
	case c.Status == store.StatusPending || c.Status == store.StatusRejected:
		return nil, kit.ErrNotFound()
	case c.Status != store.StatusMissing || c.PersonalWithdrawn:
		return nil, &kit.HTTPError{Status: http.StatusGone,
			Msg: "This person is no longer listed as missing, so this appeal and its poster and picture have been withdrawn. Thank you for helping. Please remove any copies you shared."}
	}
	return c, nil
}

// maxAppealPhoto: the renderers refuse larger photos; reading stops there.
const maxAppealPhoto = min(poster.MaxPhotoBytes, shareimg.MaxPhotoBytes)

// appealPhoto returns the primary photo's key and the bytes of one of its
// variants, or "" and nil when the case has no photo. A variant missing
// from storage leaves the photo out rather than failing the appeal.
func (h *handler) appealPhoto(r *http.Request, c *store.Case, variant string) (string, []byte, error) {
	photos, err := h.Store.ListPhotos(r.Context(), c.ID)
	if err != nil {
		return "", nil, err
	}
	if len(photos) == 0 || h.Bucket == nil {
		return "", nil, nil
	}
	key := kit.PrimaryFirst(photos)[0].Key
	rc, _, err := h.Bucket.Open(r.Context(), media.BlobName(key, variant))
	if errors.Is(err, media.ErrNotFound) {
		return key, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	defer func() { _ = rc.Close() }() // read-only
	b, err := io.ReadAll(io.LimitReader(rc, maxAppealPhoto+1))
	if err != nil {
		return "", nil, err
	}
	if len(b) > maxAppealPhoto {
		return key, nil, nil // not a variant we wrote; leave it out
	}
	return key, b, nil
}

// appealETag is a strong validator from everything the bytes depend on:
// the case's revision, its photo and the variant of the document.
func appealETag(c *store.Case, photoKey, kind string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(c.ID, 10) + "\x00" + c.UpdatedAt.UTC().Format(time.RFC3339Nano) + "\x00" + photoKey + "\x00" + kind))
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// serveAppeal writes rendered bytes with their validators; ServeContent
// answers If-None-Match with 304.
func serveAppeal(w http.ResponseWriter, r *http.Request, c *store.Case, body []byte, contentType, filename, etag string) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", `inline; filename="`+filename+`"`)
	hd.Set("Cache-Control", appealCache)
	hd.Set("ETag", etag)
	hd.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", c.UpdatedAt, bytes.NewReader(body))
}

// siteAddress is the site's address as people type it: no scheme, no
// trailing slash.
func (h *handler) siteAddress() string {
	s := strings.TrimPrefix(strings.TrimPrefix(h.BaseURL, "https://"), "http://")
	return strings.TrimSuffix(s, "/")
}

// lastSeenWhen is the date and, when known, time the person was last
// seen, in lz's language: "November 3, 2026 at 21:30" as the English case
// page writes it, "1er décembre 2026 à 21 h 40" in French.
func lastSeenWhen(lz *i18n.Localizer, c *store.Case) string {
	s := lz.Date(c.LastSeenDate)
	if c.LastSeenTime != "" {
		clock := c.LastSeenTime
		if lz.Lang() != i18n.English {
			clock = lz.ClockText(clock)
		}
		s = lz.T("{date} at {time}", "date", s, "time", clock)
	}
	return s
}

// lastSeenWhere is the place, with the community when it adds something.
func lastSeenWhere(c *store.Case) string {
	parts := []string{}
	for _, p := range []string{c.LastSeenPlace, c.Community} {
		if p != "" && !strings.Contains(strings.Join(parts, ", "), p) {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return c.Region
	}
	return strings.Join(parts, ", ")
}
