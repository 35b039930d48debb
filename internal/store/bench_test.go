package store

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The benchmark seeds 100,000 fictional cases once per dialect and process
// (seeding takes seconds; b.N ramps re-enter the benchmark several times),
// then measures one filtered full-text search page. TestMain removes the
// seeded databases at the end.
//
//	go test -run '^$' -bench SearchCases -benchtime 2000x ./internal/store/
//	LOSTINNL_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' go test -run '^$' -bench SearchCases ./internal/store/

const benchCases = 100_000

var benchCache = struct {
	sync.Mutex
	stores   map[string]*Store
	cleanups []func()
}{stores: map[string]*Store{}}

func TestMain(m *testing.M) {
	code := m.Run()
	benchCache.Lock()
	for _, s := range benchCache.stores {
		_ = s.Close()
	}
	for _, f := range benchCache.cleanups {
		f()
	}
	benchCache.Unlock()
	os.Exit(code)
}

// benchStore returns the seeded store of a dialect, seeding it on first use.
func benchStore(b *testing.B, dialect string) *Store {
	b.Helper()
	benchCache.Lock()
	defer benchCache.Unlock()
	if s, ok := benchCache.stores[dialect]; ok {
		return s
	}
	var dsn string
	switch dialect {
	case "sqlite":
		dir, err := os.MkdirTemp("", "lostinnl-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchCache.cleanups = append(benchCache.cleanups, func() { _ = os.RemoveAll(dir) })
		dsn = "sqlite:" + filepath.Join(dir, "bench.db")
	case "mysql":
		admin := os.Getenv(mysqlEnv)
		if admin == "" {
			b.Skip(mysqlEnv + " not set")
		}
		d, drop, err := makeMySQLDatabase(admin, "lostinnl_b_")
		if err != nil {
			b.Fatal(err)
		}
		benchCache.cleanups = append(benchCache.cleanups, func() {
			if err := drop(); err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		})
		dsn = d
	}
	ctx := context.Background()
	s, err := Open(ctx, dsn, PoolOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := seedBench(ctx, s, benchCases); err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: seeded %d cases in %v", dialect, benchCases, time.Since(start).Round(time.Millisecond))
	benchCache.stores[dialect] = s
	return s
}

// Fictional names from syllables: nothing here is a real person.
var (
	benchSyllables = []string{"mar", "kel", "dun", "bri", "san", "tor", "lin", "ave", "ros", "fen", "gal", "hol", "jas", "nor", "pel", "quin", "ral", "sev", "ula", "wyn"}
	benchPlaces    = []string{"Harbour Road", "Church Lane", "Water Street", "Main Road", "Cove Path", "Ridge Trail", "Bay Drive", "Pond Road"}
	benchWords     = []string{"scar", "tattoo", "glasses", "beard", "freckles", "limp", "earring", "jacket", "boots", "hoodie", "jeans", "cap", "backpack", "walking", "driving", "fishing", "hiking", "evening", "morning", "truck"}
)

func benchName(r *rand.Rand, parts int) string {
	var b strings.Builder
	for i := range parts {
		s := benchSyllables[r.IntN(len(benchSyllables))]
		if i == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		b.WriteString(s)
	}
	return b.String()
}

func benchPhrase(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = benchWords[r.IntN(len(benchWords))]
	}
	return strings.Join(w, " ")
}

// seedBench inserts n cases (and a primary photo for about half) with
// multi-row INSERTs in large transactions: CreateCase one by one would take
// minutes.
func seedBench(ctx context.Context, s *Store, n int) error {
	r := rand.New(rand.NewPCG(1, 2))
	cols := []string{"status", "full_name", "sort_name", "aliases", "age", "sex", "build", "hair_colour", "eye_colour", "features", "clothing",
		"last_seen_date", "last_seen_time", "last_seen_place", "community", "region", "circumstances", "police_agency", "police_file_number",
		"police_phone", "police_verified", "reject_reason", "personal_withdrawn", "created_at", "updated_at"}
	const perStmt, perTx = 200, 5000
	row := "(" + placeholders(len(cols)) + ")"
	stmt := "INSERT INTO cases (" + strings.Join(cols, ", ") + ") VALUES " + strings.Repeat(row+", ", perStmt-1) + row
	ts := dbTime(now())
	statuses := []Status{StatusMissing, StatusMissing, StatusMissing, StatusMissing, StatusMissing, StatusMissing, StatusMissing, StatusMissing, StatusLocated, StatusPending}
	for done := 0; done < n; done += perTx {
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			for k := 0; k < perTx; k += perStmt {
				args := make([]any, 0, perStmt*len(cols))
				for range perStmt {
					name := benchName(r, 2) + " " + benchName(r, 3)
					aliases := ""
					if r.IntN(5) == 0 {
						aliases = benchName(r, 2)
					}
					seen := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(9600))
					args = append(args, string(statuses[r.IntN(len(statuses))]), name, sortName(name), aliases, 5+r.IntN(85), Sexes[r.IntN(2)],
						"medium", "brown", "blue", benchPhrase(r, 4), benchPhrase(r, 5), dbDate(seen), "", benchPlaces[r.IntN(len(benchPlaces))],
						benchName(r, 2)+" Cove", Regions[r.IntN(len(Regions))], benchPhrase(r, 12), "RCMP", fmt.Sprintf("B-%07d", r.IntN(1e7)),
						"709-555-0100", true, "", false, ts, ts)
				}
				if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("seed cases: %w", err)
		}
	}
	// A primary photo for every other case, so the listing's photo join
	// does real work.
	_, err := s.wdb.ExecContext(ctx, `INSERT INTO case_photos (case_id, photo_key, position, is_primary, width, height, alt, created_at)
		SELECT id, CONCAT('bench-', id), 0, 1, 800, 600, '', ? FROM cases WHERE id % 2 = 0`, ts)
	if err != nil {
		return fmt.Errorf("seed photos: %w", err)
	}
	return s.Analyze(ctx)
}

// BenchmarkSearchCases is the measure: full text + one filter + a
// sort + page 3, i.e. a visitor paging through results for a name. The
// word is a generated first name (also the start of surnames and community
// names), matching ~850 of the 100,000 cases before the filters.
func BenchmarkSearchCases(b *testing.B) {
	benchDialects(b, CaseQuery{Q: "Marsan", Region: "Avalon", Sort: SortRecent, Page: 3})
}

// BenchmarkSearchCasesRanked: the same word ranked by relevance, over
// missing and located cases, page 1.
func BenchmarkSearchCasesRanked(b *testing.B) {
	benchDialects(b, CaseQuery{Q: "Marsan", Statuses: []Status{StatusMissing, StatusLocated}})
}

// BenchmarkSearchCasesBroadPrefix is the worst case we know of: a 3-letter
// prefix (live search after three keystrokes) that starts ~15% of all
// words in this synthetic data, + region + sort + page 3.
func BenchmarkSearchCasesBroadPrefix(b *testing.B) {
	benchDialects(b, CaseQuery{Q: "mar", Region: "Avalon", Sort: SortRecent, Page: 3})
}

// BenchmarkSearchCasesDefault: the /cases landing page (missing, recent).
func BenchmarkSearchCasesDefault(b *testing.B) {
	benchDialects(b, CaseQuery{})
}

// BenchmarkSearchCasesByName: the listing sorted by name, no filter (the
// sort the name index of migration 006 serves).
func BenchmarkSearchCasesByName(b *testing.B) {
	benchDialects(b, CaseQuery{Sort: SortName})
}

// BenchmarkSearchCasesRegion: the listing of one region, newest first,
// page 3 (the region index of migration 006).
func BenchmarkSearchCasesRegion(b *testing.B) {
	benchDialects(b, CaseQuery{Region: "Avalon", Page: 3})
}

// BenchmarkSearchCasesFiltersOnly: no text, region + age range + sort.
func BenchmarkSearchCasesFiltersOnly(b *testing.B) {
	benchDialects(b, CaseQuery{Region: "Labrador", AgeMin: ptr(18), AgeMax: ptr(30), Sort: SortName, Page: 3})
}

func benchDialects(b *testing.B, q CaseQuery) {
	for _, d := range []string{"sqlite", "mysql"} {
		b.Run(d, func(b *testing.B) { benchSearch(b, benchStore(b, d), q) })
	}
}

func benchSearch(b *testing.B, s *Store, q CaseQuery) {
	ctx := context.Background()
	l, err := s.SearchCases(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	if len(l.Cases) == 0 {
		b.Fatalf("benchmark query finds nothing (total %d)", l.Total)
	}
	durs := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.SearchCases(ctx, q); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(durs)
	pct := func(p float64) float64 {
		i := int(float64(len(durs)-1) * p)
		return float64(durs[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(l.Total), "matches")
}

// BenchmarkPublicCases is the read model's load: every public case of the
// 100,000 seeded (about 90,000) with its primary photo.
//
//	go test -run '^$' -bench PublicCases -benchtime 5x ./internal/store/
func BenchmarkPublicCases(b *testing.B) {
	for _, d := range []string{"sqlite", "mysql"} {
		b.Run(d, func(b *testing.B) {
			s := benchStore(b, d)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			n := 0
			for b.Loop() {
				snap, err := s.PublicCases(ctx)
				if err != nil {
					b.Fatal(err)
				}
				n = len(snap.Cases)
			}
			b.ReportMetric(float64(n), "cases")
		})
	}
}
