// Package web assembles the HTTP face of LostInNL (DESIGN.md §3): New
// takes Deps (what production and the tests wire), builds the shared
// kit.Env, puts together the one route table from the handler packages'
// tables (site, alerts, api, staff, admin), checks it (default deny under
// /admin, cross-site posts only where declared), wraps every route in its declared slots (requireRole, the per-IP rate
// limit, the page cache, the purge after a successful write) and the whole
// in the middleware chain (middleware.go).
//
// The handlers themselves live in the packages below it:
//
//	kit    the base: Env, Route, errors and error pages, rendering, assets
//	form   reading and validating forms, shared by site and admin
//	site   public pages and public form actions
//	alerts email alerts: follow a case, area alerts, confirm, unsubscribe
//	api    the read-only JSON API
//	offline  installing and offline use: manifest, service worker, /saved, /offline
//	staff  signing in, sessions, second factor, passwords, staff accounts
//	admin  moderation
//
// web must stay small: no page handler and no form belongs here, only the
// wiring and the cross-cutting wrappers the route table declares.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"lostinnl/internal/geo"
	"lostinnl/internal/i18n"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/site"
	"lostinnl/internal/web/staff"

	// The NL time zone (America/St_Johns) must be available on minimal
	// hosts and in containers without /usr/share/zoneinfo.
	_ "time/tzdata"

	"lostinnl/internal/mail"
	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/ratelimit"
	"lostinnl/internal/readmodel"
	"lostinnl/internal/store"
	"lostinnl/internal/telemetry"
)

// Deps is everything the web layer needs from the outside, and only what
// production (internal/cli) or the tests really set differently: what is
// the same everywhere (the time zone, photo URLs, the session middleware)
// is built here. Store, Admin (with its Cipher), MailKeys and MailTemplates
// are required; every other field has a working default so tests run
// without extra wiring.
type Deps struct {
	Store  *store.Store
	Logger *slog.Logger
	// BaseURL is the public origin (scheme://host[:port]) used for absolute
	// links: Open Graph tags, share links, the trusted origin for
	// cross-origin protection.
	BaseURL string
	// TrustedProxies: peers whose X-Forwarded-For / X-Forwarded-Proto are
	// believed (LOSTINNL_TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix
	// FormRateLimit is the sustained number of form posts allowed per
	// minute per client IP; FormRateBurst the burst. Zero means the
	// defaults (6/min, burst 5).
	FormRateLimit float64
	FormRateBurst int
	// Demo shows the "Demo data" banner on every page.
	Demo bool

	// Now is the clock; default time.Now. Tests pin it.
	Now func() time.Time

	// --- telemetry seams (nil = not recorded) ---
	//
	// Client addresses, TLS detection and request ids are telemetry's
	// (ClientIP, ForwardedTLS, RequestIDMiddleware over TrustedProxies):
	// one copy, the same in tests and in production.

	// AccessLog logs every request (telemetry); nil = no access log here.
	AccessLog func(http.Handler) http.Handler
	// MediaPresign (LOSTINNL_MEDIA_PRESIGN) redirects GET /media/ to
	// short-lived pre-signed object-storage URLs instead of streaming, when
	// the bucket can sign them (s3://).
	MediaPresign bool
	// FormRejected and RateLimited report refused public form posts to the
	// metrics (telemetry.Metrics.FormRejected / RateLimited); nil = not counted.
	// form is "tip", "note" (public notes), "report", "contact", "report_link" (the reporter's
	// private page) or "alerts" (email alert forms); reason "invalid",
	// "honeypot", "photo".
	FormRejected func(form, reason string)
	RateLimited  func(form string)
	// CaptureRoute wraps the route table so the matched pattern reaches the
	// access log and metrics (telemetry.CaptureRoute); nil = not recorded.
	CaptureRoute func(http.Handler) http.Handler
	// IsUnavailable classifies errors meaning "the database (or storage) is
	// down": they become a 503 page instead of a 500.
	IsUnavailable func(error) bool

	// --- media ---

	// Pipeline and Bucket (internal/media) handle report photos and serve
	// GET /media/{name}. Either nil = photos are not accepted on the report
	// form (the report is still saved and the confirmation says so) and
	// /media/ answers 404.
	Pipeline *media.Pipeline
	Bucket   *media.Bucket
	// MediaOrigin is an extra origin allowed in img-src when photos are
	// redirected to object storage / a CDN (e.g. "https://bucket.s3.ca-central-1.amazonaws.com").
	MediaOrigin string
	// MapTiles is the maps' tile URL template (LOSTINNL_MAP_TILES,
	// internal/geo.ParseTiles); "" = geo.DefaultTiles. Its origin is added
	// to the CSP's img-src on every page.
	MapTiles string
	// Retention is the configured retention periods, stated on the privacy
	// page (site/privacy.go); the zero value means the configuration's defaults.
	Retention site.Retention
	// MaxUploadBytes caps a report submission (all photos). Default 55 MB.
	MaxUploadBytes int64
	// Uploads is this process's upload spool (OpenUploadSpool at
	// start-up): photo parts of multipart forms are written there, never
	// to /tmp (see kit/upload_spool.go). Required with Pipeline and Bucket.
	Uploads *kit.UploadSpool

	// PageCache keeps rendered public pages (home, listings, case pages,
	// resources, API) until their content changes; nil = no page cache.
	// The admin area purges it after each change; the caller confirms it
	// with the database's content revision (see internal/pagecache).
	PageCache *pagecache.Cache
	// BuildSlots is how many public pages may be built at the same moment
	// (builds.go); 0: one per P (GOMAXPROCS). One per core is right when
	// the database's work runs on the same cores (SQLite). A database
	// across the network leaves a build waiting for its answers, and
	// needs more.
	BuildSlots int

	// Model is the read model that home, the listings, search and the API
	// listing read; production builds it at start-up and keeps it current
	// with its Watch (and the page cache's watcher reads its
	// ConfirmedRevision). nil = built here from Store and synced with the
	// content revision on each listing request (tests).
	Model *readmodel.Model
	// ModelConfirmWithin: pages answer from Model only while its Watch
	// confirmed it against the database this recently (else 503, as when
	// the database is down). It must cover a poll plus a rebuild (about
	// 2 s at 100,000 cases on an idle machine). Default 10 s.
	ModelConfirmWithin time.Duration

	// Admin wires the admin area (internal/web/staff); required.
	Admin *staff.Admin

	// MailKeys and MailTemplates are the subscription scheme's keys and
	// the message templates (internal/mail; cli's mailer loads them once):
	// the alert forms make their confirmation mail and check signed links
	// with them. Required.
	MailKeys      *mail.Keys
	MailTemplates *mail.Templates
	// MailIdle says why mail is not being sent ("" when it is), for the
	// banner of /admin/outbox.
	MailIdle string

	// forceLang, for tests, is the language of every request outside /fr
	// (the pseudo-locale, i18n.Pseudo); "" = English.
	forceLang i18n.Lang
}

// handler is the assembled site: the Env every handler package shares, and
// what only the wrappers and the middleware chain need (the rate limiter,
// the page cache, the CSP, the staff area's session middleware). The
// actions themselves are methods of the handler packages' own types.
type handler struct {
	*kit.Env
	builds        buildSlots // public pages built at once (builds.go)
	limiter       *ratelimit.PerIP
	onRateLimited func(form string)
	cache         *pagecache.Cache // nil when disabled
	csp           string
	deps          Deps
	staff         *staff.Handler
	// crossSite: the patterns of the routes that accept cross-site posts
	// (kit.Route.CrossSite), let through by the cross-origin protection.
	crossSite []string
}

// New builds the whole public site as one http.Handler. A template or asset
// that fails to parse is an error here, so a broken build never starts.
func New(d Deps) (http.Handler, error) {
	h, mux, err := newHandler(d)
	if err != nil {
		return nil, err
	}
	return h.chain(mux, d), nil
}

// newHandler builds the handler and its mux without the outer middleware
// (tests use it to reach single middlewares).
func newHandler(d Deps) (*handler, *http.ServeMux, error) {
	if d.Store == nil {
		return nil, nil, errors.New("web: Deps.Store is required")
	}
	if d.MailKeys == nil || d.MailTemplates == nil {
		return nil, nil, errors.New("web: Deps.MailKeys and Deps.MailTemplates are required")
	}
	var err error
	if d.Retention, err = d.Retention.OrDefaults(); err != nil {
		return nil, nil, err
	}
	h := &handler{Env: &kit.Env{Store: d.Store, Demo: d.Demo}, deps: d}
	h.Log = d.Logger
	if h.Log == nil {
		h.Log = slog.New(slog.DiscardHandler)
	}
	base := strings.TrimRight(d.BaseURL, "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, nil, fmt.Errorf("web: BaseURL %q must be an absolute http(s) URL", d.BaseURL)
	}
	h.BaseURL = base
	// The site's zone, for "today" (dates may not be in the future) and
	// for displaying timestamps.
	h.Loc, err = time.LoadLocation("America/St_Johns")
	if err != nil {
		return nil, nil, fmt.Errorf("web: load time zone: %w", err)
	}
	h.Now = d.Now
	if h.Now == nil {
		h.Now = time.Now
	}
	trusted := d.TrustedProxies
	h.ClientIP = func(r *http.Request) netip.Addr { return telemetry.ClientIP(r, trusted) }
	h.ViaTLS = func(r *http.Request) bool { return telemetry.ForwardedTLS(r, trusted) }
	h.RequestID = telemetry.RequestID
	h.Unavail = d.IsUnavailable
	h.OnFormRejected = d.FormRejected
	h.Presign = d.MediaPresign
	h.onRateLimited = d.RateLimited
	if h.Unavail == nil {
		h.Unavail = func(error) bool { return false }
	}
	h.PhotoURL = media.VariantURL
	if d.Pipeline != nil && d.Bucket != nil {
		if d.Uploads == nil {
			return nil, nil, errors.New("web: Deps.Uploads is required when photo uploads are on (Pipeline and Bucket)")
		}
		h.Pipeline, h.Bucket = d.Pipeline, d.Bucket
	}
	h.Uploads = d.Uploads
	h.MaxUpload = d.MaxUploadBytes
	if h.MaxUpload <= 0 {
		h.MaxUpload = 55 << 20
	}
	perMin, burst := d.FormRateLimit, d.FormRateBurst
	if perMin <= 0 {
		perMin = 6
	}
	if burst <= 0 {
		burst = 5
	}
	h.limiter = ratelimit.New(perMin, burst, 10000, h.Now)
	tiles := d.MapTiles
	if tiles == "" {
		tiles = geo.DefaultTiles
	}
	if h.Tiles, err = geo.ParseTiles(tiles); err != nil {
		return nil, nil, fmt.Errorf("web: map tiles: %w", err)
	}
	h.csp = contentSecurityPolicy(d.MediaOrigin, h.Tiles.Origin)
	h.cache = d.PageCache
	h.builds = newBuildSlots(d.BuildSlots)
	h.Model = d.Model
	if h.Model == nil {
		h.Model, err = readmodel.New(context.Background(), d.Store, readmodel.SearchIndex, h.Log)
		if err != nil {
			return nil, nil, fmt.Errorf("web: build the read model: %w", err)
		}
		h.SyncModel = true
	}
	h.ModelConfirmWithin = d.ModelConfirmWithin
	if h.ModelConfirmWithin <= 0 {
		h.ModelConfirmWithin = 10 * time.Second
	}

	h.Assets, err = kit.LoadAssets()
	if err != nil {
		return nil, nil, err
	}
	langs := i18n.Langs
	if d.forceLang != "" {
		langs = append(slices.Clone(langs), d.forceLang)
	}
	h.Render, err = kit.NewLangRenderer(kit.TemplateFS, h.TemplateFuncs(), h.LangFuncs, langs...)
	if err != nil {
		return nil, nil, err
	}
	if err := h.initAdmin(); err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	for _, rt := range h.routes() {
		if rt.CrossSite {
			if err := checkCrossSite(rt); err != nil {
				return nil, nil, err
			}
			h.crossSite = append(h.crossSite, rt.Pattern)
		}
		mux.Handle(rt.Pattern, h.routeHandler(rt))
	}
	return h, mux, nil
}
