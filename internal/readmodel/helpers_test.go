package readmodel

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"lostinnl/internal/store"
	"lostinnl/internal/testdb"
)

// The tests run against SQLite (a fresh file per test) and, when
// LOSTINNL_TEST_MYSQL_DSN names a server (no database, a user allowed to
// create and drop them), against MySQL/MariaDB too, each in a throwaway
// database lostinnl_rm_<random>.
const mysqlEnv = "LOSTINNL_TEST_MYSQL_DSN"

func eachDialect(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t, filepath.Join(t.TempDir(), "rm.db"))) })
	t.Run("mysql", func(t *testing.T) {
		admin := os.Getenv(mysqlEnv)
		if admin == "" {
			t.Skip(mysqlEnv + " not set")
		}
		fn(t, openMySQL(t, admin))
	})
}

func openSQLite(t testing.TB, path string) *store.Store {
	t.Helper()
	return openStore(t, "sqlite:"+path)
}

func openStore(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn, store.PoolOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func openMySQL(t testing.TB, adminDSN string) *store.Store {
	t.Helper()
	return openStore(t, mysqlDatabase(t, adminDSN))
}

// mysqlDatabase creates a throwaway database, dropped when the test ends
// (after the stores opened on it close: cleanups run LIFO), and returns
// the store DSN for it.
func mysqlDatabase(t testing.TB, adminDSN string) string {
	return testdb.MySQL(t, adminDSN, "lostinnl_rm_")
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// wordIndex is a TEST DOUBLE for the text index (the real one is
// internal/search, tested in its own package): a case matches when every
// query word is a word of its name, aliases or community, compared
// without case; name matches rank before the others, then higher ids. Its
// suggestion, when nothing matches, is the query upper-cased, so tests can
// see it travel through.
type wordIndex struct {
	docs []wordDoc
}

type wordDoc struct {
	id          int64
	name, other []string
}

func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func buildWordIndex(cases []store.Case) TextIndex {
	ix := &wordIndex{}
	for _, c := range cases {
		ix.docs = append(ix.docs, wordDoc{id: c.ID, name: words(c.FullName + " " + c.Aliases), other: words(c.Community + " " + c.Features)})
	}
	return ix
}

func (ix *wordIndex) Search(q string, prefix bool) ([]int64, string) {
	qw := words(q)
	if len(qw) == 0 {
		return nil, ""
	}
	has := func(ws []string, w string, last bool) bool {
		for _, x := range ws {
			if x == w || (prefix && last && strings.HasPrefix(x, w)) {
				return true
			}
		}
		return false
	}
	var byName, byOther []int64
	for _, d := range ix.docs {
		inName, all := true, true
		for i, w := range qw {
			last := i == len(qw)-1
			switch {
			case has(d.name, w, last):
			case has(d.other, w, last):
				inName = false
			default:
				all = false
			}
		}
		if !all {
			continue
		}
		if inName {
			byName = append(byName, d.id)
		} else {
			byOther = append(byOther, d.id)
		}
	}
	desc := func(a, b int64) int { return int(b - a) }
	slices.SortFunc(byName, desc)
	slices.SortFunc(byOther, desc)
	ids := append(byName, byOther...)
	if len(ids) == 0 {
		return nil, strings.ToUpper(q)
	}
	return ids, ""
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// caseKey is what a listing shows of a case, for comparing the model's
// cases with the store's.
func caseKey(c *store.Case) string {
	age, birth, located, photo := "-", "-", "-", "-"
	if c.Age != nil {
		age = fmt.Sprint(*c.Age)
	}
	if c.BirthDate != nil {
		birth = c.BirthDate.Format(time.DateOnly)
	}
	if c.LocatedAt != nil {
		located = c.LocatedAt.UTC().Format(time.RFC3339Nano)
	}
	// Photo CreatedAt and case CreatedAt are left out: no public page
	// shows them and the model does not keep them.
	if p := c.PrimaryPhoto; p != nil {
		photo = fmt.Sprintf("%d/%d/%s/%d/%dx%d/%q/%v", p.ID, p.CaseID, p.Key, p.Position, p.Width, p.Height, p.Alt, p.Primary)
	}
	return fmt.Sprintf("%d|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%v|%v|%s|%s|%s", c.ID, c.Status, c.FullName, c.Aliases, age, birth,
		c.Sex, c.LastSeenDate.Format(time.DateOnly), c.LastSeenPlace, c.Community, c.Region, c.PoliceVerified,
		c.PersonalWithdrawn, located, c.UpdatedAt.UTC().Format(time.RFC3339Nano), photo)
}
