//go:build pprof

// Profiling builds only (go build -tags pprof): net/http/pprof on the
// loopback address in LOSTINNL_PPROF_ADDR, for measuring the server under
// load (docs/performance.md). Release builds do not contain it, so no
// configuration can expose it.
package main

import (
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func init() {
	addr := os.Getenv("LOSTINNL_PPROF_ADDR")
	if addr == "" {
		return
	}
	if host, _, err := net.SplitHostPort(addr); err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("LOSTINNL_PPROF_ADDR %q: must be a loopback host:port", addr)
	}
	go func() { log.Print(http.ListenAndServe(addr, nil)) }()
}
