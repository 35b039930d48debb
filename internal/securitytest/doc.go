// Package securitytest holds the attacks of the outside security audit as
// tests, so they keep holding: concurrent sign-in races (throttle, second
// factor, recovery codes), crash leftovers (a child process killed with
// SIGKILL mid-write), a full disk (a tiny filesystem where the test may mount
// one, otherwise skipped with a message), and the smaller findings.
//
// Each attack runs against the whole site as production wires it
// (cli.Run "serve" in-process, or as a child process for crashes), on SQLite
// and, with LOSTINNL_TEST_MYSQL_DSN set, on MariaDB. Race tests release
// their requests together (goroutines waiting on one channel) and assert on
// what the database holds afterwards, never on timing.
//
// Running:
//
//	go test ./internal/securitytest
//	LOSTINNL_TEST_MYSQL_DSN='root@tcp(127.0.0.1:3306)/' go test ./internal/securitytest
//
// The package has no non-test code; this file only carries the documentation.
package securitytest
