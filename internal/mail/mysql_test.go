package mail

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"

	"lostinnl/internal/store"
)

// mysqlStores creates a fresh MariaDB/MySQL database and opens it n times
// (separate pools, as separate instances would), or skips without
// LOSTINNL_TEST_MYSQL_DSN.
func mysqlStores(t *testing.T, n int) []*store.Store {
	t.Helper()
	dsn := os.Getenv("LOSTINNL_TEST_MYSQL_DSN")
	if dsn == "" {
		t.Skip("LOSTINNL_TEST_MYSQL_DSN not set")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "lostinnl_mail_" + hex.EncodeToString(b)
	cfg.DBName = ""
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name)
		_ = admin.Close()
	})
	cfg.DBName = name
	var out []*store.Store
	for i := range n {
		st, err := store.Open(context.Background(), "mysql://"+cfg.FormatDSN(), store.PoolOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		if i == 0 {
			if _, err := st.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, st)
	}
	return out
}

// TestTwoSendersOneMariaDB: two instances sending from one database at
// once deliver every message exactly once (no crash, so no duplicate).
func TestTwoSendersOneMariaDB(t *testing.T) {
	stores := mysqlStores(t, 2)
	ts := newTestServer(t)
	const total = 400
	f := withCipher(t, stores[0])
	withCipher(t, stores[1])
	queue(t, stores[0], total, "two")
	var wg sync.WaitGroup
	per := make([]int, 2)
	for i, st := range stores {
		s := newSender(ts, st, f, "instance-"+itoa(i))
		s.Batch = 20
		wg.Go(func() {
			for range 10000 {
				n, err := s.SendBatch(context.Background())
				if err != nil {
					t.Error(err)
					return
				}
				if n == 0 {
					return
				}
				per[i] += n
			}
		})
	}
	wg.Wait()
	seen := map[string]int{}
	for _, r := range ts.got() {
		seen[r.MessageID]++
	}
	if len(seen) != total {
		t.Fatalf("%d distinct messages delivered, want %d", len(seen), total)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
	if st := stats(t, stores[0]); st[store.MailSent] != total {
		t.Fatalf("states %v", st)
	}
	t.Logf("claimed per instance: %v", per)
	if per[0] == 0 || per[1] == 0 {
		t.Logf("note: one instance claimed everything (allowed, but the test then proves less)")
	}
}
