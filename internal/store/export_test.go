package store

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"
)

// Test helpers for the external test package (store_test), whose tests
// need packages that import this one (internal/search, internal/demo).

var (
	EachDialect = eachDialect
	NewTestCase = newCase
	MustCreate  = mustCreate
	AuditCount  = auditCount
	CaseRecord  = caseRecord
)

// NewBenchStore is a fresh migrated store of a dialect ("sqlite" or
// "mysql"; skipped when MySQL is not configured).
func NewBenchStore(b *testing.B, dialect string) *Store {
	b.Helper()
	if dialect == "mysql" {
		dsn := os.Getenv(mysqlEnv)
		if dsn == "" {
			b.Skip(mysqlEnv + " not set")
		}
		return newMySQLStore(b, dsn, true)
	}
	return newSQLiteStore(b, true)
}

// InsertCasesFast inserts cases as they are (status included) with
// multi-row INSERTs in one transaction per 5,000: CreateCase one by one
// would take minutes for a benchmark's 100,000.
func InsertCasesFast(ctx context.Context, s *Store, cases []Case) error {
	cols := []string{"status", "full_name", "sort_name", "aliases", "age", "sex", "build", "hair_colour", "eye_colour", "features", "clothing",
		"last_seen_date", "last_seen_time", "last_seen_place", "community", "region", "circumstances", "police_agency", "police_file_number",
		"police_phone", "police_verified", "reject_reason", "personal_withdrawn", "created_at", "updated_at"}
	row := "(" + placeholders(len(cols)) + ")"
	ts := dbTime(now())
	const perStmt, perTx = 200, 5000
	for start := 0; start < len(cases); start += perTx {
		batch := cases[start:min(start+perTx, len(cases))]
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			for k := 0; k < len(batch); k += perStmt {
				part := batch[k:min(k+perStmt, len(batch))]
				args := make([]any, 0, len(part)*len(cols))
				for _, c := range part {
					args = append(args, string(c.Status), c.FullName, sortName(c.FullName), c.Aliases, intPtr(c.Age), c.Sex, c.Build, c.HairColour,
						c.EyeColour, c.Features, c.Clothing, dbDate(c.LastSeenDate), c.LastSeenTime, c.LastSeenPlace, c.Community, c.Region,
						c.Circumstances, c.PoliceAgency, c.PoliceFileNumber, c.PolicePhone, c.PoliceVerified, "", false, ts, ts)
				}
				stmt := "INSERT INTO cases (" + strings.Join(cols, ", ") + ") VALUES " + strings.Repeat(row+", ", len(part)-1) + row
				if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return s.Analyze(ctx)
}

// DuplicatePoolSize is how many cases PossibleDuplicates reads to compare
// names with, for the benchmark's figures.
func DuplicatePoolSize(ctx context.Context, s *Store, id int64) (int, error) {
	me, err := scanDuplicate(s.db.QueryRowContext(ctx, "SELECT "+duplicateColumns+duplicateFrom+" WHERE c.id = ?", id))
	if err != nil {
		return 0, err
	}
	pool, err := s.duplicatePool(ctx, me)
	return len(pool), err
}
