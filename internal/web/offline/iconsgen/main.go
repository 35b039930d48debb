// Command iconsgen draws the app icons (offline.DrawIcon) into the
// embedded static assets. Run it from the repository root after changing
// the drawing:
//
//	go run ./internal/web/offline/iconsgen
package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"path/filepath"

	"lostinnl/internal/web/offline"
)

func main() {
	dir := filepath.Join("internal", "web", "kit", "static")
	for _, ic := range offline.Icons {
		var buf bytes.Buffer
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, offline.DrawIcon(ic.Size, ic.Scale)); err != nil {
			fmt.Fprintln(os.Stderr, "iconsgen:", err)
			os.Exit(1)
		}
		p := filepath.Join(dir, ic.Name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "iconsgen:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d bytes\n", p, buf.Len())
	}
}
