package backup

import (
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkCreate backs up the demo cases plus 200 photo-sized files
// (incompressible, like JPEGs), and reports the archive size.
func BenchmarkCreate(b *testing.B) {
	dir := b.TempDir()
	in := newInstanceTB(b, filepath.Join(dir, "data"))
	media := filepath.Join(in.dir, "media")
	buf := make([]byte, 60<<10)
	for i := range 200 {
		if _, err := rand.Read(buf); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(media, fmt.Sprintf("photo%03d_800.jpg", i)), buf, 0o640); err != nil {
			b.Fatal(err)
		}
	}
	out := filepath.Join(dir, "bench.tar.gz")
	var size int64
	b.ResetTimer()
	for b.Loop() {
		sum, err := Create(b.Context(), in.st, media, out)
		if err != nil {
			b.Fatal(err)
		}
		size = sum.ArchiveBytes
	}
	b.ReportMetric(float64(size), "archive-bytes")
}
