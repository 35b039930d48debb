package tlsauto_test

import (
	"log"
	"net/http"
	"path/filepath"
	"time"

	"lostinnl/internal/tlsauto"
)

// How the CLI wires LOSTINNL_TLS_DOMAINS: HTTPS on :443 with the manager's tls.Config,
// and :80 for HTTP-01 challenges and the redirect. The handler is the app's router.
func Example() {
	var app http.Handler = http.NotFoundHandler()
	m, err := tlsauto.New(tlsauto.Config{
		Domains:      []string{"missingpersons.example.ca"},
		DirectoryURL: "", // LOSTINNL_ACME_DIRECTORY; empty = Let's Encrypt
		CacheDir:     filepath.Join("/var/lib/lostinnl", "acme"),
	})
	if err != nil {
		log.Fatal(err)
	}
	httpsSrv := &http.Server{Addr: ":443", Handler: app, TLSConfig: m.TLSConfig(), ReadHeaderTimeout: 10 * time.Second}
	httpSrv := &http.Server{Addr: ":80", Handler: m.HTTPHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = httpSrv.ListenAndServe() }()
	_ = httpsSrv.ListenAndServeTLS("", "") // certificates come from TLSConfig
}
