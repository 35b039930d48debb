// Package testdb gives tests a throwaway MySQL/MariaDB database: created
// with the character set and collation production uses, named with a random
// suffix so concurrent test binaries never share one, and dropped when the
// test ends.
//
// It is for tests only (the binary never imports it) and must not hold
// schema or data: each caller applies the migrations through the store, as
// production does.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// Env names the variable holding the server's admin DSN (no database, a
// user allowed to create and drop them), e.g. root@tcp(127.0.0.1:3306)/.
const Env = "LOSTINNL_TEST_MYSQL_DSN"

// MySQL creates a database named prefix + 12 random hex digits on the
// server adminDSN names, drops it when t ends (cleanups run last in, first
// out, so after the stores a test opened on it are closed), and returns its
// LOSTINNL_DATABASE_URL ("mysql://…").
func MySQL(t testing.TB, adminDSN, prefix string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(adminDSN)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	name := prefix + hex.EncodeToString(b)
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		_ = admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	cfg.DBName = name
	return "mysql://" + cfg.FormatDSN()
}
