package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"net"
	"syscall"

	"github.com/go-sql-driver/mysql"
	"modernc.org/sqlite"
)

// IsUnavailable reports whether err means "the database cannot be reached or
// used right now" rather than "this request is wrong" or "the code is
// wrong". The web layer answers such errors with a friendly 503 (and
// /readyz with 503) instead of a 500, and everything recovers by itself when
// the database comes back, because database/sql reconnects on its own.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, mysql.ErrInvalidConn) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ENOENT) || errors.Is(err, syscall.EACCES) {
		return true
	}
	// The disk under the data dir is full, over quota, read-only or failing:
	// photo writes (and the upload spool) meet these as plain file errors.
	// Nothing is wrong with the request, and it will work once an operator
	// frees space, so the visitor gets the 503 page with the form kept.
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) ||
		errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EIO) {
		return true
	}
	var my *mysql.MySQLError
	if errors.As(err, &my) {
		switch my.Number {
		case 1040, // too many connections
			1053,                   // server shutdown in progress
			1205,                   // lock wait timeout
			1927,                   // connection killed (MariaDB)
			2002, 2003, 2006, 2013: // client-side: can't connect, gone away, lost connection
			return true
		}
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		// Primary result codes (the low byte of extended codes).
		switch lite.Code() & 0xff {
		case 5, // SQLITE_BUSY
			6,  // SQLITE_LOCKED
			8,  // SQLITE_READONLY (file permissions changed under us)
			10, // SQLITE_IOERR
			11, // SQLITE_CORRUPT
			13, // SQLITE_FULL (disk full)
			14, // SQLITE_CANTOPEN
			26: // SQLITE_NOTADB
			return true
		}
	}
	return false
}
