// Package opstest holds operational tests of the real lostinnl binary: it is
// built once (go build ./cmd/lostinnl, or $LOSTINNL_TEST_BINARY) and run as
// an operator would run it, with a temporary data directory and loopback
// ports, while the tests send traffic, deliver signals, take the database
// away and restore backups.
//
// Tests: graceful stop under load (every request completes or is refused
// before being accepted; every acknowledged form post is stored), database
// outages on SQLite and (with LOSTINNL_TEST_MYSQL_DSN and
// LOSTINNL_TEST_MYSQL_OUTAGE=1) MariaDB, the backup/restore drill, metrics,
// access-log fields and log injection, and scale-out: two instances on one
// MariaDB database and one S3 bucket behind the shipped nginx config (with
// LOSTINNL_TEST_MYSQL_DSN and LOSTINNL_TEST_ACME=1, which promises nginx).
//
// Running:
//
//	go test ./internal/opstest                        # builds ./cmd/lostinnl once (~30 s of tests)
//	LOSTINNL_TEST_BINARY=/path/lostinnl go test ./internal/opstest   # test a binary built elsewhere
//	LOSTINNL_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' LOSTINNL_TEST_MYSQL_OUTAGE=1 \
//	    go test -run TestMariaDBOutage ./internal/opstest   # stops and restarts that MariaDB
//	LOSTINNL_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' LOSTINNL_TEST_ACME=1 \
//	    go test -run TestScaleOutTwoInstances ./internal/opstest
//
// Everything is skipped with -short. The package has no non-test code; this
// file only carries the documentation.
package opstest
