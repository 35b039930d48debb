package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lostinnl/internal/auth"
	"lostinnl/internal/mail"
	"lostinnl/internal/media"
	"lostinnl/internal/pagecache"
	"lostinnl/internal/secrets"
	"lostinnl/internal/store"
	"lostinnl/internal/testdb"
	"lostinnl/internal/web"
	"lostinnl/internal/web/kit"
	"lostinnl/internal/web/staff"
)

// site is the real public site (web.New) served on loopback over a real
// SQLite store in the test's temporary directory, a real field cipher
// (base64key keeper) and a real photo pipeline writing to an in-memory
// bucket.
type site struct {
	t      testing.TB
	url    string // http://127.0.0.1:port, no trailing slash
	h      http.Handler
	st     *store.Store
	cipher *secrets.FieldCipher
	pipe   *media.Pipeline
	bucket *media.Bucket
	hasher *auth.Hasher
	logs   *syncBuffer
	// keeper and mail are the mail wiring as in production: the keys
	// (mail.LoadKeys, kept in the database under the keeper) and templates.
	keeper *secrets.Keeper
	mail   *mail.Keys
	tpl    *mail.Templates
	// tiles is the maps' tile server (LOSTINNL_MAP_TILES), a fake.
	tiles *tileFake
}

// syncBuffer collects the server's log lines for failure messages.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// siteOption adjusts newSite.
type siteOption func(*siteConfig)

type siteConfig struct {
	db   string // "sqlite" (default) or "mysql"
	deps []func(*web.Deps)
}

// withDeps changes the web wiring (the benchmarks turn the page cache off).
func withDeps(f func(*web.Deps)) siteOption {
	return func(c *siteConfig) { c.deps = append(c.deps, f) }
}

// onDB picks the database dialect: "sqlite" or "mysql".
func onDB(db string) siteOption {
	return func(c *siteConfig) { c.db = db }
}

// mysqlEnv: a go-sql-driver DSN naming no database (e.g.
// 'root@tcp(127.0.0.1:3306)/'), the variable the store's own suite uses.
// When set, the core browser flows run on MySQL/MariaDB too (dialects).
const mysqlEnv = "LOSTINNL_TEST_MYSQL_DSN"

// dialects lists the databases the core flows run on: SQLite (the
// embedded default) always, MySQL/MariaDB when mysqlEnv is set.
func dialects() []string {
	if os.Getenv(mysqlEnv) != "" {
		return []string{"sqlite", "mysql"}
	}
	return []string{"sqlite"}
}

// forEachDB runs f as a subtest per dialect, each with its own tab.
func forEachDB(t *testing.T, f func(t *testing.T, db string)) {
	for _, db := range dialects() {
		t.Run(db, func(t *testing.T) { f(t, db) })
	}
}

// createMySQLDatabase makes a database lostinnl_e2e_<random> that is dropped
// when the test ends, and returns the store DSN for it.
func createMySQLDatabase(t testing.TB) string {
	t.Helper()
	adminDSN := os.Getenv(mysqlEnv)
	if adminDSN == "" {
		t.Fatalf("%s is not set", mysqlEnv)
	}
	return testdb.MySQL(t, adminDSN, "lostinnl_e2e_")
}

// newSite starts a fresh site. Each test gets its own database, so tests
// cannot see each other's reports and tips.
func newSite(t testing.TB, opts ...siteOption) *site {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	var cfg siteConfig
	for _, o := range opts {
		o(&cfg)
	}
	dsn := "sqlite:" + filepath.Join(dir, "e2e.db")
	if cfg.db == "mysql" {
		dsn = createMySQLDatabase(t)
	}

	st, err := store.Open(ctx, dsn, store.PoolOptions{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}

	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	keeper, err := secrets.OpenKeeper(ctx, "base64key://"+base64.URLEncoding.EncodeToString(key), dir)
	if err != nil {
		t.Fatalf("open keeper: %v", err)
	}
	t.Cleanup(func() { _ = keeper.Close() })
	logs := &syncBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fc := secrets.NewFieldCipher(keeper, logger)
	st.SetCipher(fc)

	bucket, err := media.OpenBucket(ctx, "mem://", dir)
	if err != nil {
		t.Fatalf("open bucket: %v", err)
	}
	t.Cleanup(func() { _ = bucket.Close() })
	pipe := media.NewPipeline(media.Config{}, nil)
	mailKeys, err := mail.LoadKeys(ctx, st, keeper)
	if err != nil {
		t.Fatalf("mail keys: %v", err)
	}
	mailTpl, err := mail.LoadTemplates()
	if err != nil {
		t.Fatalf("mail templates: %v", err)
	}
	// Cheap argon2id parameters: the admin test hashes one password, and
	// the production cost (64 MiB, t=3) under -race on two cores would
	// only slow CI without testing anything more.
	hasher := auth.NewHasher(auth.Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, 2)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	base := "http://" + ln.Addr().String()
	d := web.Deps{
		Store:   st,
		Logger:  logger,
		BaseURL: base,
		// Generous: the tests post many forms from one address.
		FormRateLimit: 6000,
		FormRateBurst: 1000,
		Pipeline:      pipe,
		Bucket:        bucket,
		Uploads:       testSpool(t),
		// A page cache as in production, with a 3 s TTL standing in for
		// the content-revision polling (tests add cases straight through
		// the store): the admin test then also proves that moderators'
		// changes purge it.
		PageCache: pagecache.New(pagecache.Options{TTL: 3 * time.Second}),
		Admin: &staff.Admin{
			Cipher: fc,
			Hasher: hasher,
		},
		MailKeys:      mailKeys,
		MailTemplates: mailTpl,
	}
	// Maps load their tiles from a fake on loopback, never from the
	// internet (the admin case form and placed cases have a map).
	tiles := newTileFake(t)
	d.MapTiles = tiles.template()
	for _, m := range cfg.deps {
		m(&d)
	}
	h, err := web.New(d)
	if err != nil {
		_ = ln.Close()
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewUnstartedServer(h)
	_ = srv.Listener.Close() // replaced by our explicit loopback listener
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	s := &site{t: t, url: base, h: h, st: st, cipher: fc, pipe: pipe, bucket: bucket, hasher: hasher, logs: logs, keeper: keeper, mail: mailKeys, tpl: mailTpl, tiles: tiles}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", tail(logs.String(), 4000))
		}
	})
	return s
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// fictional is one seeded case. All names are invented (Newfoundland
// plants, birds and fish), like the demo data.
type fictional struct {
	Name      string
	Aliases   string
	Sex       string
	Age       int
	Community string
	Region    string
	Place     string
	DaysAgo   int
	Status    store.Status
	Photo     bool // a generated portrait through the real pipeline
}

// seedCases are the cases most tests need: enough to search, with one
// located and one pending that must never show.
var seedCases = []fictional{
	{Name: "Marigold Bakeapple", Sex: "female", Age: 34, Community: "Corner Brook", Region: "Western", Place: "Main Street near the Glynmill Inn", DaysAgo: 3, Status: store.StatusMissing, Photo: true},
	{Name: "Tobias Tuckamore", Aliases: "Toby", Sex: "male", Age: 17, Community: "St. John's", Region: "Avalon", Place: "Signal Hill trail", DaysAgo: 5, Status: store.StatusMissing, Photo: true},
	{Name: "Winifred Capelin", Sex: "female", Age: 71, Community: "Gander", Region: "Central", Place: "Cooper Boulevard", DaysAgo: 9, Status: store.StatusMissing},
	{Name: "Percival Kittiwake", Sex: "male", Age: 45, Community: "Clarenville", Region: "Eastern", Place: "Shoal Harbour", DaysAgo: 14, Status: store.StatusMissing},
	{Name: "Ambrose Partridgeberry", Sex: "male", Age: 29, Community: "Happy Valley-Goose Bay", Region: "Labrador", Place: "Hamilton River Road", DaysAgo: 30, Status: store.StatusLocated},
	{Name: "Clementine Dulse", Sex: "female", Age: 52, Community: "Carbonear", Region: "Avalon", Place: "Water Street", DaysAgo: 2, Status: store.StatusPending},
}

// seed stores the fictional cases and returns their ids by name.
func (s *site) seed(cases []fictional) map[string]int64 {
	s.t.Helper()
	ids := map[string]int64{}
	for i, f := range cases {
		ids[f.Name] = s.addCase(i, f)
	}
	return ids
}

// addCase publishes (or not) one fictional case directly through the store,
// as a moderator's approval would.
func (s *site) addCase(n int, f fictional) int64 {
	s.t.Helper()
	ctx := context.Background()
	age, h, w := f.Age, 150+n*7%40, 50+n*11%50
	today := time.Now().UTC().Truncate(24 * time.Hour)
	c := &store.Case{
		Status:           store.StatusPending,
		FullName:         f.Name,
		Aliases:          f.Aliases,
		Sex:              f.Sex,
		Age:              &age,
		HeightCM:         &h,
		WeightKG:         &w,
		HairColour:       []string{"brown", "black", "red", "grey"}[n%4],
		EyeColour:        []string{"blue", "brown", "green", "hazel"}[n%4],
		Features:         "Small scar above the left eyebrow.",
		Clothing:         "Navy rain jacket, jeans and rubber boots.",
		LastSeenDate:     today.AddDate(0, 0, -f.DaysAgo),
		LastSeenTime:     "19:30",
		LastSeenPlace:    f.Place,
		Community:        f.Community,
		Region:           f.Region,
		Circumstances:    "Left home on foot in the evening and did not return. Fictional test case.",
		PoliceAgency:     "RNC",
		PoliceFileNumber: fmt.Sprintf("E2E-%04d", n+1),
		PolicePhone:      "709-729-8000",
		PoliceVerified:   true,
	}
	contact := store.ReporterContact{Name: "Rhoda Reporter", Phone: "709-555-0142", Email: "rhoda@example.org", Relationship: "cousin"}
	var photos []store.Photo
	if f.Photo {
		photos = []store.Photo{s.storePhoto(portraitJPEG(n, 600, 750), f.Name)}
	}
	id, err := s.st.CreateCase(ctx, c, contact, photos, nil)
	if err != nil {
		s.t.Fatalf("create case %s: %v", f.Name, err)
	}
	var path []store.Status
	switch f.Status {
	case store.StatusMissing:
		path = []store.Status{store.StatusMissing}
	case store.StatusLocated:
		path = []store.Status{store.StatusMissing, store.StatusLocated}
	case store.StatusArchived:
		path = []store.Status{store.StatusMissing, store.StatusArchived}
	case store.StatusRejected:
		path = []store.Status{store.StatusRejected}
	}
	for _, to := range path {
		if err := s.st.TransitionCase(ctx, id, to, "e2e seed", nil); err != nil {
			s.t.Fatalf("case %s to %s: %v", f.Name, to, err)
		}
	}
	if f.Status.Public() {
		if _, err := s.st.AddUpdate(ctx, id, "Search teams checked the trails along the shore. Fictional update.", nil); err != nil {
			s.t.Fatalf("add update: %v", err)
		}
	}
	return id
}

// storePhoto runs a JPEG through the real pipeline into the bucket.
func (s *site) storePhoto(jpg []byte, name string) store.Photo {
	s.t.Helper()
	ctx := context.Background()
	pr, err := s.pipe.Process(ctx, bytes.NewReader(jpg))
	if err != nil {
		s.t.Fatalf("process photo: %v", err)
	}
	key, err := s.bucket.Put(ctx, pr)
	if err != nil {
		s.t.Fatalf("store photo: %v", err)
	}
	ph := store.Photo{Key: key, Primary: true, Width: pr.Width, Height: pr.Height, Alt: "Photo of " + name}
	if v, ok := pr.Variant(media.VariantLarge); ok {
		ph.Width, ph.Height = v.Width, v.Height
	}
	return ph
}

// portraitJPEG draws a colourful placeholder "photo" (gradient background,
// a head-and-shoulders shape): many distinct colours, so screenshots that
// contain it are clearly not blank, and obviously not a real person.
func portraitJPEG(seed, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	cx, cy := w/2, h*2/5
	r := w / 5
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{R: uint8((x*255/w + seed*40) % 256), G: uint8(y * 255 / h), B: uint8((seed*70 + 120) % 256), A: 255}
			dx, dy := x-cx, y-cy
			if dx*dx+dy*dy < r*r || (y > h*3/5 && dx*dx < (w*w)/9) {
				c = color.RGBA{R: 40, G: 50, B: 60, A: 255}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		panic(err) // encoding to memory cannot fail for an RGBA image
	}
	return buf.Bytes()
}

// writeTempJPEG writes a generated JPEG for a file input.
func writeTempJPEG(t *testing.T, name string, seed int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, portraitJPEG(seed, 900, 1200), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// publicCount counts published cases whose name contains name (any
// public status), straight from the store.
func (s *site) findCase(name string, statuses ...store.Status) []store.Case {
	s.t.Helper()
	if len(statuses) == 0 {
		statuses = []store.Status{store.StatusPending, store.StatusMissing, store.StatusLocated, store.StatusArchived, store.StatusRejected}
	}
	res, err := s.st.SearchCases(context.Background(), store.CaseQuery{Statuses: statuses, PerPage: 100})
	if err != nil {
		s.t.Fatalf("search cases: %v", err)
	}
	var out []store.Case
	for _, c := range res.Cases {
		if strings.Contains(c.FullName, name) {
			out = append(out, c)
		}
	}
	return out
}

func testSpool(t testing.TB) *kit.UploadSpool {
	t.Helper()
	sp, err := kit.OpenUploadSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sp.Close() })
	return sp
}
