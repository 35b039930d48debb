package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// TestReadyReadsARealTable: Ping answers for a database without our
// schema, or whose file was deleted under it; Ready does not.
func TestReadyReadsARealTable(t *testing.T) {
	eachDialectRaw(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping on an empty database: %v", err)
		}
		if err := s.Ready(ctx); err == nil {
			t.Fatal("Ready passed on a database without the schema")
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("Ready after migrating: %v", err)
		}
	})
	t.Run("sqlite file deleted", func(t *testing.T) {
		s := newSQLiteStore(t, true)
		ctx := ctxT(t)
		if err := s.Ready(ctx); err != nil {
			t.Fatal(err)
		}
		if err := os.Remove(s.file); err != nil {
			t.Fatal(err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v (expected to still pass: that is the point)", err)
		}
		err := s.Ready(ctx)
		if err == nil || !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("Ready with the database file gone: %v", err)
		}
	})
}

// TestFailedWritesCountsAndRecovers: write transactions the database could
// not take are counted in a row; a request's own error (not found,
// invalid) changes nothing; any success, including ProbeWrite, resets.
func TestFailedWritesCountsAndRecovers(t *testing.T) {
	eachDialect(t, func(t *testing.T, s *Store) {
		ctx := ctxT(t)
		expired, cancel := context.WithDeadline(ctx, time.Now().Add(-time.Second))
		defer cancel()
		for i := 1; i <= 3; i++ {
			if err := s.SetTipState(expired, 1, TipReviewed, "", nil); err == nil {
				t.Fatal("write on an expired context succeeded")
			}
			if got := s.FailedWrites(); got != int64(i) {
				t.Fatalf("after %d failed writes FailedWrites = %d", i, got)
			}
		}
		// Not the database's fault: neither a failure nor a success.
		wantErr(t, s.SetTipState(ctx, 999999, TipReviewed, "", nil), ErrNotFound)
		wantErr(t, s.SetTipState(ctx, 1, "bogus", "", nil), ErrInvalid)
		cancelled, stop := context.WithCancel(ctx)
		stop()
		_ = s.SetTipState(cancelled, 1, TipReviewed, "", nil)
		if got := s.FailedWrites(); got != 3 {
			t.Fatalf("request errors changed the count: %d", got)
		}
		// A direct write outside inTx counts too.
		if _, err := s.CreateMessage(expired, &Message{Name: "A", Email: "a@example.ca", Subject: "s", Body: "b"}); err == nil {
			t.Fatal("message on an expired context stored")
		}
		if got := s.FailedWrites(); got != 4 {
			t.Fatalf("CreateMessage failure not counted: %d", got)
		}
		if err := s.ProbeWrite(ctx); err != nil {
			t.Fatalf("ProbeWrite: %v", err)
		}
		if got := s.FailedWrites(); got != 0 {
			t.Fatalf("a successful write left FailedWrites = %d", got)
		}
		// The probe changes nothing a page cache would notice.
		before, err := s.ContentRevision(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ProbeWrite(ctx); err != nil {
			t.Fatal(err)
		}
		if after, _ := s.ContentRevision(ctx); after != before {
			t.Fatalf("ProbeWrite moved the content revision %d → %d", before, after)
		}
		if _, err := s.GetSetting(ctx, probeKey); !errors.Is(err, ErrNotFound) {
			t.Fatalf("the probe's row was left behind: %v", err)
		}
		if err := s.ProbeWrite(expired); err == nil || !strings.Contains(err.Error(), "probe write") || s.FailedWrites() != 1 {
			t.Fatalf("failed probe: %v, count %d", err, s.FailedWrites())
		}
	})
}

// TestReadOnlyServerCountsAsFailedWrite: after an RDS fail-over the old
// writer refuses writes with 1290; that is the database's state, not the
// request's fault.
func TestReadOnlyServerCountsAsFailedWrite(t *testing.T) {
	s := newSQLiteStore(t, true)
	s.noteWrite(fmt.Errorf("commit: %w", &mysql.MySQLError{Number: 1290, Message: "read-only"}))
	s.noteWrite(&mysql.MySQLError{Number: 1062, Message: "duplicate"}) // the request's fault
	if got := s.FailedWrites(); got != 1 {
		t.Fatalf("FailedWrites = %d, want 1", got)
	}
}
