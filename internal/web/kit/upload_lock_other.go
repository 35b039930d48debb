//go:build !unix

package web

import (
	"errors"
	"os"
)

var errLocked = errors.New("locked by another process")

// lockFile: without flock, every spool folder counts as left over at
// start-up. Only the unix build (the one we ship) shares a data directory
// between processes safely.
func lockFile(*os.File, bool) error { return nil }
