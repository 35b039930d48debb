package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/go-sql-driver/mysql"
)

func TestIsUnavailableClassifies(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"not found", ErrNotFound, false},
		{"illegal transition", fmt.Errorf("transition: %w", ErrIllegalTransition), false},
		{"plain error", errors.New("boom"), false},
		{"bad conn", fmt.Errorf("query: %w", driver.ErrBadConn), true},
		{"deadline", fmt.Errorf("query: %w", context.DeadlineExceeded), true},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}, true},
		{"mysql gone away", fmt.Errorf("q: %w", &mysql.MySQLError{Number: 2006}), true},
		{"mysql duplicate key", &mysql.MySQLError{Number: 1062}, false},
		{"mysql invalid conn", mysql.ErrInvalidConn, true},
		{"disk full (photo write)", fmt.Errorf("media: put: %w", &os.PathError{Op: "write", Path: "/data/media/x.tmp", Err: syscall.ENOSPC}), true},
		{"over quota", &os.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT}, true},
		{"read-only file system", &os.PathError{Op: "open", Path: "x", Err: syscall.EROFS}, true},
		{"i/o error", &os.PathError{Op: "write", Path: "x", Err: syscall.EIO}, true},
		{"file exists", &os.PathError{Op: "open", Path: "x", Err: syscall.EEXIST}, false},
	}
	for _, c := range cases {
		if got := IsUnavailable(c.err); got != c.want {
			t.Errorf("%s: IsUnavailable(%v) = %v, want %v", c.name, c.err, got, c.want)
		}
	}
}

// A real SQLite failure (the database file replaced by garbage) is
// classified as unavailable, so the site answers 503, not 500.
func TestIsUnavailableRealSQLiteError(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "not-a-db.db")
	if err := os.WriteFile(path, []byte("this is not an sqlite database, just text padding it out to a page or so..."), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Open(ctx, "sqlite:"+path, PoolOptions{})
	if err == nil {
		defer st.Close()
		err = st.Ping(ctx)
		if err == nil {
			_, err = st.Migrate(ctx)
		}
	}
	if err == nil {
		t.Fatal("opening garbage as a database worked")
	}
	if !IsUnavailable(err) {
		t.Fatalf("IsUnavailable(%v) = false, want true", err)
	}
}
