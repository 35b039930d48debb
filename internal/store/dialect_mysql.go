package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-sql-driver/mysql"
)

type mysqlDialect struct {
	// minToken is the server's innodb_ft_min_token_size (words shorter than
	// this are not in the FULLTEXT index).
	minToken int
	// skipLocked: the server knows SELECT … FOR UPDATE SKIP LOCKED
	// (MariaDB ≥ 10.6, MySQL ≥ 8.0.1), which lets several mail senders
	// claim different rows without waiting on each other.
	skipLocked bool
}

// mysqlConfig parses a go-sql-driver DSN and forces what the store relies
// on, whatever the operator wrote: UTC times, utf8mb4, found-rows counting.
func mysqlConfig(dsn string) (*mysql.Config, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg.ParseTime = true
	cfg.Loc = time.UTC
	cfg.Collation = "utf8mb4_unicode_ci"
	// clientFoundRows: UPDATE reports matched rows, so "0 rows" really means
	// "no such row" even when the new values equal the old ones.
	cfg.ClientFoundRows = true
	cfg.MultiStatements = false
	// Client-side interpolation: one round trip per query instead of
	// prepare + execute + close. Safe here: the driver escapes every value
	// for the connection's utf8mb4 charset and the server's backslash mode,
	// and refuses to interpolate for charsets where that is unsafe.
	cfg.InterpolateParams = true
	if cfg.Params == nil {
		cfg.Params = map[string]string{}
	}
	// Session variables set on every new connection.
	cfg.Params["time_zone"] = "'+00:00'"
	delete(cfg.Params, "charset") // Collation above sets the charset
	return cfg, nil
}

func openMySQL(ctx context.Context, dsn string, opts PoolOptions) (*Store, error) {
	cfg, err := mysqlConfig(dsn)
	if err != nil {
		return nil, err
	}
	if err := mysqlTLS(cfg, opts.CAFile); err != nil {
		return nil, err
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	// Lifetime below typical proxy/RDS idle cut-offs, so the pool never
	// hands out a connection the server already closed.
	eff := applyPool(db, opts, PoolOptions{MaxOpen: 25, MaxIdle: 10, ConnMaxLifetime: 5 * time.Minute, ConnMaxIdleTime: 2 * time.Minute})
	d := mysqlDialect{minToken: mysqlMinToken}
	var n sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT @@innodb_ft_min_token_size").Scan(&n); err != nil {
		_ = db.Close()
		if isCertificateError(err) {
			return nil, fmt.Errorf("the database server's TLS certificate is not trusted, refusing to connect (give its CA bundle as the database CA file, and check the host name in the URL): %w", err)
		}
		return nil, err
	}
	if n.Valid && n.Int64 > 0 {
		d.minToken = int(n.Int64)
	}
	var version string
	if err := db.QueryRowContext(ctx, "SELECT VERSION()").Scan(&version); err != nil {
		_ = db.Close()
		return nil, err
	}
	d.skipLocked = supportsSkipLocked(version)
	return &Store{db: db, wdb: db, d: d, readLifetime: eff.ConnMaxLifetime}, nil
}

func (mysqlDialect) name() string { return "mysql" }

// lockSkipping is the locking clause of a claim query: rows another
// transaction holds are passed over instead of waited for. Without SKIP
// LOCKED the claim's conditional UPDATE alone keeps claims apart (see
// ClaimOutbox), so "" is correct too, only slower under contention.
func (d mysqlDialect) lockSkipping() string {
	if d.skipLocked {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// supportsSkipLocked reads a VERSION() string: "10.11.19-MariaDB-0+deb12u1"
// or "8.0.36".
func supportsSkipLocked(version string) bool {
	var major, minor, patch int
	// Sscanf stops at the first non-matching character; what it got is enough.
	n, _ := fmt.Sscanf(version, "%d.%d.%d", &major, &minor, &patch)
	if n < 2 {
		return false
	}
	if strings.Contains(strings.ToLower(version), "mariadb") {
		return major > 10 || major == 10 && minor >= 6
	}
	return major > 8 || major == 8 && (minor > 0 || patch >= 1)
}
func (mysqlDialect) migrationDir() string { return "migrations/mysql" }

var statementEnd = regexp.MustCompile(`;\s*(\n|$)`)

// execScript splits the file at semicolons ending a line (the MySQL files
// keep that convention and contain no procedures) and runs each statement.
//
// MySQL commits each DDL statement on its own, so a step interrupted half-way
// is re-run from its start. Errors saying the work is already done (table,
// column or index exists; index to drop is gone) are therefore skipped: that
// makes CREATE INDEX / DROP INDEX / ADD COLUMN re-runnable on MySQL 8, which
// has no IF [NOT] EXISTS for them.
func (mysqlDialect) execScript(ctx context.Context, q queryer, script string) error {
	for _, stmt := range statementEnd.Split(script, -1) {
		stmt = strings.TrimSpace(stripComments(stmt))
		if stmt == "" {
			continue
		}
		if _, err := q.ExecContext(ctx, stmt); err != nil && !alreadyDone(err) {
			return fmt.Errorf("%w in: %.80s", err, stmt)
		}
	}
	return nil
}

// alreadyDone reports DDL errors that mean "this statement already ran":
// 1050 table exists, 1060 duplicate column, 1061 duplicate index name,
// 1091 cannot drop (index or column does not exist), 1826 duplicate
// foreign key name.
func alreadyDone(err error) bool {
	var e *mysql.MySQLError
	if !errors.As(err, &e) {
		return false
	}
	switch e.Number {
	case 1050, 1060, 1061, 1091, 1826:
		return true
	}
	return false
}

// stripComments drops whole-line "--" comments.
func stripComments(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// lockMigrations takes a named server lock so two instances starting at
// once do not both run DDL (which MySQL cannot roll back).
func (mysqlDialect) lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	var got sql.NullInt64
	if err := conn.QueryRowContext(ctx, "SELECT GET_LOCK('lostinnl_migrate', 60)").Scan(&got); err != nil {
		return nil, err
	}
	if !got.Valid || got.Int64 != 1 {
		return nil, errors.New("timed out waiting for the migration lock")
	}
	return func() {
		// Fresh context: release even when ctx is already cancelled. The
		// lock also dies with the connection, so an error here is harmless.
		_, _ = conn.ExecContext(context.Background(), "SELECT RELEASE_LOCK('lostinnl_migrate')")
	}, nil
}

func (mysqlDialect) versionTable() string {
	return "CREATE TABLE IF NOT EXISTS schema_version (version INT NOT NULL PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at DATETIME(6) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
}

func (mysqlDialect) hasTable(ctx context.Context, q queryer, table string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?", table).Scan(&n)
	return n > 0, err
}

func (mysqlDialect) upsert(table string, cols, keys []string) string {
	var set []string
	for _, c := range cols {
		if !contains(keys, c) {
			set = append(set, c+" = VALUES("+c+")")
		}
	}
	return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s) ON DUPLICATE KEY UPDATE %s",
		table, strings.Join(cols, ", "), placeholders(len(cols)), strings.Join(set, ", "))
}

// isRetryable: 1213 is "deadlock found; try restarting transaction". Lock
// wait timeouts (1205) are not retried: the wait already took its time.
func (mysqlDialect) isRetryable(err error) bool {
	var e *mysql.MySQLError
	return errors.As(err, &e) && e.Number == 1213
}

func (mysqlDialect) isUniqueViolation(err error) bool {
	var e *mysql.MySQLError
	return errors.As(err, &e) && e.Number == 1062
}

// mysqlMatch is the column list of the FULLTEXT index ft_cases; MATCH must
// name exactly those columns.
const mysqlMatch = "MATCH(c.full_name, c.aliases, c.last_seen_place, c.community, c.features, c.clothing, c.circumstances)"

// innodbStopwords is InnoDB's default full-text stopword list
// (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD; a test checks it matches
// the server). A required stopword makes a BOOLEAN MODE query match nothing,
// so such terms are left out of the MATCH.
var innodbStopwords = map[string]bool{
	"a": true, "about": true, "an": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"com": true, "de": true, "en": true, "for": true, "from": true, "how": true, "i": true, "in": true,
	"is": true, "it": true, "la": true, "of": true, "on": true, "or": true, "that": true, "the": true,
	"this": true, "to": true, "was": true, "what": true, "when": true, "where": true, "who": true,
	"will": true, "with": true, "und": true, "www": true,
}

// mysqlMinToken is innodb_ft_min_token_size's default; Open reads the
// server's value. Shorter words are not in the index, and a required short
// term would make the query match nothing.
const mysqlMinToken = 3

// textSearch builds a BOOLEAN MODE query where every term is required (+)
// and the last is a prefix (*). Terms only hold letters, digits and marks
// (see searchTerms), so no boolean operator can reach the server.
//
// Terms the index cannot hold (shorter than innodb_ft_min_token_size, 3 by
// default, or stopwords) are dropped when at least one indexable term
// remains: "St. John's" searches for "john", "Ó Ceallaigh" for "ceallaigh".
// When none remains ("Jo", "Will") the search falls back to LIKE
// word-prefix matching on the name and aliases, with ! % _ escaped; such
// results cannot be ranked and come newest first.
func (d mysqlDialect) textSearch(terms []string, ranked bool) searchClause {
	var ft []string
	for _, t := range terms {
		if utf8.RuneCountInString(t) >= d.minToken && !innodbStopwords[strings.ToLower(t)] {
			ft = append(ft, t)
		}
	}
	if len(ft) == 0 {
		var conds []string
		var args []any
		for _, t := range terms {
			p := likeEscape(t)
			conds = append(conds, "(c.full_name LIKE ? ESCAPE '!' OR c.full_name LIKE ? ESCAPE '!' OR c.aliases LIKE ? ESCAPE '!' OR c.aliases LIKE ? ESCAPE '!')")
			args = append(args, p+"%", "% "+p+"%", p+"%", "% "+p+"%")
		}
		return searchClause{where: strings.Join(conds, " AND "), whereArgs: args}
	}
	var b strings.Builder
	for i, t := range ft {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("+" + t)
		if i == len(ft)-1 {
			b.WriteByte('*')
		}
	}
	q := b.String()
	c := searchClause{where: mysqlMatch + " AGAINST (? IN BOOLEAN MODE)", whereArgs: []any{q}}
	if ranked {
		c.rank = mysqlMatch + " AGAINST (? IN BOOLEAN MODE) DESC"
		c.rankArgs = []any{q}
	}
	return c
}

func (mysqlDialect) backup(context.Context, *sql.DB, string) error {
	return errors.New("not supported on MySQL: use RDS snapshots or mysqldump")
}

func (mysqlDialect) analyze(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "ANALYZE TABLE cases, case_photos, case_updates, tips, audit_entries, sessions")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		// ANALYZE TABLE reports per-table status rows; drain them.
	}
	return rows.Err()
}
