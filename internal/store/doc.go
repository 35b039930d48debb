// Package store is LostInNL's only access to the database: SQLite (the
// embedded default, modernc.org/sqlite) and MySQL/MariaDB
// (go-sql-driver/mysql) behind one API. No SQL exists outside this package.
//
// Opening: Open(ctx, "sqlite:PATH" | "mysql://DSN", PoolOptions{}), then
// Migrate (idempotent; refuses a schema newer than the binary with
// ErrSchemaAhead). Every method takes a context, returns ErrNotFound (never
// nil, nil) for a missing record, and wraps other errors with the operation.
// ErrInvalid marks values the schema cannot hold (too long, bad UTF-8), so
// both dialects reject the same input the same way.
//
// Writes that take an *AuditEntry insert it in the same transaction as the
// change. Sealed columns (reporter contact, tip contact, TOTP secret) are
// written only through a FieldCipher (SetCipher); without one a non-empty
// value is refused with ErrNoCipher, never stored in plaintext.
//
// Concurrency: SQLite runs in WAL mode with one writer connection (writes
// queue in database/sql instead of failing with SQLITE_BUSY) and a
// read-only pool; the pragmas are in the DSN so every pooled connection
// gets them. MySQL connections are forced to UTC, utf8mb4 and
// clientFoundRows. All times are stored and returned in UTC, to the
// microsecond.
//
// Case search (SearchCases): the query text is split into words (letters,
// digits, marks; see searchTerms), so full-text operators and LIKE
// wildcards typed by a visitor are plain text. Every word is required; the
// last one also matches as a prefix (live search). A query with no word at
// all matches nothing. The dialects differ in one documented way: MySQL's
// FULLTEXT index holds no words shorter than innodb_ft_min_token_size (3)
// and no InnoDB stopwords, so those words are dropped when another word
// remains ("St. John's" searches "john"), and when none remains the search
// falls back to a word-prefix LIKE on name and aliases (unranked). SQLite
// (FTS5) matches every word.
// Both fold accents and case: "Siobhan" finds "Siobhán" and vice versa.
package store
