package web

import (
	"encoding/binary"
	"hash/crc32"
	"net/http"
	"testing"
)

// pngHeaderOnly is a PNG signature and IHDR claiming w×h at depth bits of
// colour type ct: enough for the pipeline's memory gate, which decides
// before any pixel is read.
func pngHeaderOnly(w, h uint32, depth, ct byte) []byte {
	chunk := func(typ string, data []byte) []byte {
		c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		c = append(append(c, typ...), data...)
		return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, ct, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	return append(out, chunk("IEND", nil)...)
}

// TestReportPhotoOverMemoryBudget: a 16-bit 20000×1999 PNG is under the
// pixel cap but needs more decode memory than the whole budget: the family
// gets the form back with a message (422), never a 500.
func TestReportPhotoOverMemoryBudget(t *testing.T) {
	s := newSite(t, withMedia(t))
	rec := s.postMultipart("/submit", validReport(), map[string][]byte{"scan.png": pngHeaderOnly(20000, 1999, 16, 6)})
	wantStatus(t, rec, http.StatusUnprocessableEntity)
	mustContain(t, rec.Body.String(), "The photo could not be used:", "too large to process", `value="Priscilla Pendingcase"`)
}
